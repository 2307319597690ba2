import altair as alt
import pandas as pd
import streamlit as st
from charts import (
    color_scale,
    count_column,
    money,
    money_axis,
    money_column,
    open_customer_on_select,
    readable,
    segment_order,
)

import data

st.title("Engagement radar")
counts = data.query("radar_counts")
context = data.query("as_of").iloc[0]
help_text = {
    "Watch List": "Consistently high engagement, this quarter and last.",
    "Alert": f"Engagement fell by {context['radar_alert_drop']:.0%} or more from a meaningful level.",
    "Potential": f"Low a quarter ago, grown {context['radar_growth_ratio']:g} times or more since.",
    "Steady": "No strong change.",
    "New": "Signed up less than a quarter ago.",
    "Dormant": f"No active engagement for {int(context['radar_dormant_days'])} days.",
}
# more customers in Alert or Dormant is bad news; New and Steady follow the customer base, neither good nor bad
delta_colors = {"Alert": "inverse", "Dormant": "inverse", "New": "off", "Steady": "off"}
prior_date = pd.Timestamp(counts["prior_quarter_date"].iloc[0])
for column, row in zip(st.columns(len(counts)), counts.itertuples(), strict=True):
    change = int(row.change_in_customers)
    column.metric(
        row.radar_segment, f"{int(row.customers):,}",
        f"{change:+,} in a quarter" if change else None,
        delta_color=delta_colors.get(row.radar_segment, "normal") if change else "off",
        help=f"{help_text[row.radar_segment]} On {prior_date:%-d %b %Y}: {int(row.customers_prior_quarter):,} "
             f"customers; {int(row.customers_also_prior_quarter):,} of today's were in this segment then.")
st.caption(f"Change since {prior_date:%-d %b %Y}, one quarter ago, when the radar compared that day with the "
           "quarter before it.")

left, right = st.columns([3, 2])
with left:
    st.subheader("Engagement vs penetration")
    points = data.query("engagement_vs_value")
    by_value = st.toggle("Net revenue instead of penetration", value=False, key="scatter_revenue")
    y = (alt.Y("monetary:Q", scale=alt.Scale(type="sqrt"), axis=money_axis("Net revenue to date")) if by_value
         else alt.Y("penetration:Q", title="Penetration (share of the peers' potential)", axis=alt.Axis(format="%")))
    scatter = alt.Chart(points).mark_circle(size=28, opacity=0.6).encode(
        x=alt.X("engagement_score:Q", title="Engagement score", scale=alt.Scale(type="sqrt")),
        y=y,
        color=alt.Color("radar_segment:N", scale=color_scale(points["radar_segment"]), title="Radar"),
        tooltip=[alt.Tooltip("customer_id:N", title="Customer"), alt.Tooltip("radar_segment:N", title="Radar"),
                 alt.Tooltip("value_segment:N", title="Value segment"),
                 alt.Tooltip("engagement_score:Q", format=".1f", title="Engagement score"),
                 alt.Tooltip("penetration:Q", format=".0%", title="Penetration"),
                 alt.Tooltip("monetary:Q", format=",.0f", title="Net revenue")],
    ).properties(height=340)
    st.altair_chart(scatter, width="stretch")
    engaged = points["engagement_score"] >= points["engagement_score"].quantile(0.75)
    untapped = int((engaged & (points["penetration"].fillna(0) < 0.25)).sum())
    st.caption(f"A sample of {len(points):,} customers; engagement on a square-root scale. Penetration: net revenue "
               "over what the best customers of the same territory, industry and size spend (their 90th "
               f"percentile). {untapped:,} of the most engaged quarter have a penetration under 25%: untapped "
               "potential.")
with right:
    st.subheader("Channel mix")
    mix = data.query("channel_mix")
    mix["channel"] = mix["channel_group"].map(readable)
    mix["share"] = mix["score"] / mix["score"].sum()
    st.altair_chart(alt.Chart(mix).mark_bar(color="#4393c3").encode(
        x=alt.X("share:Q", title="Share of the engagement score", axis=alt.Axis(format="%")),
        y=alt.Y("channel:N", sort="-x", title=None),
        tooltip=[alt.Tooltip("channel:N", title="Channel"), alt.Tooltip("share:Q", format=".1%", title="Share")],
    ).properties(height=340), width="stretch")

st.subheader("Alerts")
alerts = data.query("alerts")
reason = st.radio("Reason", ["engagement_drop", "high_value_at_risk"], horizontal=True,
                  format_func={"engagement_drop": "Engagement dropped",
                               "high_value_at_risk": "Top spender overdue"}.get)
shown = alerts[alerts["alert_reason"] == reason]
shown = shown.drop(columns=["alert_reason"]).reset_index(drop=True)
picked = st.dataframe(shown, hide_index=True, placeholder="–", width="stretch", on_select="rerun",
                      selection_mode="single-row",
                      key="alerts_table", column_config={
    "customer_id": "Customer", "magnitude": st.column_config.NumberColumn("Magnitude", format="%.2f"),
    "alert_detail": "Why", "value_segment": "Value segment",
    "monetary": money_column("Net revenue"), "territory": "Territory",
    "next_best_action": "Next best action"})
