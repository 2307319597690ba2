{#
    What a stored model depends on, so a run can tell whether it may still score
    with it (see int_ml_retrain).
#}

{% macro ml_feature_set() %}
    {#- What the stored models were trained on, as text: the feature set (it changes when int_customer_features gains
        or loses a column), the seed's weights, and every setting of the training. A stored model trained on another
        one is retrained (int_ml_retrain). -#}
    {%- if not execute -%}{{ return('') }}{%- endif -%}
    {%- set settings = ['propensity_horizon_days', 'ml_seed', 'engagement_half_life_days', 'propensity_snapshots',
                        'propensity_snapshot_step_days', 'propensity_holdout_share', 'propensity_presence_auc_limit',
                        'ml_max_training_rows', 'segment_k_min', 'segment_k_max', 'segment_silhouette_sample',
                        'discount_driven_share'] -%}
    {%- set parts = ['features-5', 'target:' ~ propensity_target(), 'groups:' ~ channel_groups() | join(','),
                     'networks:' ~ social_networks() | join(','), 'weights:' ~ taxonomy_fingerprint()] -%}
    {%- for setting in settings -%}{%- do parts.append(setting ~ ':' ~ var(setting)) -%}{%- endfor -%}
    {{ return(parts | join('|')) }}
{% endmacro %}


{% macro stored_model_row(identifier, columns) %}
    {#- The one row of a stored model table (a dict of the asked columns that exist), or none. -#}
    {%- if not reads_warehouse() -%}{{ return(none) }}{%- endif -%}
    {%- set relation = adapter.get_relation(database=this.database, schema=this.schema, identifier=identifier) -%}
    {%- if relation is none -%}{{ return(none) }}{%- endif -%}
    {%- set present = adapter.get_columns_in_relation(relation) | map(attribute='name') | map('lower') | list -%}
    {%- set wanted = columns | select('in', present) | list -%}
    {%- if not wanted -%}{{ return(none) }}{%- endif -%}
    {%- set rows = run_query("select " ~ wanted | join(', ') ~ " from " ~ relation ~ " limit 1").rows -%}
    {%- if rows | length == 0 -%}{{ return(none) }}{%- endif -%}
    {%- set row = {} -%}
    {%- for column in wanted -%}{%- do row.update({column: rows[0][loop.index0]}) -%}{%- endfor -%}
    {{ return(row) }}
{% endmacro %}
