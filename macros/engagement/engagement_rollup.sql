{#
    The monthly engagement rollup: one definition of what a customer's events in
    a month add up to, used by int_engagement_monthly (complete months, stored)
    and int_engagement_month_to_date (the month of as_of_date, up to that day).

    points_<group> are the events' weights decayed to the last day of the month:
    sum of weight x 0.5 ^ (days from the event to the month end / half-life).
    The engagement score on any later day s then follows exactly, month by
    month: points x 0.5 ^ (days from the month end to s / half-life) - the
    decayed sum carried forward, s(t + d) = s(t) x 0.5 ^ (d / h).

    Events are counted per taxonomy class: (channel group, funnel stage,
    active or not) of the seed, in columns active_<group>__<stage> and
    passive_<group>__<stage>. The aggregation runs in two steps - per customer,
    month, channel and event type first, then pivoted per customer and month -
    so the many pivot columns are summed over a fraction of the events.
#}

{% macro taxonomy_classes() %}
    {#- The (group, stage, is_active) classes of the seed as [column suffix, group, stage, is_active]. -#}
    {%- if not execute -%}{{ return([]) }}{%- endif -%}
    {%- set cache = run_cache() -%}
    {%- if 'taxonomy_classes' not in cache -%}
        {%- set rows = run_query("select distinct channel_group, funnel_stage, is_active_engagement from "
                                 ~ taxonomy_relation() ~ " order by 1, 2, 3").rows -%}
        {%- set classes = [] -%}
        {%- for group, stage, active in rows -%}
            {%- do classes.append([('active_' if active else 'passive_') ~ group ~ '__' ~ stage, group, stage,
                                   active]) -%}
        {%- endfor -%}
        {%- do cache.update({'taxonomy_classes': classes}) -%}
    {%- endif -%}
    {{ return(cache['taxonomy_classes']) }}
{% endmacro %}


{% macro stage_events(group, stage) %}
    {#- Events of one (group, stage) of the rollup, active or not: a sum of its class columns (0 when none). -#}
    {%- set columns = taxonomy_classes() | selectattr(1, 'equalto', group) | selectattr(2, 'equalto', stage)
                      | map(attribute=0) | list -%}
    {{ return('(' ~ (columns | join(' + ') if columns else '0') ~ ')') }}
{% endmacro %}


{% macro group_events(group, active_only=false) %}
    {#- Events of one channel group of the rollup (active ones only, if asked): a sum of its class columns. -#}
    {%- set columns = [] -%}
    {%- for name, class_group, stage, active in taxonomy_classes()
            if class_group == group and (active or not active_only) -%}
        {%- do columns.append(name) -%}
    {%- endfor -%}
    {{ return('(' ~ (columns | join(' + ') if columns else '0') ~ ')') }}
{% endmacro %}


{% macro engagement_rollup(events, taxonomy) %}
    {#-
        The select of the rollup: `events` holds customer_id, occurred_at,
        occurred_date, channel, event_type and activity_month; `taxonomy` is the
        seed. Returns customer_id, activity_month and engagement_rollup_columns().
    -#}
    {%- set month_end = last_day_of_month('activity_month') %}
    {%- set decay = decay_factor('occurred_date', month_end) %}
    with

    event_kinds as (

        select
            customer_id,
            activity_month,
            channel,
            event_type,
            count(*) as events,
            {{ exact_sum(decay) }} as decay_sum,
            max(occurred_date) as last_date,
            min(occurred_at) as first_at,
            max(occurred_at) as last_at
        from {{ events }}
        group by customer_id, activity_month, channel, event_type

    ),

    classified as (

        select
            event_kinds.*,
            {{ engagement_taxonomy_columns('taxonomy') }}
        from event_kinds
        left join {{ taxonomy }} as taxonomy
            on event_kinds.channel = taxonomy.channel
            and event_kinds.event_type = taxonomy.event_type

    )

    select
        customer_id,
        activity_month,
        {%- for group in channel_groups() %}
        {{ exact_sum("case when channel_group = '" ~ group ~ "' then weight * decay_sum else 0 end") }}
            as points_{{ group }},
        {%- endfor %}
        cast(sum(events) as {{ dbt.type_bigint() }}) as events,
        cast(sum(case when is_active_engagement then events else 0 end) as {{ dbt.type_bigint() }})
            as active_engagements,
        {%- for name, group, stage, active in taxonomy_classes() %}
        cast(sum(case when channel_group = '{{ group }}' and funnel_stage = '{{ stage }}'
            and {{ '' if active else 'not ' }}is_active_engagement then events else 0 end) as {{ dbt.type_bigint() }})
            as {{ name }},
        {%- endfor %}
        {%- for event_type, name in [('delivered', 'emails_delivered'), ('open', 'email_opens'), ('click', 'email_clicks')] %}
        cast(sum(case when channel = 'email' and event_type = '{{ event_type }}' then events else 0 end)
            as {{ dbt.type_bigint() }}) as {{ name }},
        {%- endfor %}
        max(last_date) as last_event_date,
        max(case when is_active_engagement then last_date end) as last_active_date,
        min(case when channel_group = 'social' and funnel_stage = 'click' then first_at end) as first_social_click_at,
        max(case when channel_group = 'live_event' and funnel_stage = 'registration' then last_at end)
            as last_live_event_registration_at,
        max(case when channel_group = 'live_event' and funnel_stage = 'attendance' then last_at end)
            as last_live_event_attendance_at
    from classified
    group by customer_id, activity_month
{% endmacro %}


{% macro engagement_rollup_columns() %}
    {#- The aggregate columns of engagement_rollup, in order. -#}
    {%- set columns = [] -%}
    {%- for group in channel_groups() -%}{%- do columns.append('points_' ~ group) -%}{%- endfor -%}
    {%- do columns.extend(['events', 'active_engagements']) -%}
    {%- for class in taxonomy_classes() -%}{%- do columns.append(class[0]) -%}{%- endfor -%}
    {%- do columns.extend(['emails_delivered', 'email_opens', 'email_clicks', 'last_event_date', 'last_active_date',
                           'first_social_click_at', 'last_live_event_registration_at',
                           'last_live_event_attendance_at']) -%}
    {{ return(columns) }}
{% endmacro %}


{% macro engagement_settings_fingerprint() %}
    {#- What the stored points depend on besides the events: the half-life and the seed's weights. -#}
    {{ return(var('engagement_half_life_days') ~ ':' ~ taxonomy_fingerprint()) }}
{% endmacro %}


{% macro engagement_window_days() %}
    {#- The longest window int_engagement_snapshots counts back from a day: 90 days, or two KPI periods. -#}
    {{ return([90, 2 * var('kpi_period_days')] | max) }}
{% endmacro %}


{% macro snapshot_event_bounds() %}
    {#- The first and last day of events int_engagement_snapshots reads: each snapshot's month, and its windows. -#}
    {%- if not reads_warehouse() -%}{{ return(['1970-01-01', '1970-01-01']) }}{%- endif -%}
    {%- set row = run_query("select min(case when counts_windows then least(snapshot_month, "
                            ~ dbt.dateadd('day', 1 - engagement_window_days(), 'snapshot_date')
                            ~ ") else snapshot_month end), max(snapshot_date) from " ~ ref('int_snapshot_dates')
                            ~ " where measures_engagement").rows[0] -%}
    {{ return([row[0] | string, row[1] | string]) }}
{% endmacro %}
