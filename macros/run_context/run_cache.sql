{#
    A memo for what a run looks up while it compiles (a raw file's columns, the
    seed's channel groups): the same answer for every model of one dbt
    invocation, asked of the database once instead of once per model. It lives
    in the invocation's graph object, which every node of the run shares. Only
    what cannot change during a run belongs here.
#}

{% macro run_cache() %}
    {%- if 'engagement_radar_run_cache' not in graph -%}
        {%- do graph.update({'engagement_radar_run_cache': {}}) -%}
    {%- endif -%}
    {{ return(graph['engagement_radar_run_cache']) }}
{% endmacro %}


{% macro reads_warehouse() %}
    {#-
        Whether compiling may query the database: true while dbt runs a model (execute), false while it parses,
        and false for the `lint` target, where sqlfluff compiles every model against an empty in-memory database:
        the macros that look something up (a raw file's columns, the seed's channel groups, a stored state) then
        give their parse-time answers, so the lint needs neither the raw files nor a built warehouse.
    -#}
    {{ return(execute and target.name != 'lint') }}
{% endmacro %}
