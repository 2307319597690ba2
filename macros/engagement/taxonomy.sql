{#
    The engagement taxonomy lives in one place, the seed channel_event_weights.
    These macros read it, so a channel group or funnel stage added to the seed
    reaches every model that pivots by group or stage without an edit.
#}

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


{% macro taxonomy_relation() %}
    {#- The seed to read the taxonomy from while compiling: the loaded seed, or its CSV file for the lint target
        (which compiles against an empty database). -#}
    {%- if target.name == 'lint' -%}
        {{ return("read_csv('seeds/channel_event_weights.csv', header = true)") }}
    {%- endif -%}
    {{ return(ref('channel_event_weights')) }}
{% endmacro %}


{% macro channel_groups() %}
    {#-
        The channel groups of the seed, in a fixed order (alphabetical). A model
        calling this must ref the seed (it does when it joins the taxonomy).
        Before the seed is loaded (dbt parse) the list is empty.
    -#}
    {%- if not execute -%}{{ return([]) }}{%- endif -%}
    {%- set cache = run_cache() -%}
    {%- if 'channel_groups' not in cache -%}
        {%- set rows = run_query("select distinct channel_group from " ~ taxonomy_relation()
                                 ~ " order by channel_group").rows -%}
        {%- do cache.update({'channel_groups': rows | map(attribute=0) | list}) -%}
    {%- endif -%}
    {{ return(cache['channel_groups']) }}
{% endmacro %}


{% macro funnel_stages() %}
    {#- The funnel stages in their order, first to last; 'order' (an attributed order) ends every funnel. -#}
    {{ return(['reach', 'interest', 'click', 'registration', 'attendance']) }}
{% endmacro %}


{% macro group_stages() %}
    {#- The (channel group, funnel stage) pairs that occur in the seed, as [group, stage] lists. -#}
    {%- if not execute -%}{{ return([]) }}{%- endif -%}
    {%- set cache = run_cache() -%}
    {%- if 'group_stages' not in cache -%}
        {%- set rows = run_query("select distinct channel_group, funnel_stage from " ~ taxonomy_relation()
                                 ~ " order by 1, 2").rows -%}
        {%- do cache.update({'group_stages': rows | map('list') | list}) -%}
    {%- endif -%}
    {{ return(cache['group_stages']) }}
{% endmacro %}


{% macro taxonomy_fingerprint() %}
    {#- A hash of the seed's content, to tell when a stored rollup was made with other weights. -#}
    {%- if not execute -%}{{ return('') }}{%- endif -%}
    {%- set cache = run_cache() -%}
    {%- if 'taxonomy_fingerprint' not in cache -%}
        {%- set rows = run_query("select channel, event_type, channel_group, weight, is_active_engagement, "
                                 ~ "funnel_stage from " ~ taxonomy_relation()
                                 ~ " order by channel, event_type").rows -%}
        {%- set lines = [] -%}
        {%- for row in rows -%}{% do lines.append(row.values() | join('|')) %}{%- endfor -%}
        {%- do cache.update({'taxonomy_fingerprint': local_md5(lines | join(';'))}) -%}
    {%- endif -%}
    {{ return(cache['taxonomy_fingerprint']) }}
{% endmacro %}


{% macro social_networks() %}
    {#- The channels of the seed's social group that have impressions (linkedin, twitter ...), alphabetically. -#}
    {%- if not execute -%}{{ return([]) }}{%- endif -%}
    {%- set cache = run_cache() -%}
    {%- if 'social_networks' not in cache -%}
        {%- set rows = run_query("select distinct channel from " ~ taxonomy_relation()
                                 ~ " where channel_group = 'social' and event_type = 'impression' order by 1").rows -%}
        {%- do cache.update({'social_networks': rows | map(attribute=0) | list}) -%}
    {%- endif -%}
    {{ return(cache['social_networks']) }}
{% endmacro %}
