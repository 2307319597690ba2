import altair as alt
import streamlit as st
from charts import color_scale, count_column, money, money_column, share_column

import data

st.title("Segments")
profiles = data.query("segment_profiles")
diagnostics = data.query("segment_diagnostics")
chosen = diagnostics.loc[diagnostics["is_chosen"]].iloc[0]
st.caption(f"KMeans on behaviour rates (robust-scaled, outliers clipped, PCA). k = {int(chosen['k'])} was chosen "
           f"for the best silhouette ({chosen['silhouette']:.2f}) on a sample of {int(chosen['sample_size']):,} "
           "customers. Names come from each segment's profile.")

columns = st.columns(len(profiles))
for column, row in zip(columns, profiles.itertuples(), strict=True):
    column.metric(f"{row.segment_name} customers", f"{row.customers:,}", f"{row.revenue_share:.1%} of revenue",
                  delta_color="off", delta_arrow="off")

left, right = st.columns([3, 2])
with left:
    st.subheader("Customers on the first two principal components")
    points = data.query("segment_scatter")
    st.altair_chart(alt.Chart(points).mark_circle(size=20, opacity=0.55).encode(
        x=alt.X("pc1:Q", title="PC 1"), y=alt.Y("pc2:Q", title="PC 2"),
        color=alt.Color("segment_name:N", scale=color_scale(points["segment_name"]), title="Segment"),
        tooltip=[alt.Tooltip("customer_id:N", title="Customer"), alt.Tooltip("segment_name:N", title="Segment")],
    ).properties(height=360), width="stretch")
with right:
    st.subheader("Choosing k")
    base = alt.Chart(diagnostics).encode(x=alt.X("k:O", title="k (number of segments)", axis=alt.Axis(labelAngle=0)))
    silhouette = base.mark_line(point=True, color="#1b7837").encode(
        y=alt.Y("silhouette:Q", title="Silhouette", scale=alt.Scale(zero=False)))
    chosen_rule = alt.Chart(diagnostics[diagnostics["is_chosen"]]).mark_rule(color="#b2182b", strokeDash=[4, 3]) \
        .encode(x="k:O")
    st.altair_chart((silhouette + chosen_rule).properties(height=170), width="stretch")
    st.altair_chart(base.mark_line(point=True, color="#4393c3").encode(
        y=alt.Y("inertia:Q", title="Inertia", axis=alt.Axis(format="~s"))).properties(height=170),
        width="stretch")
    st.caption("Silhouette: higher means better separated segments; the dashed line marks the k used. Inertia: "
               "look for the elbow.")

st.subheader("Revenue concentration")
st.altair_chart(alt.Chart(profiles).transform_fold(["customer_share", "revenue_share"], as_=["measure", "share"])
                .mark_bar().encode(
    y=alt.Y("segment_name:N", title=None),
    x=alt.X("share:Q", title=None, axis=alt.Axis(format="%")),
    yOffset="measure:N",
    color=alt.Color("measure:N", title=None, scale=alt.Scale(
        domain=["customer_share", "revenue_share"], range=["#bbbbbb", "#1b7837"]),
        legend=alt.Legend(labelExpr="datum.value == 'revenue_share' ? 'Share of revenue' : 'Share of customers'")),
    tooltip=["segment_name", alt.Tooltip("share:Q", format=".1%")],
).properties(height=60 * len(profiles)), width="stretch")

st.subheader("Segment profiles")
shown = profiles[["segment_name", "customers", "revenue_share", "purchaser_share", "mean_monetary",
                  "mean_frequency", "mean_discount_share", "mean_engagement_score", "mean_days_since_last_order"]]
st.dataframe(shown, hide_index=True, placeholder="–", width="stretch", column_config={
    "segment_name": "Segment", "customers": count_column("Customers"),
    "revenue_share": share_column("Share of revenue"),
    "purchaser_share": share_column("Have ordered"),
    "mean_monetary": money_column("Revenue / customer"),
    "mean_frequency": st.column_config.NumberColumn("Orders", format="%.1f"),
    "mean_discount_share": share_column("Discount share"),
    "mean_engagement_score": st.column_config.NumberColumn("Engagement", format="%.1f"),
    "mean_days_since_last_order": count_column("Days since order"),
})
st.caption(f"Total net revenue: {money(profiles['mean_monetary'].mul(profiles['customers']).sum())}.")

breakdowns = data.query("breakdowns")
by_segment = breakdowns[breakdowns["dimension"] == "segment"]
if len(by_segment):
    target = str(by_segment["propensity_target"].iloc[0]).replace("_", " ")
    st.subheader(f"Propensity ({target}) by segment")
    st.dataframe(by_segment[["value", "customers", "mean_propensity", "backtest_target_rate", "backtest_lift"]],
                 hide_index=True, placeholder="–", width="stretch", column_config={
                     "value": "Segment",
                     "customers": count_column("Customers"),
                     "mean_propensity": share_column("Mean propensity today"),
                     "backtest_target_rate": share_column("Observed rate (backtest)"),
                     "backtest_lift": st.column_config.NumberColumn("Lift (backtest)", format="%.2f"),
                 })
    st.caption("The segments as the propensity model sees them: today's mean propensity, and out of time how often "
               "the segment's customers reached the target and how that compares with everyone (the lift).")
