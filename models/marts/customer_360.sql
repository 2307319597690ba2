-- Everything about a customer in one row, as of as_of_date: attributes, RFM and
-- value segment, engagement and radar segment, ML segment, propensity, and the
-- next best action from the seed next_best_actions (the first rule, by
-- priority, that matches the radar segment, value segment and propensity decile).
with

customers as (

    select * from {{ ref('dim_customers') }}
    where not is_after_as_of_date

),

rfm as (

    select * from {{ ref('customer_rfm') }}

),

engagement as (

    select * from {{ ref('customer_engagement') }}

),

segments as (

    select * from {{ ref('customer_segments') }}

),

propensity as (

    select * from {{ ref('propensity_scores') }}

),

actions as (

    select * from {{ ref('next_best_actions') }}

),

joined as (

    select
        customers.customer_id,
        customers.country,
        customers.region,
        customers.territory,
        customers.industry,
        customers.company_size,
        customers.specialty,
        customers.plan,
        customers.acquisition_channel,
        customers.signup_date,
        customers.cohort_month,
        customers.tenure_days,
        rfm.as_of_date,
        rfm.recency_days,
        rfm.frequency,
        rfm.monetary,
        rfm.average_order_value,
        rfm.discount_share,
        rfm.r_score,
        rfm.f_score,
        rfm.m_score,
        rfm.rfm_segment,
        rfm.value_segment,
        rfm.is_at_risk,
        engagement.engagement_score,
        engagement.prior_quarter_score,
        engagement.trend as engagement_trend,
        engagement.days_since_last_engagement,
        engagement.radar_segment,
        segments.cluster_id,
        segments.segment_name,
        cast(propensity.propensity as {{ type_double() }}) as propensity,
        cast(propensity.propensity_decile as {{ dbt.type_int() }}) as propensity_decile,
        cast(propensity.propensity_rank as {{ dbt.type_bigint() }}) as propensity_rank,
        propensity.is_target as is_propensity_target,
        propensity.propensity_target
    from customers
    inner join rfm
        on customers.customer_id = rfm.customer_id
    left join engagement
        on customers.customer_id = engagement.customer_id
    left join segments
        on customers.customer_id = segments.customer_id
    left join propensity
        on customers.customer_id = propensity.customer_id

),

peer_potential as (

    -- what the best customers of the same territory, industry and company size spend: the 90th percentile of
    -- their net revenue to date, among those who ordered
    select
        territory,
        industry,
        company_size,
        percentile_cont(0.9) within group (order by monetary) as potential_revenue
    from joined
    where frequency > 0
    group by territory, industry, company_size

),

matched_actions as (

    select
        joined.customer_id,
        actions.next_best_action,
        actions.action_reason,
        row_number() over (partition by joined.customer_id order by actions.priority) as rule_rank
    from joined
    inner join actions
        on (actions.radar_segment = '*' or joined.radar_segment = actions.radar_segment)
        and (actions.value_segment = '*' or joined.value_segment = actions.value_segment)
        -- the rules read the propensity to order: with another target every customer counts as decile 10
        and (case when joined.propensity_target = 'order' then coalesce(joined.propensity_decile, 10) else 10 end)
        <= actions.max_propensity_decile

),

final as (

    select
        joined.*,
        -- penetration: the customer's net revenue over what their peers' best spend (capped at 1), so a highly
        -- engaged customer with low penetration is potential not yet realised
        cast(
            least(coalesce(joined.monetary, 0) / nullif(peer_potential.potential_revenue, 0), 1)
            as {{ type_double() }}
        ) as penetration,
        matched_actions.next_best_action,
        matched_actions.action_reason
    from joined
    left join peer_potential
        on joined.territory is not distinct from peer_potential.territory
        and joined.industry is not distinct from peer_potential.industry
        and joined.company_size is not distinct from peer_potential.company_size
    left join matched_actions
        on joined.customer_id = matched_actions.customer_id
        and matched_actions.rule_rank = 1

)

select * from final
