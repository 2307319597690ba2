import altair as alt
import streamlit as st
from charts import color_scale

import data

st.title("Engagement radar")
counts = data.query("radar_counts").set_index("radar_segment")
order = ["Watch List", "Alert", "Potential", "Steady", "New", "Dormant"]
columns = st.columns(len(order))
help_text = {
    "Watch List": "Consistently high engagement, this quarter and last.",
    "Alert": "Engagement fell by half or more from a meaningful level.",
    "Potential": "Low a quarter ago, at least doubled since.",
    "Steady": "No strong change.",
    "New": "Signed up less than a quarter ago.",
    "Dormant": "No active engagement for 90 days.",
}
for column, name in zip(columns, order, strict=True):
    value = int(counts["customers"].get(name, 0))
    column.metric(name, f"{value:,}", help=help_text[name])

left, right = st.columns([3, 2])
with left:
    st.subheader("Engagement vs value")
    points = data.query("engagement_vs_value")
    scatter = alt.Chart(points).mark_circle(size=28, opacity=0.6).encode(
        x=alt.X("engagement_score:Q", title="Engagement score", scale=alt.Scale(type="sqrt")),
        y=alt.Y("monetary:Q", title="Net revenue to date", scale=alt.Scale(type="sqrt"), axis=alt.Axis(format="~s")),
        color=alt.Color("radar_segment:N", scale=color_scale(points["radar_segment"]), title="Radar"),
        tooltip=["customer_id", "radar_segment", "value_segment", alt.Tooltip("engagement_score:Q", format=".1f"),
                 alt.Tooltip("monetary:Q", format=",.0f")],
    ).properties(height=340)
    st.altair_chart(scatter, width="stretch")
    st.caption(f"A sample of {len(points):,} customers; both axes on a square-root scale.")
with right:
    st.subheader("Channel mix")
    mix = data.query("channel_mix")
    st.altair_chart(alt.Chart(mix).transform_joinaggregate(total="sum(score)").transform_calculate(
        share="datum.score / datum.total").mark_bar(color="#4393c3").encode(
        x=alt.X("share:Q", title="Share of the engagement score", axis=alt.Axis(format="%")),
        y=alt.Y("channel_group:N", sort="-x", title=None),
        tooltip=["channel_group", alt.Tooltip("share:Q", format=".1%")]).properties(height=340),
        width="stretch")

st.subheader("Alerts")
alerts = data.query("alerts")
reason = st.radio("Reason", ["engagement_drop", "high_value_at_risk"], horizontal=True,
                  format_func={"engagement_drop": "Engagement dropped",
                               "high_value_at_risk": "Top spender overdue"}.get)
shown = alerts[alerts["alert_reason"] == reason]
st.dataframe(shown.drop(columns=["alert_reason"]), hide_index=True, width="stretch", column_config={
    "customer_id": "Customer", "magnitude": st.column_config.NumberColumn("Magnitude", format="%.2f"),
    "alert_detail": "Why", "value_segment": "Value segment",
    "monetary": st.column_config.NumberColumn("Net revenue", format="%.0f"), "territory": "Territory",
    "next_best_action": "Next best action"})
st.caption(f"{len(shown):,} customers. Magnitude: the share of engagement lost, or how many times overdue.")

left, right = st.columns(2)
with left:
    st.subheader("Which content draws customers")
    content = data.query("content")
    content = content[content["channel"].isin(["webinar", "email", "live_event"])]
    chart = alt.Chart(content).mark_bar().encode(
        x=alt.X("engaged_customers_per_campaign:Q", title="Engaged customers per campaign"),
        y=alt.Y("content_type:N", title=None, sort="-x"),
        row=alt.Row("channel:N", title=None, header=alt.Header(labelAngle=0, labelAlign="left")),
        color=alt.Color("content_type:N", legend=None),
        tooltip=["channel", "content_type", "campaigns", alt.Tooltip("attendance_rate:Q", format=".0%"),
                 alt.Tooltip("click_through_rate:Q", format=".1%")],
    ).properties(height=90)
    st.altair_chart(chart, width="stretch")
with right:
    st.subheader("Quarter over quarter")
    quarterly = data.query("quarterly_trend")
    quarterly = quarterly[quarterly["channel_group"] != "unknown"]
    line = alt.Chart(quarterly).mark_line(point=True).encode(
        x=alt.X("yearquarter(quarter_start):O", title=None),
        y=alt.Y("customers_engaged:Q", title="Customers engaging actively"),
        color=alt.Color("channel_group:N", title="Channel"),
        strokeDash=alt.condition("datum.is_partial_quarter", alt.value([4, 3]), alt.value([1, 0])),
        tooltip=["channel_group", alt.Tooltip("yearquarter(quarter_start):O", title="Quarter"),
                 alt.Tooltip("customers_engaged:Q", format=","), alt.Tooltip("active_engagements:Q", format=",")],
    ).properties(height=300)
    st.altair_chart(line, width="stretch")
    st.caption("The current quarter is not over yet.")

st.subheader("Omnichannel funnel")
funnel = data.query("funnel")
choice = st.selectbox("Funnel", sorted(funnel["funnel"].unique()),
                      index=sorted(funnel["funnel"].unique()).index("all channels"))
steps = funnel[funnel["funnel"] == choice]
chart = alt.Chart(steps).mark_bar(color="#1b7837").encode(
    x=alt.X("customers:Q", title="Customers"),
    y=alt.Y("stage_label:N", sort=alt.SortField("stage_number"), title=None),
    tooltip=["stage_label", alt.Tooltip("customers:Q", format=","),
             alt.Tooltip("conversion_from_previous_stage:Q", format=".0%", title="From previous stage")],
)
text = chart.mark_text(align="left", dx=4, color="#333").encode(
    text=alt.Text("conversion_from_previous_stage:Q", format=".0%"))
st.altair_chart((chart + text).properties(height=40 * len(steps) + 20), width="stretch")
st.caption("Labels: conversion from the previous stage.")
