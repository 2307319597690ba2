-- One row per setting (var) of the build that made this warehouse, with the value it ran with, as text: what
-- readers show instead of copying a var's value (the app's explanations), and where the dbt Python models read
-- their settings (engagement_radar.ml.engines), so each var is named once, here.
{%- set settings = [
    'raw_format', 'export_date', 'future_gap_days', 'as_of_date',
    'engagement_half_life_days', 'radar_high_percentile', 'radar_meaningful_percentile', 'radar_active_percentile',
    'radar_alert_drop', 'radar_growth_ratio', 'radar_dormant_days',
    'at_risk_cadence_multiplier', 'at_risk_min_days', 'at_risk_one_time_buyer_days', 'discount_driven_share',
    'high_value_min_m_score', 'currency', 'kpi_period_days', 'attribution_window_days',
    'propensity_target', 'propensity_horizon_days', 'propensity_snapshots', 'propensity_snapshot_step_days',
    'propensity_presence_auc_limit', 'propensity_holdout_share', 'clv_horizon_days', 'clv_annual_discount_rate',
    'ml_seed', 'ml_max_training_rows', 'ml_importance_sample_rows', 'segment_k_min', 'segment_k_max',
    'segment_silhouette_sample', 'ml_retrain', 'ml_retrain_days', 'alert_max_customers_per_message', 'app_url'
] %}
{%- set text = api.Column.translate_type('string') %}
with

settings as (

    {%- for setting in settings %}
    select
        '{{ setting }}' as setting,
        {%- set value = var(setting) %}
        {%- if value is none %}
        cast(null as {{ text }}) as setting_value
        {%- else %}
        cast('{{ (value | string | lower if value is sameas true or value is sameas false else value | string)
            | replace("'", "''") }}' as {{ text }}) as setting_value
        {%- endif %}
    {{ 'union all' if not loop.last }}
    {%- endfor %}

),

final as (

    select
        setting,
        setting_value
    from settings

)

select * from final
