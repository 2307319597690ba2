import altair as alt
import pandas as pd
import streamlit as st
from charts import CURRENCY, count_column, money_column

import data

st.title("Cohorts")
cohorts = data.query("cohorts")
cohorts["cohort"] = cohorts["cohort_month"].dt.strftime("%Y-%m")
st.caption("Customers grouped by the month they signed up. Active = ordered, or opened, clicked, visited, "
           "registered, attended or took a call in the month.")

MEASURES = {"retention_rate": "Active", "purchase_rate": "Purchased", "reactivation_rate": "Reactivated",
            "email_click_through_rate": "Email click-through"}
metric = st.segmented_control("Measure", list(MEASURES), default="retention_rate",
                              format_func=MEASURES.get) or "retention_rate"
formats = {"email_click_through_rate": ".1%"}
heat = alt.Chart(cohorts).mark_rect().encode(
    x=alt.X("months_since_signup:O", title="Months since signup"),
    y=alt.Y("cohort:O", title="Signup cohort"),
    color=alt.Color(f"{metric}:Q", title=None, scale=alt.Scale(scheme="blues"),
                    legend=alt.Legend(format=formats.get(metric, ".0%"))),
    tooltip=[alt.Tooltip("cohort:O", title="Cohort"), alt.Tooltip("months_since_signup:O", title="Months since signup"),
             alt.Tooltip("cohort_size:Q", format=",", title="Cohort size"),
             alt.Tooltip("active_customers:Q", format=",", title="Active customers"),
             alt.Tooltip(f"{metric}:Q", format=formats.get(metric, ".1%"), title=MEASURES[metric])],
)
middle = (cohorts[metric].min() + cohorts[metric].max()) / 2
# a cell where the measure does not apply (no one lapsed yet, no email sent) stays blank, never "null"
cohorts["cell_label"] = cohorts[metric].map(
    lambda value: "" if pd.isna(value) else format(value, formats.get(metric, ".0%")))
labels = heat.mark_text(fontSize=10).encode(
    text="cell_label:N",
    color=alt.condition(f"datum.{metric} > {middle if middle == middle else 0.5}", alt.value("white"),
                        alt.value("#222")),
)
cell = alt.selection_point(name="cell", fields=["cohort"], on="click")
clicked = st.altair_chart((heat.add_params(cell) + labels).properties(height=28 * cohorts["cohort"].nunique() + 40),
                          width="stretch", on_select="rerun", key="cohort_heatmap")
if cohorts["is_partial_month"].any():
    st.caption("The last column of each cohort is the current month, which is not over yet.")

st.subheader("Who to re-engage")
cohort_names = sorted(cohorts["cohort"].unique())
chosen = (clicked.selection.get("cell") or [{}])[0].get("cohort") if clicked is not None else None
if chosen in cohort_names and st.session_state.get("reengage_clicked") != chosen:
    st.session_state["reengage_clicked"] = chosen  # a click on the heatmap picks the cohort below
    st.session_state["reengage_cohort"] = chosen
cohort = st.selectbox("Cohort (or click a row of the heatmap)", cohort_names, index=None, key="reengage_cohort",
                      placeholder="Choose a signup cohort")
if cohort:
    people = data.query("reengage", f"{cohort}-01")
    st.caption(f"{len(people):,} customers of the {cohort} cohort are at risk, on the radar's Alert or Dormant, "
               "most valuable first.")
    st.dataframe(people, hide_index=True, placeholder="–", width="stretch", height=300, column_config={
        "customer_id": "Customer", "value_segment": "Value segment", "radar_segment": "Radar",
        "recency_days": count_column("Days since last order"), "monetary": money_column("Net revenue"),
        "days_since_last_engagement": count_column("Days since last engagement"),
        "next_best_action": "Next best action"})
    export = people.rename(columns={"customer_id": "Customer", "value_segment": "Value segment",
                                    "radar_segment": "Radar", "recency_days": "Days since last order",
                                    "monetary": f"Net revenue ({CURRENCY['symbol']})",
                                    "days_since_last_engagement": "Days since last engagement",
                                    "next_best_action": "Next best action"}).round(2)
    st.download_button("Download these customers (CSV)", export.to_csv(index=False).encode(),
                       file_name=f"reengage_{cohort}.csv", mime="text/csv", icon=":material/download:")

left, right = st.columns(2)
by_cohort = data.query("cohort_summary").rename(columns={
    "reactivated_customers": "reactivated", "lapsed_customers": "lapsed", "email_clicks": "clicks",
    "emails_delivered": "delivered", "email_click_through_rate": "email_ctr"})
by_cohort["cohort"] = by_cohort["cohort_month"].dt.strftime("%Y-%m")
with left:
    st.subheader("Reactivation by cohort")
    st.altair_chart(alt.Chart(by_cohort).mark_bar(color="#e08214").encode(
        x=alt.X("cohort:O", title=None), y=alt.Y("reactivation_rate:Q", title="Came back",
                                                  axis=alt.Axis(format="%")),
        tooltip=[alt.Tooltip("cohort:O", title="Cohort"),
                 alt.Tooltip("reactivation_rate:Q", format=".1%", title="Came back"),
                 alt.Tooltip("reactivated:Q", format=",", title="Reactivated"),
                 alt.Tooltip("lapsed:Q", format=",", title="Lapsed")],
    ).properties(height=260), width="stretch")
with right:
    st.subheader("Email click-through by cohort")
    st.altair_chart(alt.Chart(by_cohort).mark_bar(color="#4393c3").encode(
        x=alt.X("cohort:O", title=None), y=alt.Y("email_ctr:Q", title="Clicks per email",
                                                  axis=alt.Axis(format=".1%")),
        tooltip=[alt.Tooltip("cohort:O", title="Cohort"),
                 alt.Tooltip("email_ctr:Q", format=".1%", title="Clicks per email"),
                 alt.Tooltip("clicks:Q", format=",", title="Clicks"),
                 alt.Tooltip("delivered:Q", format=",", title="Emails delivered")],
    ).properties(height=260), width="stretch")
