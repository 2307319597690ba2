{% macro engagement_taxonomy_columns(taxonomy) %}
    {#-
        The taxonomy of an event from a left join to the seed channel_event_weights
        (aliased `taxonomy`): a channel or event type missing from the seed is kept
        with group and stage 'unknown', weight 0, not active.
    -#}
    coalesce({{ taxonomy }}.channel_group, 'unknown') as channel_group,
    coalesce({{ taxonomy }}.funnel_stage, 'unknown') as funnel_stage,
    coalesce({{ taxonomy }}.weight, 0) as weight,
    coalesce({{ taxonomy }}.is_active_engagement, false) as is_active_engagement
{% endmacro %}