st.caption(f"{len(shown):,} customers. Magnitude: the share of engagement lost, or how many times overdue. Pick a "
           "row to open the customer.")
open_customer_on_select(picked, shown)

st.subheader("How customers moved this quarter")
transitions = data.query("transitions")
schemes = [scheme for scheme in ("radar", "value") if (transitions["scheme"] == scheme).any()]
if not schemes:
    st.info("No transitions yet: a quarter of history is needed.")
else:
    scheme = st.radio("Segments", schemes, horizontal=True, key="transition_scheme",
                      format_func={"radar": "Radar segment", "value": "Value segment"}.get) if len(schemes) > 1 \
        else schemes[0]
    moves = transitions[transitions["scheme"] == scheme].copy()
    # radar segments in the cards' order (radar_summary.display_order), value segments as every chart shows them
    order = segment_order([*moves["from_segment"], *moves["to_segment"]], first=counts["radar_segment"])
    moves["label"] = moves["customers"].map("{:,}".format)
    base = alt.Chart(moves).encode(
        x=alt.X("to_segment:N", sort=order, title=f"Today ({pd.Timestamp(moves['to_date'].iloc[0]):%-d %b %Y})",
                axis=alt.Axis(labelAngle=0, orient="top")),
        y=alt.Y("from_segment:N", sort=order,
                title=f"A quarter ago ({pd.Timestamp(moves['from_date'].iloc[0]):%-d %b %Y})"))
    cells = base.mark_rect().encode(
        color=alt.Color("share_of_from_segment:Q", title="Share of the row", scale=alt.Scale(scheme="blues"),
                        legend=alt.Legend(format="%")),
        tooltip=[alt.Tooltip("from_segment:N", title="A quarter ago"), alt.Tooltip("to_segment:N", title="Today"),
                 alt.Tooltip("customers:Q", format=",", title="Customers"),
                 alt.Tooltip("share_of_from_segment:Q", format=".1%", title="Share of the row")])
    text = base.mark_text(fontSize=12).encode(
        text="label:N",
        color=alt.condition("datum.share_of_from_segment > 0.5", alt.value("white"), alt.value("#222")))
    st.altair_chart((cells + text).properties(height=alt.Step(34)), width="stretch")
    slid = moves[(moves["from_segment"] == "Watch List") & (moves["to_segment"] == "Alert")]
    st.caption("Each row: where the customers of a segment a quarter ago are today (the share of the row). "
               + (f"{int(slid['customers'].sum()):,} Watch List customers slid to Alert. " if scheme == "radar"
                  else "")
               + "Customers who signed up since are not counted.")

left, right = st.columns(2)
with left:
    st.subheader("Which content draws customers")
    content = data.query("content")
    content = content[content["channel"].isin(["webinar", "email", "live_event"])].copy()
    content["content"] = content["channel"].map(readable) + " · " + content["content_type"].map(readable).str.lower()
    order = list(content.sort_values(["engaged_customers_per_campaign", "content"], ascending=[False, True])["content"])
    chart = alt.Chart(content).mark_bar().encode(
        x=alt.X("engaged_customers_per_campaign:Q", title="Engaged customers per campaign"),
        y=alt.Y("content:N", title=None, sort=order, axis=alt.Axis(labelLimit=220)),
        color=alt.Color("channel:N", legend=None, scale=alt.Scale(scheme="tableau10")),
        tooltip=[alt.Tooltip("content:N", title="Content"), alt.Tooltip("campaigns:Q", title="Campaigns"),
                 alt.Tooltip("engaged_customers_per_campaign:Q", format=",.0f", title="Engaged per campaign"),
                 alt.Tooltip("attendance_rate:Q", format=".0%", title="Attendance rate"),
                 alt.Tooltip("click_through_rate:Q", format=".1%", title="Click-through rate")],
    ).properties(height=alt.Step(26))
    st.altair_chart(chart, width="stretch")
    st.caption("Email, webinar and live-event campaigns by content type: customers who engaged actively, per "
               "campaign.")
with right:
    st.subheader("Quarter over quarter")
    quarterly = data.query("quarterly_trend")
    quarterly = quarterly[quarterly["channel_group"] != "unknown"].copy()
    quarterly["channel"] = quarterly["channel_group"].map(readable)
    quarterly = quarterly.sort_values(["channel", "quarter_start"])
    quarterly["change"] = quarterly.groupby("channel")["customers_engaged"].pct_change()
    as_change = st.toggle("As the change on the quarter before", value=True, key="quarter_change")
    shown_quarters = quarterly.dropna(subset=["change"]) if as_change else quarterly
    line = alt.Chart(shown_quarters).mark_line(point=True).encode(
        x=alt.X("yearquarter(quarter_start):O", title=None),
        y=(alt.Y("change:Q", title="Change on the quarter before", axis=alt.Axis(format="%"))
           if as_change else alt.Y("customers_engaged:Q", title="Customers engaging actively")),
        color=alt.Color("channel:N", title="Channel"),
        strokeDash=alt.condition("datum.is_partial_quarter", alt.value([4, 3]), alt.value([1, 0])),
        tooltip=[alt.Tooltip("channel:N", title="Channel"),
                 alt.Tooltip("yearquarter(quarter_start):O", title="Quarter"),
                 alt.Tooltip("customers_engaged:Q", format=",", title="Customers engaging"),
                 alt.Tooltip("change:Q", format="+.1%", title="Change on the quarter before"),
                 alt.Tooltip("active_engagements:Q", format=",", title="Active engagements")],
    ).properties(height=300)
    st.altair_chart(line, width="stretch")
    st.caption("Customers engaging actively per channel" + (", as the change on the quarter before (the customer "
               "base grows, so early quarters change most)." if as_change else "."))
    if quarterly["is_partial_quarter"].any():
        st.caption("The current quarter is not over yet (dashed).")

