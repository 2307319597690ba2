with

screened as (

    select * from {{ ref('screen_raw__plan_changes') }}

),

accepted as (

    select
        -- ids
        customer_id,

        -- timestamps and dates
        changed_at,
        cast(changed_at as date) as changed_date,

        -- attributes
        plan,

        -- lineage
        source_row_number

    from screened
    where rejection_reason is null

)

select * from accepted
