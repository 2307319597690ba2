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


{% macro parse_timestamp_utc(column) %}
    {{ return(adapter.dispatch('parse_timestamp_utc', 'engagement_radar')(column)) }}
{% endmacro %}

{% macro default__parse_timestamp_utc(column) %}
    {{ dbt.safe_cast(column, api.Column.translate_type('timestamp')) }}
{% endmacro %}

{% macro duckdb__parse_timestamp_utc(column) %}
    {#-
        ISO 8601 text to a UTC timestamp without time zone. Text with an offset
        is converted to UTC; text without one is taken as UTC.
    -#}
    timezone('UTC', try_cast({{ clean_text(column) }} as timestamptz))
{% endmacro %}


{% macro parse_number(column) %}
    {{ return(adapter.dispatch('parse_number', 'engagement_radar')(column)) }}
{% endmacro %}

{% macro default__parse_number(column) %}
    {{ dbt.safe_cast(clean_text(column), api.Column.translate_type('float')) }}
{% endmacro %}

{% macro duckdb__parse_number(column) %}
    {#- A number; non-finite values (nan, inf) do not parse. -#}
    case
        when isfinite(try_cast({{ clean_text(column) }} as double))
            then try_cast({{ clean_text(column) }} as double)
    end
{% endmacro %}


{% macro parse_integer(column) %}
    {{ return(adapter.dispatch('parse_integer', 'engagement_radar')(column)) }}
{% endmacro %}

{% macro default__parse_integer(column) %}
    {{ dbt.safe_cast(clean_text(column), api.Column.translate_type('integer')) }}
{% endmacro %}

{% macro duckdb__parse_integer(column) %}
    try_cast({{ clean_text(column) }} as bigint)
{% endmacro %}


{% macro is_unparseable(raw_column, parsed_column) %}
    {#- True when text was given but did not parse. -#}
    ({{ clean_text(raw_column) }} is not null and {{ parsed_column }} is null)
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