st.subheader("Omnichannel funnel")
funnel = data.query("funnel")
funnels = sorted(funnel["funnel"].unique(), key=lambda name: (name != "all channels", readable(name)))
choice = st.selectbox("Funnel", funnels, index=0, format_func=readable)
steps = funnel[funnel["funnel"] == choice].copy()
# the first stage has no previous stage: no label (never "null")
steps["conversion_label"] = steps["conversion_from_previous_stage"].map(
    lambda share: "" if pd.isna(share) else f"{share:.0%}")
chart = alt.Chart(steps).mark_bar(color="#1b7837").encode(
    x=alt.X("customers:Q", title="Customers"),
    y=alt.Y("stage_label:N", sort=alt.SortField("stage_number"), title=None),
    tooltip=[alt.Tooltip("stage_label:N", title="Stage"), alt.Tooltip("customers:Q", format=",", title="Customers"),
             alt.Tooltip("conversion_label:N", title="From previous stage")],
)
text = chart.mark_text(align="left", dx=4, color="#333").encode(text="conversion_label:N")
st.altair_chart((chart + text).properties(height=40 * len(steps) + 20), width="stretch")
overall = steps.sort_values("stage_number")["conversion_from_first_stage"].iloc[-1] if len(steps) else None
st.caption("Labels: conversion from the previous stage."
           + (f" From the first stage to the last: {overall:.1%} ({steps['stage_label'].iloc[0].lower()} → "
              f"{steps['stage_label'].iloc[-1].lower()})." if overall is not None and pd.notna(overall) else ""))

st.subheader("Campaign performance")
campaigns = data.query("campaigns")
campaigns["channel_label"] = campaigns["channel"].map(readable)
by_channel = (campaigns.groupby("channel_label", as_index=False)
              .agg(campaigns=("campaign_id", "size"), attributed_orders=("attributed_orders", "sum"),
                   attributed_revenue=("attributed_revenue", "sum"), cost=("cost", "sum")))
by_channel["return_on_cost"] = by_channel["attributed_revenue"] / by_channel["cost"].where(by_channel["cost"] > 0)
left, right = st.columns([2, 3])
with left:
    order = list(by_channel.sort_values("attributed_revenue", ascending=False)["channel_label"])
    st.altair_chart(alt.Chart(by_channel).mark_bar(color="#1b7837").encode(
        x=alt.X("attributed_revenue:Q", axis=money_axis("Attributed net revenue")),
        y=alt.Y("channel_label:N", sort=order, title=None),
        tooltip=[alt.Tooltip("channel_label:N", title="Channel"), alt.Tooltip("campaigns:Q", title="Campaigns"),
                 alt.Tooltip("attributed_orders:Q", format=",", title="Attributed orders"),
                 alt.Tooltip("attributed_revenue:Q", format=",.0f", title="Attributed revenue"),
                 alt.Tooltip("cost:Q", format=",.0f", title="Cost"),
                 alt.Tooltip("return_on_cost:Q", format=".1f", title="Revenue per unit of cost")],
    ).properties(height=alt.Step(28)), width="stretch")
    total_cost = by_channel["cost"].sum()
    st.caption(f"Orders are credited to the last active engagement in the attribution window. In all: "
               f"{money(by_channel['attributed_revenue'].sum())} attributed to campaigns that cost "
               f"{money(total_cost)}.")
with right:
    channel = st.selectbox("Campaigns of", ["All channels", *order], key="campaign_channel")
    shown = campaigns if channel == "All channels" else campaigns[campaigns["channel_label"] == channel]
    st.dataframe(shown, hide_index=True, placeholder="–", width="stretch", height=300,
                 column_order=["campaign_name", "channel_label", "attributed_orders", "attributed_revenue", "cost",
                               "return_on_cost"], column_config={
                     "campaign_name": st.column_config.TextColumn("Campaign", width="medium"),
                     "channel_label": st.column_config.TextColumn("Channel", width="small"),
                     "engaged_customers": count_column("Engaged"),
                     "attributed_orders": count_column("Orders", width="small"),
                     "attributed_revenue": money_column("Revenue", width="small"),
                     "cost": money_column("Cost", width="small"),
                     "return_on_cost": st.column_config.NumberColumn(
                         "Return", format="%.1f", width="small",
                         help="Attributed net revenue per unit of cost")})
