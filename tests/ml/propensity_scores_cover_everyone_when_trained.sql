-- When a model was trained, every customer at the scoring snapshot has a propensity.
with

models as (

    select * from {{ ref('propensity_model') }}

),

scores as (

    select * from {{ ref('propensity_scores') }}

),

validation_errors as (

    select scores.customer_id
    from scores
    where scores.propensity is null
        and exists (select 1 from models where models.status = 'trained')

)

select * from validation_errors
