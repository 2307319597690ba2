{#
    What a stored model depends on, so a run can tell whether it may still score
    with it (see int_ml_retrain).
#}

{% macro ml_feature_set() %}
    {#- The feature set the Python models train on, as text: it changes when int_customer_features gains or loses a column. -#}
    {%- if not execute -%}{{ return('') }}{%- endif -%}
    {{ return('features-5'
              ~ '|target:' ~ propensity_target()
              ~ '|groups:' ~ channel_groups() | join(',')
              ~ '|networks:' ~ social_networks() | join(',')
              ~ '|horizon:' ~ var('propensity_horizon_days')
              ~ '|seed:' ~ var('ml_seed')
              ~ '|half_life:' ~ var('engagement_half_life_days')) }}
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
