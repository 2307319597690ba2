-- One row: the settings and dates every reader of the warehouse needs to
-- present its figures - "today" (as_of_date) and whether its month and
-- quarter are over, the currency of every money figure (var('currency')),
-- what the propensity scores predict, and the radar's thresholds (for its
-- explanations).
with

reporting_dates as (

    select * from {{ ref('int_reporting_dates') }}

),

final as (

    select
        reporting_dates.as_of_date,
        reporting_dates.as_of_date_source,
        reporting_dates.prior_quarter_date,
        reporting_dates.kpi_period_start,
        reporting_dates.as_of_date < {{ last_day_of_month('as_of_month') }} as is_as_of_month_partial,
        reporting_dates.as_of_date < cast({{ dbt.dateadd('day', -1, dbt.dateadd('month', 3,
            dbt.date_trunc('quarter', 'reporting_dates.as_of_date'))) }} as date) as is_as_of_quarter_partial,
        cast('{{ var("currency") | replace("'", "''") }}' as {{ api.Column.translate_type('string') }}) as currency,
        cast('{{ propensity_target() }}' as {{ api.Column.translate_type('string') }}) as propensity_target,
        cast({{ var('propensity_horizon_days') }} as {{ dbt.type_int() }}) as propensity_horizon_days,
        cast({{ var('engagement_half_life_days') }} as {{ type_double() }}) as engagement_half_life_days,
        cast({{ var('radar_alert_drop') }} as {{ type_double() }}) as radar_alert_drop,
        cast({{ var('radar_growth_ratio') }} as {{ type_double() }}) as radar_growth_ratio,
        cast({{ var('radar_dormant_days') }} as {{ dbt.type_int() }}) as radar_dormant_days
    from reporting_dates

)

select * from final
