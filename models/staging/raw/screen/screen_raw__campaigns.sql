-- Every raw campaign row, parsed, with the reason it is rejected (null when
-- accepted). The first reason that applies wins; duplicates are judged among
-- otherwise valid rows, and the first in file order is kept.
{%- set raw_columns = ['campaign_id', 'campaign_name', 'channel', 'content_type',
                       'started_at', 'ended_at', 'cost'] %}
{%- set kinds = raw_column_kinds('campaigns') %}
with

campaigns as (

    select * from {{ ref('base_raw__campaigns') }}

),

parsed as (

    select
        source_row_number,
        source_line_number,
        file_problem,

        -- ids
        {{ clean_text('campaign_id') }} as campaign_id,

        -- attributes
        {{ clean_text('campaign_name') }} as campaign_name,
        {{ normalized_code('channel') }} as channel,
        {{ normalized_code('content_type') }} as content_type,

        -- timestamps
        {{ parse_timestamp_utc('started_at', kinds.started_at) }} as started_at,
        {{ parse_timestamp_utc('ended_at', kinds.ended_at) }} as ended_at,

        -- amounts
        {{ parse_number('cost', kinds.cost) }} as cost,

        -- the row as given (a Jinja-generated list: sqlfluff cannot place its indents) -- noqa: disable=LT02
        {%- for column in raw_columns %}
        {{ column }} as raw_{{ column }}{{ ',' if not loop.last }}
        {%- endfor %}
    -- noqa: enable=LT02
    from campaigns

),

checked as (

    select
        *,
        case
            when file_problem is not null then file_problem
            when campaign_id is null then 'null_campaign_id'
            when {{ is_unparseable('raw_started_at', 'started_at', kinds.started_at) }} then 'unparseable_started_at'
            when {{ is_unparseable('raw_ended_at', 'ended_at', kinds.ended_at) }} then 'unparseable_ended_at'
            when {{ is_unparseable('raw_cost', 'cost', kinds.cost) }} then 'unparseable_cost'
            when cost < 0 then 'negative_cost'
            when ended_at < started_at then 'ended_before_started'
        end as row_rejection_reason
    from parsed

),

screened as (

    select
        *,
        {{ keep_first_of_key('campaign_id', 'row_rejection_reason', 'duplicate_campaign_id') }} as rejection_reason
    from checked

),

final as (

    select
        source_row_number,
        rejection_reason,
        campaign_id,
        campaign_name,
        channel,
        content_type,
        started_at,
        ended_at,
        cost,
        {{ raw_values_of_rejected(raw_columns) }}
    from screened

)

select * from final
