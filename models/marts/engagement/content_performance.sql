-- Campaign results by channel and content type (academic, promotional,
-- greeting ...): which content draws customers. Rates are ratios of the summed
-- counts; per-campaign figures are averages over the campaigns.
with

campaigns as (

    select * from {{ ref('campaign_performance') }}

),

final as (

    select
        coalesce(channel, 'unknown') as channel,
        coalesce(content_type, 'unknown') as content_type,
        count(*) as campaigns,
        cast(sum(customers_reached) as {{ dbt.type_bigint() }}) as customers_reached,
        cast(sum(openers) as {{ dbt.type_bigint() }}) as openers,
        cast(sum(clickers) as {{ dbt.type_bigint() }}) as clickers,
        cast(sum(registrants) as {{ dbt.type_bigint() }}) as registrants,
        cast(sum(attendees) as {{ dbt.type_bigint() }}) as attendees,
        cast(sum(engaged_customers) as {{ dbt.type_bigint() }}) as engaged_customers,
        cast(sum(openers) as {{ type_double() }}) / nullif(sum(customers_reached), 0) as open_rate,
        cast(sum(clickers) as {{ type_double() }}) / nullif(sum(customers_reached), 0) as click_through_rate,
        cast(sum(attendees) as {{ type_double() }}) / nullif(sum(registrants), 0) as attendance_rate,
        cast(sum(engaged_customers) as {{ type_double() }}) / count(*) as engaged_customers_per_campaign,
        cast(sum(attendees) as {{ type_double() }}) / count(*) as attendees_per_campaign,
        cast(sum(attributed_orders) as {{ dbt.type_bigint() }}) as attributed_orders,
        {{ exact_sum('attributed_revenue', 4) }} as attributed_revenue,
        {{ exact_sum('cost', 4) }} as cost,
        ({{ exact_sum('attributed_revenue', 4) }} - {{ exact_sum('cost', 4) }})
        / nullif({{ exact_sum('cost', 4) }}, 0) as return_on_cost
    from campaigns
    group by 1, 2

)

select * from final
