{#
    Helpers shared by the screen models, which give every raw row either a
    clean typed form or a rejection reason.
#}

{% macro is_after_export(timestamp_column) %}
    {#- True when a timestamp falls after the export day (see screen_raw__export_date). -#}
    ({{ timestamp_column }} >= {{ dbt.dateadd('day', 1, 'export_date.export_date') }})
{% endmacro %}


{% macro keep_first_of_key(key_column, reason_column, duplicate_reason) %}
    {#-
        The final rejection reason: the row's own reason, else duplicate_reason
        for every valid row after the first (in file order) that shares its key.
    -#}
    coalesce(
        {{ reason_column }},
        case
            when row_number() over (
                partition by {{ key_column }}, {{ reason_column }} is null
                order by source_row_number
            ) > 1 then '{{ duplicate_reason }}'
        end
    )
{% endmacro %}


{% macro raw_values_of_rejected(columns) %}
    {#-
        The raw value of each column as text, and the line a CSV record starts
        on, kept only on rejected rows (the quarantine shows the row as given).
    -#}
    case when rejection_reason is not null then source_line_number end as source_line_number,
    {%- for column in columns %}
        case when rejection_reason is not null then {{ dbt.cast('raw_' ~ column, api.Column.translate_type('string')) }} end as raw_{{ column }}{{ ',' if not loop.last }}
    {%- endfor %}
{% endmacro %}


{#
    Duplicate screening for large files. Only rows whose key is given more
    than once can be duplicates, so only they go through keep_first_of_key's
    window; the rest keep their own reason. A screen model gives each parsed
    row a key_hash, defines a CTE `repeated_keys` as repeated_key_hashes(...),
    flags its checked rows with has_repeated_key(), keeps the few rows that
    can be stored (rejected, repeated key, stored before) and takes their reasons
    from duplicate_rejection_reason(...), whose window then sorts only those.
#}

{% macro repeated_key_hashes(relation) %}
    {#- Hashes of the keys given more than once among the rows of relation (a hash collision only adds a candidate). -#}
    select key_hash
    from {{ relation }}
    where key_hash is not null
    group by key_hash
    having count(*) > 1
{% endmacro %}


{% macro has_repeated_key() %}
    coalesce(key_hash in (select key_hash from repeated_keys), false)
{% endmacro %}


{% macro duplicate_rejection_reason(key_column, duplicate_reason) %}
    {#- The final rejection reason of a checked row (see keep_first_of_key); only rows with a repeated key can be duplicates. -#}
    case
        when has_repeated_key then {{ keep_first_of_key(key_column, 'row_rejection_reason', duplicate_reason) }}
        else row_rejection_reason
    end
{% endmacro %}
