{#
    Parsing raw text into typed values. Each returns null when the text does
    not parse, so the screen models can tell "absent" from "unparseable".
    DuckDB-specific functions sit behind adapter.dispatch.
#}

{% macro clean_text(column) %}
    {#- Trimmed text; an empty string becomes null. -#}
    nullif(trim({{ column }}), '')
{% endmacro %}


{% macro normalized_code(column) %}
    {#- A lookup code: trimmed, lower case, inner spaces and dashes as underscores. -#}
    nullif(regexp_replace(lower(trim({{ column }})), '[\s\-]+', '_', 'g'), '')
{% endmacro %}


{#
    The parse macros take the column's kind (see raw_column_kinds): a typed
    timestamp or number from a Parquet file ('timestamptz', 'timestamp',
    'number') is used as stored; anything else is text and is parsed.
#}

{% macro is_blank(column, kind='text') %}
    {#- True when no value was given: null, or only spaces for text. -#}
    {%- if kind in ['timestamptz', 'timestamp', 'number'] -%}
        ({{ column }} is null)
    {%- else -%}
        ({{ clean_text(column) }} is null)
    {%- endif -%}
{% endmacro %}


{% macro parse_timestamp_utc(column, kind='text') %}
    {{ return(adapter.dispatch('parse_timestamp_utc', 'engagement_radar')(column, kind)) }}
{% endmacro %}

{% macro default__parse_timestamp_utc(column, kind) %}
    {{ dbt.safe_cast(column, api.Column.translate_type('timestamp')) }}
{% endmacro %}

{% macro duckdb__parse_timestamp_utc(column, kind) %}
    {#-
        ISO 8601 text to a UTC timestamp without time zone. Text with an offset
        is converted to UTC; text without one is taken as UTC. A stored
        timestamp with time zone is converted; one without is taken as UTC.
    -#}
    {%- if kind == 'timestamptz' -%}
        timezone('UTC', {{ column }})
    {%- elif kind == 'timestamp' -%}
        cast({{ column }} as timestamp)
    {%- else -%}
        timezone('UTC', try_cast({{ clean_text(column) }} as timestamptz))
    {%- endif -%}
{% endmacro %}


{% macro parse_number(column, kind='text') %}
    {{ return(adapter.dispatch('parse_number', 'engagement_radar')(column, kind)) }}
{% endmacro %}

{% macro default__parse_number(column, kind) %}
    {%- if kind == 'number' -%}
        {{ dbt.cast(column, type_double()) }}
    {%- else -%}
        {{ dbt.safe_cast(clean_text(column), type_double()) }}
    {%- endif -%}
{% endmacro %}

{% macro duckdb__parse_number(column, kind) %}
    {#- A number; non-finite values (nan, inf) do not parse. -#}
    {%- set value = ('cast(' ~ column ~ ' as double)') if kind == 'number'
                    else ('try_cast(' ~ clean_text(column) ~ ' as double)') -%}
    case when isfinite({{ value }}) then {{ value }} end
{% endmacro %}


{% macro parse_integer(column, kind='text') %}
    {{ return(adapter.dispatch('parse_integer', 'engagement_radar')(column, kind)) }}
{% endmacro %}

{% macro default__parse_integer(column, kind) %}
    {{ dbt.safe_cast(column if kind == 'number' else clean_text(column), api.Column.translate_type('integer')) }}
{% endmacro %}

{% macro duckdb__parse_integer(column, kind) %}
    try_cast({{ column if kind == 'number' else clean_text(column) }} as bigint)
{% endmacro %}


{% macro is_unparseable(raw_column, parsed_column, kind='text') %}
    {#- True when a value was given but did not parse. -#}
    (not {{ is_blank(raw_column, kind) }} and {{ parsed_column }} is null)
{% endmacro %}


{% macro hash_pii(column) %}
    {{ return(adapter.dispatch('hash_pii', 'engagement_radar')(column)) }}
{% endmacro %}

{% macro default__hash_pii(column) %}
    {{ dbt.hash('lower(trim(' ~ column ~ '))') }}
{% endmacro %}

{% macro duckdb__hash_pii(column) %}
    {#- SHA-256 of the normalised value: joinable across sources, not reversible by lookup of an md5 table. -#}
    sha256(lower(trim({{ column }})))
{% endmacro %}


{% macro type_double() %}
    {#- A 64-bit float: dbt.type_float() is 32-bit on some adapters (DuckDB's FLOAT). -#}
    {{ return(adapter.dispatch('type_double', 'engagement_radar')()) }}
{% endmacro %}

{% macro default__type_double() %}
    {{ return(dbt.type_float()) }}
{% endmacro %}

{% macro duckdb__type_double() %}
    {{ return('double') }}
{% endmacro %}
