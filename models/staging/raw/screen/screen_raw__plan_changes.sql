-- Every raw plan change, parsed, with the reason it is rejected (null when
-- accepted). The first reason that applies wins; duplicates (the same customer
-- and instant) are judged among otherwise valid rows, and the first in file
-- order is kept. A plan is matched to the seed plans case-insensitively and
-- spelled as the seed spells it.
{%- set raw_columns = ['customer_id', 'changed_at', 'plan'] %}
{%- set kinds = raw_column_kinds('plan_changes') %}
with

plan_changes as (

    select * from {{ ref('base_raw__plan_changes') }}

),

customers as (

    select
        customer_id,
        signup_at
    from {{ ref('stg_raw__customers') }}

),

plans as (

    select * from {{ ref('plans') }}

),

export_date as (

    select * from {{ ref('screen_raw__export_date') }}

),

parsed as (

    select
        source_row_number,
        source_line_number,
        file_problem,

        -- ids
        {{ clean_text('customer_id', kinds.get('customer_id', 'text')) }} as customer_id,

        -- timestamps
        {{ parse_timestamp_utc('changed_at', kinds.get('changed_at', 'text')) }} as changed_at,

        -- attributes
        {{ clean_text('plan') }} as plan_as_given,

        -- the row as given (a Jinja-generated list: sqlfluff cannot place its indents) -- noqa: disable=LT02
        {%- for column in raw_columns %}
        {{ column }} as raw_{{ column }}{{ ',' if not loop.last }}
        {%- endfor %}
    -- noqa: enable=LT02
    from plan_changes

),

checked as (

    select
        parsed.*,
        plans.plan,
        case
            when parsed.file_problem is not null then parsed.file_problem
            when parsed.customer_id is null then 'null_customer_id'
            when {{ is_blank('parsed.raw_changed_at', kinds.get('changed_at', 'text')) }} then 'null_changed_at'
            when parsed.changed_at is null then 'unparseable_changed_at'
            when parsed.plan_as_given is null then 'null_plan'
            when plans.plan is null then 'unknown_plan'
            when {{ is_after_export('parsed.changed_at') }} then 'future_changed_at'
            when customers.customer_id is null then 'orphan_customer_id'
            when parsed.changed_at < customers.signup_at then 'changed_before_signup'
        end as row_rejection_reason
    from parsed
    cross join export_date
    left join plans
        on lower(parsed.plan_as_given) = lower(plans.plan)
    left join customers
        on parsed.customer_id = customers.customer_id

),

screened as (

    select
        *,
        {{ keep_first_of_key('customer_id, changed_at', 'row_rejection_reason', 'duplicate_plan_change') }}
            as rejection_reason
    from checked

),

final as (

    select
        source_row_number,
        rejection_reason,
        customer_id,
        changed_at,
        plan,
        {{ raw_values_of_rejected(raw_columns) }}
    from screened

)

select * from final
