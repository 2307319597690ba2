-- Recency, frequency and monetary value per customer as of as_of_date, 1-5
-- scores (5 best), the RFM segment from the seed rfm_segments, the value
-- segment and the at-risk flag. Customers who signed up by as_of_date and
-- never ordered are present, with frequency 0 and null scores.
with

customers as (

    select * from {{ ref('stg_raw__customers') }}

),

order_snapshots as (

    select * from {{ ref('int_order_snapshots') }}

),

rfm_segments as (

    select * from {{ ref('rfm_segments') }}

),

reporting_dates as (

    select * from {{ ref('int_reporting_dates') }}

),

order_stats as (

    select order_snapshots.*
    from order_snapshots
    inner join reporting_dates
        on order_snapshots.snapshot_date = reporting_dates.as_of_date

),

measured as (

    select
        customers.customer_id,
        reporting_dates.as_of_date,
        order_stats.first_order_date,
        order_stats.last_order_date,
        {{ days_between('order_stats.last_order_date', 'reporting_dates.as_of_date') }} as recency_days,
        coalesce(order_stats.frequency, 0) as frequency,
        coalesce(order_stats.monetary, 0) as monetary,
        coalesce(order_stats.gross_spend, 0) as gross_spend,
        coalesce(order_stats.discount_spend, 0) as discount_spend,
        {{ purchase_cadence_days('order_stats.frequency', 'order_stats.first_order_date',
                                 'order_stats.last_order_date') }} as purchase_cadence_days
    from customers
    cross join reporting_dates
    left join order_stats
        on customers.customer_id = order_stats.customer_id
    where customers.signup_date <= reporting_dates.as_of_date

),

scored as (

    select
        customer_id,
        {{ quintile_score('recency_days', higher_is_better=false) }} as r_score,
        {{ quintile_score('frequency') }} as f_score,
        {{ quintile_score('monetary') }} as m_score
    from measured
    where frequency > 0

),

flagged as (

    select
        measured.*,
        scored.r_score,
        scored.f_score,
        scored.m_score,
        {{ is_at_risk('measured.recency_days', 'measured.frequency', 'measured.purchase_cadence_days') }}
            as is_at_risk,
        case when measured.gross_spend > 0 then measured.discount_spend / measured.gross_spend end
            as discount_share
    from measured
    left join scored
        on measured.customer_id = scored.customer_id

),

final as (

    select
        flagged.customer_id,
        flagged.as_of_date,
        flagged.first_order_date,
        flagged.last_order_date,
        flagged.recency_days,
        flagged.frequency,
        flagged.monetary,
        flagged.gross_spend,
        flagged.discount_spend,
        flagged.discount_share,
        case when flagged.frequency > 0 then flagged.monetary / flagged.frequency end as average_order_value,
        flagged.purchase_cadence_days,
        flagged.r_score,
        flagged.f_score,
        flagged.m_score,
        case when flagged.frequency > 0
                then {{ dbt.concat(["cast(flagged.r_score as " ~ dbt.type_string() ~ ")",
                                "cast(flagged.f_score as " ~ dbt.type_string() ~ ")",
                                "cast(flagged.m_score as " ~ dbt.type_string() ~ ")"]) }}
        end as rfm_cell,
        case
            when flagged.frequency = 0 then 'No Purchase Yet'
            else coalesce(rfm_segments.rfm_segment, 'Unmapped')
        end as rfm_segment,
        case
            when flagged.frequency = 0 then 'No Purchase Yet'
            when flagged.is_at_risk then 'At-Risk / Dormant'
            when flagged.discount_share >= {{ var('discount_driven_share') }} then 'Discount-Driven'
            when flagged.m_score >= {{ var('high_value_min_m_score') }} then 'High-Value Active'
            else 'Regular'
        end as value_segment,
        flagged.is_at_risk
    from flagged
    left join rfm_segments
        on flagged.r_score = rfm_segments.r_score
        and flagged.f_score = rfm_segments.f_score

)

select * from final
