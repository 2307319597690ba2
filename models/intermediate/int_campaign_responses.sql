-- The reach of and responses to each campaign that events name, from its events
-- up to as_of_date: customers reached, emails delivered, and the customers who
-- opened, clicked, registered, attended or engaged actively.
--
-- Incremental: a run recomputes the campaigns named by events screened since
-- the last run, and, when as_of_date moved forward, those with events since the
-- last as_of_date; when it moved back, every campaign.
{%- set previous = none %}
{%- if reads_warehouse() and is_incremental() %}
    {%- set previous = run_query("select max(rows_through), max(screened_through), max(computed_as_of) from " ~ this).rows[0] %}
{%- endif %}
{%- set incremental = previous is not none and previous[0] is not none %}
{%- set kinds = raw_column_kinds('engagement_events') %}
{%- if incremental %}
    {%- set as_of = run_query("select as_of_date from " ~ ref('int_reporting_dates')).rows[0][0] %}
    {%- set incremental = as_of >= previous[2] %}
{%- endif %}
-- depends_on: {{ ref('base_raw__engagement_events') }}
{{
    config(
        materialized=incremental_materialization(),
        incremental_strategy='delete+insert',
        unique_key='campaign_id',
        on_schema_change='fail',
        post_hook="{{ delete_stale_rows('customers_reached = 0') }}"
    )
}}

with

engagement_events as (

    select * from {{ ref('stg_raw__engagement_events') }}

),

taxonomy as (

    select * from {{ ref('channel_event_weights') }}

),

reporting_dates as (

    select * from {{ ref('int_reporting_dates') }}

),

watermarks as (

    {{ screening_watermarks('engagement_events') }}

),

{% if incremental -%}
touched_campaigns as (

    select distinct {{ clean_text('campaign_id', kinds.get('campaign_id', 'text')) }} as campaign_id
    from {{ ref('base_raw__engagement_events') }}
    where source_row_number > {{ previous[0] }}
        and {{ screened_rows_through('engagement_events') }}
    union
    select distinct campaign_id
    from {{ ref('screen_raw__engagement_events') }}
    where screened_at > {{ dbt.cast("'" ~ previous[1] ~ "'", api.Column.translate_type('timestamp')) }}
    union
    select distinct engagement_events.campaign_id
    from engagement_events
    where engagement_events.occurred_date > cast('{{ previous[2] }}' as date)
        and engagement_events.occurred_date <= cast('{{ as_of }}' as date)

),

campaign_events as (

    select engagement_events.*
    from engagement_events
    where engagement_events.campaign_id in (select campaign_id from touched_campaigns)

),
{%- else -%}
campaign_events as (

    select * from engagement_events
    where campaign_id is not null

),
{%- endif %}

classified as (

    select
        campaign_events.campaign_id,
        campaign_events.customer_id,
        campaign_events.channel,
        campaign_events.event_type,
        {{ engagement_taxonomy_columns('taxonomy') }}
    from campaign_events
    cross join reporting_dates
    left join taxonomy
        on campaign_events.channel = taxonomy.channel
        and campaign_events.event_type = taxonomy.event_type
    where campaign_events.occurred_date <= reporting_dates.as_of_date

),

campaign_customers as (

    -- one row per campaign and customer first, so the distinct counts below are plain counts over a smaller set
    select
        campaign_id,
        customer_id,
        min(channel) as event_channel,
        {{ count_if("event_type = 'delivered'") }} as emails_delivered,
        {{ count_if("funnel_stage = 'reach'") }} as reach_events,
        {{ dbt.bool_or("event_type = 'open'") }} as has_opened,
        {{ dbt.bool_or("funnel_stage = 'click'") }} as has_clicked,
        {{ dbt.bool_or("funnel_stage = 'registration'") }} as has_registered,
        {{ dbt.bool_or("funnel_stage = 'attendance'") }} as has_attended,
        {{ dbt.bool_or('is_active_engagement') }} as has_engaged
    from classified
    group by campaign_id, customer_id

),

responses as (

    select
        campaign_customers.campaign_id,
        min(campaign_customers.event_channel) as event_channel,
        count(*) as customers_reached,
        cast(sum(campaign_customers.emails_delivered) as {{ dbt.type_bigint() }}) as emails_delivered,
        cast(sum(campaign_customers.reach_events) as {{ dbt.type_bigint() }}) as reach_events,
        {{ count_if('campaign_customers.has_opened') }} as openers,
        {{ count_if('campaign_customers.has_clicked') }} as clickers,
        {{ count_if('campaign_customers.has_registered') }} as registrants,
        {{ count_if('campaign_customers.has_attended') }} as attendees,
        {{ count_if('campaign_customers.has_engaged') }} as engaged_customers,
        max(reporting_dates.as_of_date) as computed_as_of,
        max(watermarks.rows_through) as rows_through,
        max(watermarks.screened_through) as screened_through
    from campaign_customers
    cross join reporting_dates
    cross join watermarks
    group by campaign_customers.campaign_id

),

{%- if is_incremental() %}

markers as (

    -- a campaign recomputed to no events at all: a row of zeros replaces its old row, then the post-hook drops it
    {%- if incremental %}
    select campaign_id from touched_campaigns
    {%- else %}
    select campaign_id from {{ this }}
    {%- endif %}

),
{%- endif %}

final as (

    select * from responses
    {%- if is_incremental() %}
    union all
    select
        markers.campaign_id, null, 0, 0, 0, 0, 0, 0, 0, 0,
        reporting_dates.as_of_date, watermarks.rows_through, watermarks.screened_through
    from markers
    cross join reporting_dates
    cross join watermarks
    where markers.campaign_id is not null
        and markers.campaign_id not in (select campaign_id from responses)
    {%- endif %}

)

select * from final
