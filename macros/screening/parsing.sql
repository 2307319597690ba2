{#
    Parsing raw values into typed ones. Each returns null when a value does
    not parse, so the screen models can tell "absent" from "unparseable".

    Every macro takes the column's kind (see raw_column_kinds): 'text' (parsed
    from text, as in every CSV), or, when a Parquet file already stores the
    column typed, 'timestamptz', 'timestamp', 'number' or 'typed' (an id the
    file stores as a number), used as stored. DuckDB specifics sit behind
    adapter.dispatch.
#}

{% macro clean_text(column, kind='text') %}
    {#- Trimmed text; an empty string becomes null. An id the file stores typed is only turned into text. -#}
    {%- if kind == 'typed' -%}
        {{ dbt.cast(column, api.Column.translate_type('string')) }}
    {%- else -%}
        nullif(trim({{ column }}), '')
    {%- endif -%}
{% endmacro %}


{% macro key_value(column, kind='text') %}
    {#- A key as compared for duplicates: trimmed text, or the stored value of a typed id (no text round trip). -#}
    {{ return(column if kind == 'typed' else clean_text(column)) }}
{% endmacro %}


{% macro normalized_code(column) %}
    {#-
        A lookup code: trimmed, lower case, inner spaces and dashes as
        underscores. A code already in that form (the common case) skips the
        regular expression, which costs ten times more.
    -#}
    {{ return(adapter.dispatch('normalized_code', 'engagement_radar')(column)) }}
{% endmacro %}

{% macro default__normalized_code(column) %}
    nullif(regexp_replace(lower(trim({{ column }})), '[\\s\\-]+', '_'), '')
{% endmacro %}

{% macro duckdb__normalized_code(column) %}
    case
        when {{ column }} = lower({{ column }}) and strpos({{ column }}, ' ') = 0 and strpos({{ column }}, '-') = 0
            and strpos({{ column }}, chr(9)) = 0 and {{ column }} <> ''
            then {{ column }}
        else nullif(regexp_replace(lower(trim({{ column }})), '[\s\-]+', '_', 'g'), '')
    end
{% endmacro %}


{% macro is_blank(column, kind='text') %}
    {#- True when no value was given: null, or only spaces for text. -#}
    {%- if kind in ['timestamptz', 'timestamp', 'number', 'typed'] -%}
        ({{ column }} is null)
    {%- else -%}
        ({{ clean_text(column) }} is null)
    {%- endif -%}
{% endmacro %}


{% macro iso_8601_pattern() %}
    {#-
        The shapes of ISO 8601 the contract accepts: a date, optionally a time
        (hours and minutes, optionally seconds and a fraction) after a T or a
        space, optionally Z or an offset (+hh, +hhmm, +hh:mm). Words a database
        would also read as a time (epoch, infinity, -infinity) do not match.
    -#}
    {{ return("'^[0-9]{4}-[0-9]{2}-[0-9]{2}([T ][0-9]{2}:[0-9]{2}(:[0-9]{2}([.][0-9]+)?)?)?(Z|[+-][0-9]{2}(:?[0-9]{2})?)?$'") }}
{% endmacro %}


{% macro parse_timestamp_utc(column, kind='text') %}
    {{ return(adapter.dispatch('parse_timestamp_utc', 'engagement_radar')(column, kind)) }}
{% endmacro %}

{% macro default__parse_timestamp_utc(column, kind) %}
    {%- if kind in ['timestamptz', 'timestamp'] -%}
        {{ dbt.cast(column, api.Column.translate_type('timestamp')) }}
    {%- else -%}
        case when {{ clean_text(column) }} rlike {{ iso_8601_pattern() }}
            then {{ dbt.safe_cast(clean_text(column), api.Column.translate_type('timestamp')) }} end
    {%- endif -%}
{% endmacro %}

{% macro duckdb__parse_timestamp_utc(column, kind) %}
    {#-
        ISO 8601 text to a UTC timestamp without time zone. Text with an offset
        is converted to UTC; text without one is taken as UTC. A stored
        timestamp with time zone is converted; one without is taken as UTC.
        Text of another shape, and infinite stored values, do not parse. The
        UTC wall time is taken from the epoch, not through a time zone
        conversion, which costs five times more.
    -#}
    {%- if kind == 'timestamptz' -%}
        {#- cast: a nanosecond timestamp with time zone (pandas' default) to microseconds -#}
        case when isfinite(cast({{ column }} as timestamptz))
            then make_timestamp(epoch_us(cast({{ column }} as timestamptz))) end
    {%- elif kind == 'timestamp' -%}
        case when isfinite(cast({{ column }} as timestamp)) then cast({{ column }} as timestamp) end
    {%- else -%}
        case when regexp_full_match({{ clean_text(column) }}, {{ iso_8601_pattern() }})
            then make_timestamp(epoch_us(try_cast({{ clean_text(column) }} as timestamptz))) end
    {%- endif -%}
{% endmacro %}


{% macro decimal_pattern() %}
    {#- A plain decimal number: digits with an optional sign, decimal point and exponent (12, -3.5, .5, 1e3). -#}
    {{ return("'^[+-]?([0-9]+([.][0-9]*)?|[.][0-9]+)([eE][+-]?[0-9]+)?$'") }}
{% endmacro %}


{% macro whole_number_pattern() %}
    {#- A whole number: digits with an optional sign, and at most a decimal point followed by zeros (3, +3, 3.0). -#}
    {{ return("'^[+-]?[0-9]+([.]0*)?$'") }}
{% endmacro %}


{% macro parse_number(column, kind='text') %}
    {{ return(adapter.dispatch('parse_number', 'engagement_radar')(column, kind)) }}
{% endmacro %}

{% macro default__parse_number(column, kind) %}
    {%- if kind == 'number' -%}
        {{ dbt.cast(column, type_double()) }}
    {%- else -%}
        case when {{ clean_text(column) }} rlike {{ decimal_pattern() }}
            then {{ dbt.safe_cast(clean_text(column), type_double()) }} end
    {%- endif -%}
{% endmacro %}

{% macro duckdb__parse_number(column, kind) %}
    {#- A plain decimal number; other shapes (0x10, 1_000, 12,50) and non-finite values (nan, inf) do not parse. -#}
    {%- if kind == 'number' -%}
        case when isfinite(cast({{ column }} as double)) then cast({{ column }} as double) end
    {%- else -%}
        case when regexp_full_match({{ clean_text(column) }}, {{ decimal_pattern() }})
            and isfinite(try_cast({{ clean_text(column) }} as double))
            then try_cast({{ clean_text(column) }} as double) end
    {%- endif -%}
{% endmacro %}


{% macro parse_integer(column, kind='text') %}
    {{ return(adapter.dispatch('parse_integer', 'engagement_radar')(column, kind)) }}
{% endmacro %}

{% macro default__parse_integer(column, kind) %}
    {%- if kind == 'number' -%}
        case when {{ column }} = floor({{ column }}) then {{ dbt.cast(column, dbt.type_bigint()) }} end
    {%- else -%}
        case when {{ clean_text(column) }} rlike {{ whole_number_pattern() }}
            then {{ dbt.safe_cast("split_part(" ~ clean_text(column) ~ ", '.', 1)", dbt.type_bigint()) }} end
    {%- endif -%}
{% endmacro %}

{% macro duckdb__parse_integer(column, kind) %}
    {#- A whole number; 2.5 does not parse (it is not rounded), nor do the shapes parse_number refuses. -#}
    {%- if kind == 'number' -%}
        case when cast({{ column }} as double) = floor(cast({{ column }} as double)) then try_cast({{ column }} as bigint) end
    {%- else -%}
        case when regexp_full_match({{ clean_text(column) }}, {{ whole_number_pattern() }})
            then try_cast(split_part({{ clean_text(column) }}, '.', 1) as bigint) end
    {%- endif -%}
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

{% macro spark__hash_pii(column) %}
    {#- The same SHA-256 hex digest as on DuckDB, so hashes join across engines. -#}
    sha2(lower(trim({{ column }})), 256)
{% endmacro %}
