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
    {#- The raw text of each column, kept only on rejected rows (the quarantine shows the row as given). -#}
    {%- for column in columns %}
        case when rejection_reason is not null then raw_{{ column }} end as raw_{{ column }}{{ ',' if not loop.last }}
    {%- endfor %}
{% endmacro %}
