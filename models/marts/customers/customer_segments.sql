-- The segment of every customer as of as_of_date, named from its profile, with
-- two principal components for a scatter.
with

clusters as (

    select * from {{ ref('int_customer_clusters') }}
    where snapshot = 'score'

),

profiles as (

    select * from {{ ref('segment_profiles') }}

),

final as (

    select
        clusters.customer_id,
        cast(clusters.cluster_id as {{ dbt.type_int() }}) as cluster_id,
        profiles.segment_name,
        cast(clusters.pc1 as {{ type_double() }}) as pc1,
        cast(clusters.pc2 as {{ type_double() }}) as pc2,
        clusters.is_outlier,
        clusters.snapshot_date as as_of_date
    from clusters
    inner join profiles
        on clusters.cluster_id = profiles.cluster_id

)

select * from final
