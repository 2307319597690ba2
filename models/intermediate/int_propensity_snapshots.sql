-- The snapshots the propensity model reads, one row each: the labelled ones
-- (the stacked training snapshots train, train_<k> and the backtest's, see
-- int_snapshot_dates), each with the window its label is read over (the
-- var('propensity_horizon_days') days after it), and score (as_of_date, no
-- label). The label models (labels/int_labels__<target>) mark who reached the
-- target in each window.
with

snapshot_dates as (

    select * from {{ ref('int_snapshot_dates') }}

),

reporting_dates as (

    select * from {{ ref('int_reporting_dates') }}

),

labelled as (

    select
        snapshot_dates.snapshot_role as snapshot,
        snapshot_dates.snapshot_date,
        prior_quarter.snapshot_date as prior_quarter_date,
        cast({{ dbt.dateadd('day', var('propensity_horizon_days'), 'snapshot_dates.snapshot_date') }} as date)
            as label_end_date
    from snapshot_dates
    inner join snapshot_dates as prior_quarter
        on prior_quarter.snapshot_role = {{ dbt.concat(['snapshot_dates.snapshot_role', "'_prior_quarter'"]) }}
    where snapshot_dates.snapshot_role like 'train%' or snapshot_dates.snapshot_role like 'backtest%'

),

final as (

    select * from labelled
    union all
    select
        'score' as snapshot,
        reporting_dates.as_of_date as snapshot_date,
        reporting_dates.prior_quarter_date,
        cast(null as date) as label_end_date
    from reporting_dates

)

select * from final
