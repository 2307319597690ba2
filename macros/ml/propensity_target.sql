{% macro propensity_target() %}
    {#- The outcome the propensity model predicts (var('propensity_target')): the name of a label model
        int_labels__<target>. -#}
    {{ return(var('propensity_target') | string | trim | lower) }}
{% endmacro %}


{% macro propensity_label_model() %}
    {#- The label model of the chosen target; the run stops earlier (validate_propensity_target) when there is none. -#}
    {{ return(ref('int_labels__' ~ propensity_target())) }}
{% endmacro %}


{% macro validate_propensity_target() %}
    {#-
        on-run-start: the chosen target has a label model (models/intermediate/labels/int_labels__<target>.sql),
        and every raw file the label model needs (its meta requires_raw_files) is present. One message says
        what to do.
    -#}
    {%- if execute -%}
        {%- set target_name = propensity_target() -%}
        {%- set targets = [] -%}
        {%- set ns = namespace(node=none) -%}
        {%- for node in graph.nodes.values()
                if node.resource_type == 'model' and node.package_name == project_name
                and node.name.startswith('int_labels__') -%}
            {%- do targets.append(node.name[12:]) -%}
            {%- if node.name == 'int_labels__' ~ target_name -%}{%- set ns.node = node -%}{%- endif -%}
        {%- endfor -%}
        {%- if ns.node is none -%}
            {{ exceptions.raise_compiler_error("propensity_target is '" ~ target_name ~ "'; it must be one of: "
                ~ (targets | sort | join(', ')) ~ " (a target is a label model "
                ~ "models/intermediate/labels/int_labels__<target>.sql).") }}
        {%- endif -%}
        {%- set meta = ns.node.config.meta if ns.node.config.meta else ns.node.meta -%}
        {%- set missing = [] -%}
        {%- for table_name in (meta or {}).get('requires_raw_files', []) -%}
            {%- if not raw_file_is_present(table_name) -%}
                {%- do missing.append(raw_file_path(table_name)) -%}
            {%- endif -%}
        {%- endfor -%}
        {%- if missing -%}
            {{ exceptions.raise_compiler_error("propensity_target '" ~ target_name ~ "' needs the file "
                ~ (missing | join(' and ')) ~ ", which is not there. " ~ (meta or {}).get('requires_reason', '')
                ~ " Add the file (see the input contract in README.md) or choose another target: "
                ~ (targets | reject('equalto', target_name) | sort | join(', ')) ~ ".") }}
        {%- endif -%}
    {%- endif -%}
    select 1
{% endmacro %}
