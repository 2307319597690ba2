-- The radar's segments today and one quarter ago: how many customers each
-- holds on as_of_date and on prior_quarter_date, and how many of today's were
-- already there a quarter ago. Every segment has a row, 0 when empty.
with

radar_segments as (

    select * from {{ ref('int_radar_segments') }}

),

reporting_dates as (

    select * from {{ ref('int_reporting_dates') }}

),

segment_names as (

    {%- for name in ['Watch List', 'Alert', 'Potential', 'Steady', 'New', 'Dormant'] %}
    select
        '{{ name }}' as radar_segment,
        cast({{ loop.index }} as {{ dbt.type_int() }}) as display_order
    {{- ' union all' if not loop.last }}
    {%- endfor %}

),

customers_today as (

    select
        radar_segment,
        count(*) as customers,
        avg(engagement_score) as mean_engagement_score
    from radar_segments
    where radar_role = 'as_of'
    group by radar_segment

),

customers_before as (

    select
        radar_segment,
        count(*) as customers
    from radar_segments
    where radar_role = 'prior_quarter'
    group by radar_segment

),

stayed as (

    select
        today.radar_segment,
        count(*) as customers
    from radar_segments as today
    inner join radar_segments as before
        on today.customer_id = before.customer_id
        and today.radar_segment = before.radar_segment
    where today.radar_role = 'as_of'
        and before.radar_role = 'prior_quarter'
    group by today.radar_segment

),

final as (

    select
        segment_names.radar_segment,
        segment_names.display_order,
        reporting_dates.as_of_date,
        reporting_dates.prior_quarter_date,
        cast(coalesce(customers_today.customers, 0) as {{ dbt.type_bigint() }})
            as customers,
        cast(coalesce(customers_before.customers, 0) as {{ dbt.type_bigint() }})
            as customers_prior_quarter,
        cast(
            coalesce(customers_today.customers, 0) - coalesce(customers_before.customers, 0) as {{ dbt.type_bigint() }}
        )
            as change_in_customers,
        cast(coalesce(stayed.customers, 0) as {{ dbt.type_bigint() }})
            as customers_also_prior_quarter,
        cast(customers_today.mean_engagement_score as {{ type_double() }}) as mean_engagement_score
    from segment_names
    cross join reporting_dates
    left join customers_today
        on segment_names.radar_segment = customers_today.radar_segment
    left join customers_before
        on segment_names.radar_segment = customers_before.radar_segment
    left join stayed
        on segment_names.radar_segment = stayed.radar_segment

)

select * from final
