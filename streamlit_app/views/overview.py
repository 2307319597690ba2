import altair as alt
import streamlit as st
from charts import (
    color_scale,
    count_column,
    kpi_delta,
    kpi_value,
    money,
    money_axis,
    money_column,
    open_customer_on_select,
)

import data

st.title("Overview")
kpis = data.query("kpis")
period = kpis.iloc[0]
st.caption(f"The {(period['period_end'] - period['period_start']).days + 1} days to {period['period_end']:%d %b %Y}, "
           f"against the {(period['prior_period_end'] - period['prior_period_start']).days + 1} days before.")
columns = st.columns(len(kpis))
for column, row in zip(columns, kpis.itertuples(), strict=True):
    inverse = row.metric == "at_risk_rate"  # a rising at-risk rate is bad news
    delta = kpi_delta(row.change, row.change_share, row.unit)
    column.metric(row.metric_label, kpi_value(row.value, row.unit), delta,
                  delta_color=("inverse" if inverse else "normal") if delta else "off")

segments = data.query("value_segments")
left, right = st.columns(2)
with left:
    st.subheader("Revenue and customers by value segment")
    # an explicit order: a layered chart drops sort="-x" (the domains are unioned)
    by_revenue = list(segments.sort_values(["net_revenue", "value_segment"], ascending=[False, True])["value_segment"])
    chart = alt.Chart(segments).mark_bar().encode(
        x=alt.X("net_revenue:Q", axis=money_axis("Net revenue")),
        y=alt.Y("value_segment:N", sort=by_revenue, title=None),
        color=alt.Color("value_segment:N", scale=color_scale(segments["value_segment"]), legend=None),
        tooltip=[alt.Tooltip("value_segment:N", title="Value segment"),
                 alt.Tooltip("customers:Q", format=",", title="Customers"),
                 alt.Tooltip("net_revenue:Q", format=",.0f", title="Net revenue")],
    )
    labels = chart.mark_text(align="left", dx=4).encode(
        text=alt.Text("customers:Q", format=","), color=alt.value("#333"))
    st.altair_chart((chart + labels).properties(height=260), width="stretch")
    st.caption("Bars: net revenue to date. Labels: customers.")
with right:
    st.subheader("Revenue vs churn risk by ML segment")
    risk = data.query("segment_risk")
    scatter = alt.Chart(risk).mark_circle(opacity=0.85).encode(
        x=alt.X("at_risk_share:Q", title="Share of customers at risk", axis=alt.Axis(format="%")),
        y=alt.Y("net_revenue:Q", axis=money_axis("Net revenue")),
        size=alt.Size("customers:Q", scale=alt.Scale(range=[200, 2500]), legend=None),
        color=alt.Color("segment_name:N", scale=color_scale(risk["segment_name"]), title="Segment"),
        tooltip=[alt.Tooltip("segment_name:N", title="Segment"),
                 alt.Tooltip("customers:Q", format=",", title="Customers"),
                 alt.Tooltip("net_revenue:Q", format=",.0f", title="Net revenue"),
                 alt.Tooltip("at_risk_share:Q", format=".1%", title="At risk")],
    ).properties(height=260)
    st.altair_chart(scatter, width="stretch")
    st.caption("Bubble size: customers in the segment.")

st.subheader("Month by month, by value segment")
MONTHLY = {"active_customers": "Active customers", "orders": "Orders", "net_revenue": "Net revenue"}
measure = st.segmented_control("Measure", list(MONTHLY), default="active_customers", format_func=MONTHLY.get,
                               key="monthly_measure") or "active_customers"
monthly = data.query("monthly_by_segment")
area = alt.Chart(monthly).mark_area(opacity=0.85).encode(
    x=alt.X("yearmonth(activity_month):T", title=None),
    y=alt.Y(f"{measure}:Q", stack=True, **({"axis": money_axis(MONTHLY[measure])} if measure == "net_revenue"
                                           else {"title": MONTHLY[measure]})),
    color=alt.Color("value_segment:N", scale=color_scale(monthly["value_segment"]), title="Value segment"),
    tooltip=[alt.Tooltip("yearmonth(activity_month):T", title="Month"),
             alt.Tooltip("value_segment:N", title="Value segment"),
             alt.Tooltip("active_customers:Q", format=",", title="Active customers"),
             alt.Tooltip("orders:Q", format=",", title="Orders"),
             alt.Tooltip("net_revenue:Q", format=",.0f", title="Net revenue")],
).properties(height=280)
st.altair_chart(area, width="stretch")
context = data.query("as_of").iloc[0]
st.caption("A customer counts in today's value segment throughout."
           + (" The last month is not over yet." if context.get("is_as_of_month_partial", True) else ""))

st.subheader("High-revenue customers at risk")
at_risk = data.query("high_revenue_at_risk")
picked = st.dataframe(at_risk, hide_index=True, placeholder="–", width="stretch", on_select="rerun",
                      selection_mode="single-row",
                      key="at_risk_table", column_config={
    "customer_id": "Customer", "territory": "Territory", "plan": "Plan", "value_segment": "Value segment",
    "monetary": money_column("Net revenue"),
    "recency_days": count_column("Days since last order"),
    "radar_segment": "Radar", "propensity": st.column_config.ProgressColumn(
        "Propensity", min_value=0.0, max_value=1.0, format="%.2f"),
    "next_best_action": "Next best action",
})
st.caption(f"Top {len(at_risk)} by net revenue, {money(at_risk['monetary'].sum())} in total. Pick a row to open the "
           "customer.")
open_customer_on_select(picked, at_risk)
