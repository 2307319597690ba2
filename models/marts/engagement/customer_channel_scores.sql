-- The engagement score of every customer split by channel group, one row per
-- customer and group with a score above 0 on as_of_date: every group of the
-- seed channel_event_weights, so a group added to the seed is here (and in the
-- app) without an edit. The scores come from int_engagement_snapshots, the one
-- place they are computed; a customer's rows add up to engagement_score.
{%- set channel_groups = channel_groups() %}
-- depends_on: {{ ref('channel_event_weights') }}
with

scores as (

    -- the scores on as_of_date
    select * from {{ ref('int_engagement_snapshots') }}
    where snapshot_date = (select reporting_dates.as_of_date from {{ ref('int_reporting_dates') }} as reporting_dates)

),

by_group as (

    {%- for group in channel_groups %}
    select
        customer_id,
        snapshot_date as as_of_date,
        '{{ group }}' as channel_group,
        score_{{ group }} as channel_score,
        engagement_score
    from scores
    where score_{{ group }} > 0
    {{ 'union all' if not loop.last }}
    {%- endfor %}
    {%- if not channel_groups %}
    select
        cast(null as {{ api.Column.translate_type('string') }}) as customer_id,
        cast(null as date) as as_of_date,
        cast(null as {{ api.Column.translate_type('string') }}) as channel_group,
        cast(null as {{ type_double() }}) as channel_score,
        cast(null as {{ type_double() }}) as engagement_score
    from scores
    where false
    {%- endif %}

),

final as (

    select
        customer_id,
        as_of_date,
        channel_group,
        channel_score,
        channel_score / engagement_score as share_of_score
    from by_group

)

select * from final
