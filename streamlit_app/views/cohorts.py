import altair as alt
import pandas as pd
import streamlit as st

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
st.altair_chart((heat + labels).properties(height=28 * cohorts["cohort"].nunique() + 40),
                width="stretch")
if cohorts["is_partial_month"].any():
    st.caption("The last column of each cohort is the current month, which is not over yet.")

left, right = st.columns(2)
by_cohort = (cohorts.groupby("cohort")
             .agg(reactivated=("reactivated_customers", "sum"), lapsed=("lapsed_customers", "sum"),
                  clicks=("email_clicks", "sum"), delivered=("emails_delivered", "sum"),
                  size=("cohort_size", "first"))
             .reset_index())
by_cohort["reactivation_rate"] = by_cohort["reactivated"] / by_cohort["lapsed"].where(by_cohort["lapsed"] > 0)
by_cohort["email_ctr"] = by_cohort["clicks"] / by_cohort["delivered"].where(by_cohort["delivered"] > 0)
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
