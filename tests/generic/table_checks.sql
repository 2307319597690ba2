{#
    The column checks of one model in one test, so a model costs one test node
    instead of one per column and check: the primary key (one column or a
    list) is unique and never null; the not_null columns hold no null;
    accepted_values ({column: [values]}) and ranges ({column: [min, max]},
    null for no bound) hold; and the table holds between rows[0] and rows[1]
    rows (null for no bound). One pass for the column checks, one group-by for
    the key. A failure returns one row per failing check with how many rows
    fail it.
#}
{% test table_checks(model, primary_key=none, not_null=none, accepted_values=none, ranges=none, rows=none) %}

{%- set key = [primary_key] if primary_key is string else (primary_key or []) %}
{%- set not_null = not_null or [] %}
{%- set accepted_values = accepted_values or {} %}
{%- set ranges = ranges or {} %}
{%- set column_checks = [] %}
{%- for column in key + not_null %}
    {%- do column_checks.append(['not null: ' ~ column, column ~ ' is null']) %}
{%- endfor %}
{%- for column, values in accepted_values.items() %}
    {%- set quoted = [] %}
    {%- for value in values %}{% do quoted.append("'" ~ value ~ "'") %}{% endfor %}
    {%- do column_checks.append(['accepted values: ' ~ column, column ~ ' not in (' ~ quoted | join(', ') ~ ')']) %}
{%- endfor %}
{%- for column, bounds in ranges.items() %}
    {%- set conditions = [] %}
    {%- if bounds[0] is not none %}{% do conditions.append(column ~ ' < ' ~ bounds[0]) %}{% endif %}
    {%- if bounds[1] is not none %}{% do conditions.append(column ~ ' > ' ~ bounds[1]) %}{% endif %}
    {%- do column_checks.append(['range: ' ~ column, conditions | join(' or ')]) %}
{%- endfor %}

with

column_counts as (

    select
        {% for name, condition in column_checks -%}
        sum(case when {{ condition }} then 1 else 0 end) as check_{{ loop.index }},
        {% endfor -%}
        count(*) as row_count
    from {{ model }}

),

column_failures as (

    {% for name, condition in column_checks -%}
    select '{{ name }}' as failing_check, check_{{ loop.index }} as failing_rows from column_counts
    union all
    {% endfor -%}
    {% if rows -%}
    select 'rows between {{ rows[0] }} and {{ rows[1] }}' as failing_check, row_count as failing_rows
    from column_counts
    where {{ ['row_count < ' ~ rows[0] if rows[0] is not none, 'row_count > ' ~ rows[1] if rows[1] is not none]
             | select | join(' or ') }}
    union all
    {% endif -%}
    select 'none' as failing_check, 0 as failing_rows from column_counts

),

{% if key -%}
key_failures as (

    select 'unique: {{ key | join(", ") }}' as failing_check, count(*) as failing_rows
    from (
        select {{ key | join(', ') }}
        from {{ model }}
        group by {{ key | join(', ') }}
        having count(*) > 1
    ) as repeated_keys

),
{%- endif %}

validation_errors as (

    select * from column_failures where failing_rows > 0 or failing_check like 'rows between%' 
    {% if key -%}
    union all
    select * from key_failures where failing_rows > 0
    {%- endif %}

)

select * from validation_errors

{% endtest %}
