-- Every raw customer row, parsed, with the reason it is rejected (null when
-- accepted). The first reason that applies wins; duplicates are judged among
-- otherwise valid rows, and the first in file order is kept.
{%- set raw_columns = ['customer_id', 'signup_at', 'country', 'region', 'territory', 'industry',
                       'company_size', 'specialty', 'plan', 'acquisition_channel'] %}
{%- set kinds = raw_column_kinds('customers') %}
with

customers as (

    select * from {{ ref('base_raw__customers') }}

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
        {{ clean_text('customer_id') }} as customer_id,

        -- timestamps
        {{ parse_timestamp_utc('signup_at', kinds.signup_at) }} as signup_at,

        -- pii: only the hash is read
        email_hash,

        -- attributes
        {{ clean_text('country') }} as country,
        {{ clean_text('region') }} as region,
        {{ clean_text('territory') }} as territory,
        {{ clean_text('industry') }} as industry,
        {{ clean_text('company_size') }} as company_size,
        {{ clean_text('specialty') }} as specialty,
        {{ clean_text('plan') }} as plan,
        {{ normalized_code('acquisition_channel') }} as acquisition_channel,

        -- the row as given (a Jinja-generated list: sqlfluff cannot place its indents) -- noqa: disable=LT02
        {%- for column in raw_columns %}
        {{ column }} as raw_{{ column }}{{ ',' if not loop.last }}
        {%- endfor %}
    -- noqa: enable=LT02
    from customers

),

checked as (

    select
        parsed.*,
        case
            when parsed.file_problem is not null then parsed.file_problem
            when parsed.customer_id is null then 'null_customer_id'
            when {{ is_blank('parsed.raw_signup_at', kinds.signup_at) }} then 'null_signup_at'
            when parsed.signup_at is null then 'unparseable_signup_at'
            when {{ is_after_export('parsed.signup_at') }} then 'future_signup_at'
        end as row_rejection_reason
    from parsed
    cross join export_date

),

screened as (

    select
        *,
        {{ keep_first_of_key('customer_id', 'row_rejection_reason', 'duplicate_customer_id') }} as rejection_reason
    from checked

),

final as (

    select
        source_row_number,
        rejection_reason,
        customer_id,
        signup_at,
        email_hash,
        country,
        region,
        territory,
        industry,
        company_size,
        specialty,
        plan,
        acquisition_channel,
        {{ raw_values_of_rejected(raw_columns) }}
    from screened

)

select * from final
