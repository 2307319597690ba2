-- How customers moved between segments, one row per period, scheme (radar or
-- value segment), from segment and to segment: customers, and their share of the
-- from segment ("how many Watch List customers slid to Alert this quarter?").
--   quarter         radar: the radar one quarter ago (int_radar_segments, each day
--                   with its own thresholds) to today; value: the last day in
--                   segment_history on or before prior_quarter_date, to today
--   previous_build  both schemes: the last earlier day in segment_history, to today
-- Customers who signed up after the from day are not counted.
with

radar as (

    select * from {{ ref('int_radar_segments') }}

),

segment_history as (

    select * from {{ ref('segment_history') }}

),

reporting_dates as (

    select * from {{ ref('int_reporting_dates') }}

),

history_days as (

    select
        reporting_dates.as_of_date,
        max(case when segment_history.as_of_date < reporting_dates.as_of_date then segment_history.as_of_date end)
            as previous_build_date,
        max(
            case
                when segment_history.as_of_date <= reporting_dates.prior_quarter_date
                    then segment_history.as_of_date
            end
        ) as quarter_ago_date
    from reporting_dates
    left join segment_history
        on true
    group by reporting_dates.as_of_date

),

radar_quarter as (

    select
        'quarter' as period,
        'radar' as scheme,
        earlier.measured_date as from_date,
        today.measured_date as to_date,
        earlier.radar_segment as from_segment,
        today.radar_segment as to_segment
    from radar as earlier
    inner join radar as today
        on earlier.customer_id = today.customer_id
    where earlier.radar_role = 'prior_quarter'
        and today.radar_role = 'as_of'

),

from_history as (

    {%- for period, day in [('quarter', 'quarter_ago_date'), ('previous_build', 'previous_build_date')] %}
    {%- for scheme in (['value'] if period == 'quarter' else ['radar', 'value']) %}
    select
        '{{ period }}' as period,
        '{{ scheme }}' as scheme,
        earlier.as_of_date as from_date,
        today.as_of_date as to_date,
        earlier.{{ scheme }}_segment as from_segment,
        today.{{ scheme }}_segment as to_segment
    from history_days
    inner join segment_history as earlier
        on history_days.{{ day }} = earlier.as_of_date
    inner join segment_history as today
        on history_days.as_of_date = today.as_of_date
        and earlier.customer_id = today.customer_id
    {{ 'union all' if not loop.last }}
    {%- endfor %}
    {{ 'union all' if not loop.last }}
    {%- endfor %}

),

moves as (

    select * from radar_quarter
    union all
    select * from from_history

),

counted as (

    select
        period,
        scheme,
        from_date,
        to_date,
        from_segment,
        to_segment,
        count(*) as customers
    from moves
    group by period, scheme, from_date, to_date, from_segment, to_segment

),

final as (

    select
        counted.*,
        cast(counted.customers as {{ type_double() }})
        / sum(counted.customers) over (partition by counted.period, counted.scheme, counted.from_segment)
            as share_of_from_segment
    from counted

)

select * from final
