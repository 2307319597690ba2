-- One row: whether this run trains the ML models again, and why. The stored
-- models (segment_model, propensity_model) score the new data until one of:
--   var('ml_retrain') is true, or the run is a --full-refresh;
--   no model is stored, or the stored one could not be trained;
--   the feature set, the seed's taxonomy or a training setting changed (ml_feature_set());
--   the stored model is var('ml_retrain_days') days older than as_of_date, or
--   was trained on data after it (as_of_date moved back).
-- The training snapshots (int_snapshot_dates) and the training-only models are
-- computed only when it says so.
-- depends_on: {{ ref('channel_event_weights') }}
{%- set feature_set = ml_feature_set() %}
{%- set stored = stored_model_row('propensity_model', ['status', 'feature_set', 'training_as_of_date', 'model_id']) %}
{%- set as_of = none %}
{%- if reads_warehouse() %}
    {%- set as_of = run_query("select as_of_date from " ~ ref('int_reporting_dates')).rows[0][0] %}
{%- endif %}
{%- set reason = none %}
{%- if var('ml_retrain') %}
    {%- set reason = "asked for (var ml_retrain)" %}
{%- elif flags.FULL_REFRESH %}
    {%- set reason = "full refresh" %}
{%- elif stored is none or stored.get('training_as_of_date') is none %}
{%- set reason = "no stored model" %}
{%- elif stored.get('feature_set') != feature_set %}
    {%- set reason = "the feature set or the ML settings changed" %}
{%- elif as_of < stored.training_as_of_date %}
    {%- set reason = "as_of_date is before the stored model's training data" %}
{%- elif (as_of - stored.training_as_of_date).days >= var('ml_retrain_days') %}
    {%- set reason = "the stored model is " ~ (as_of - stored.training_as_of_date).days ~ " days old (ml_retrain_days: "
                     ~ var('ml_retrain_days') ~ ")" %}
{%- endif %}
with

reporting_dates as (

    select * from {{ ref('int_reporting_dates') }}

),

final as (

    select
        {{ 'true' if reason else 'false' }} as retrain,
        {{ sql_string(reason) if reason else "cast(null as " ~ api.Column.translate_type('string') ~ ")" }}
            as retrain_reason,
        {{ sql_string(stored.get('model_id')) if stored and stored.get('model_id')
           else "cast(null as " ~ api.Column.translate_type('string') ~ ")" }} as stored_model_id,
        {{ "cast('" ~ stored.training_as_of_date ~ "' as date)" if stored and stored.get('training_as_of_date')
           else 'cast(null as date)' }} as stored_training_as_of_date,
        reporting_dates.as_of_date,
        {{ sql_string(feature_set) }} as feature_set,
        {{ dbt.cast("'" ~ run_started_at.strftime('%Y-%m-%d %H:%M:%S') ~ "'", api.Column.translate_type('timestamp')) }}
            as decided_at
    from reporting_dates

)

select * from final
