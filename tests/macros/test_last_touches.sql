-- last_touches (macros/engagement/attribution.sql): an order is credited to the customer's latest event at or
-- before it and at most var('attribution_window_days') days before it (both ends inclusive, measured in time, not
-- calendar days). Ties on time go to the greatest event_id; the credited event's campaign is its own, null when it
-- has none (never an earlier event's); another customer's events never count; an order without a touch in the
-- window is left out. Returns the orders whose credit differs.
{%- set window = var('attribution_window_days') %}
{%- set noon = "cast('2025-03-15 12:00:00' as timestamp)" %}
{{ config(tags=['macro_tests']) }}

with

orders as (

    -- every order at noon on 2025-03-15
    select
        cases.order_id,
        cases.customer_id,
        {{ noon }} as ordered_at
    from (
        values
        ('o_boundary', 'c1'),
        ('o_outside', 'c2'),
        ('o_latest', 'c3'),
        ('o_tie', 'c4'),
        ('o_same_time', 'c5'),
        ('o_other_customer', 'c6')
    ) as cases (order_id, customer_id)

),

events as (

    -- event, customer, seconds before the order, campaign
    select cases.*
    from (
        values
        -- exactly the window before the order: inside
        ('e1', 'c1', {{ window * 86400 }}, 'k1'),
        -- a second earlier than the window: outside
        ('e2', 'c2', {{ window * 86400 + 1 }}, 'k2'),
        -- the latest one wins, with its own (null) campaign; one after the order never counts
        ('e3a', 'c3', 172800, 'k3'),
        ('e3b', 'c3', 86400, null),
        ('e3c', 'c3', -1, 'k3'),
        -- same time: the greatest event_id
        ('e4a', 'c4', 3600, 'k4a'),
        ('e4b', 'c4', 3600, 'k4b'),
        -- at the very time of the order: inside
        ('e5', 'c5', 0, 'k5'),
        -- c6 has no event; c7's event an hour before c6's order does not count
        ('e6', 'c7', 3600, 'k6')
    ) as cases (event_id, customer_id, seconds_before, campaign_id)

),

events_with_channels as (

    select
        event_id,
        customer_id,
        campaign_id,
        {{ dbt.dateadd('second', '-seconds_before', noon) }} as occurred_at,
        'email' as channel,
        'email' as channel_group
    from events

),

expected as (

    select credits.*
    from (
        values
        ('o_boundary', 'e1', 'k1'),
        ('o_latest', 'e3b', null),
        ('o_tie', 'e4b', 'k4b'),
        ('o_same_time', 'e5', 'k5')
    ) as credits (order_id, event_id, campaign_id)

),

touches as (

    {{ last_touches('orders', 'events_with_channels', window) }}

),

results as (

    select
        coalesce(expected.order_id, touches.order_id) as order_id,
        expected.event_id as expected_event_id,
        touches.event_id as actual_event_id,
        expected.campaign_id as expected_campaign_id,
        touches.campaign_id as actual_campaign_id
    from expected
    full outer join touches
        on expected.order_id = touches.order_id

)

select *
from results
where actual_event_id is distinct from expected_event_id
    or actual_campaign_id is distinct from expected_campaign_id
