import altair as alt
import pandas as pd
import streamlit as st
from charts import money, money_column, readable, target_words

import data

st.title("Customer")
# opened from another page's table: ?customer=<id>
opened_for = st.query_params.get("customer")
if opened_for and st.session_state.get("customer_opened_for") != opened_for:
    st.session_state["customer_opened_for"] = opened_for
    st.session_state["customer_search"] = opened_for
search = st.text_input("Find a customer by id", key="customer_search", placeholder="e.g. C0000042")
# the text is matched literally: % and _ are not wildcards
pattern = search.strip().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
matches = data.query("customer_search", f"%{pattern}%")
if matches.empty:
    st.info("No customer id contains that text.")
    st.stop()
customer_id = st.selectbox("Customer", matches["customer_id"], key="customer_pick",
                           help="The 50 best matches, most likely to order first.")
row = data.query("customer", customer_id).iloc[0]
context = data.query("as_of").iloc[0]

st.subheader(f"{row['customer_id']} · {row['segment_name']} · {row['radar_segment']}")
st.caption(f"{row['territory']} · {row['industry']} · {row['company_size']} · plan {row['plan']} · "
           f"customer since {row['signup_date']:%d %b %Y}")
columns = st.columns(6)
columns[0].metric("Propensity", f"{row['propensity']:.1%}" if pd.notna(row["propensity"]) else "-",
                  help=f"How likely the customer is to {target_words(context['propensity_target'])[0]} in the "
                       f"next {int(context['propensity_horizon_days'])} days")
columns[1].metric("Net revenue", money(row["monetary"]),
                  f"{row['frequency']} order{'' if row['frequency'] == 1 else 's'}", delta_color="off",
                  delta_arrow="off")
columns[2].metric("Engagement score", f"{row['engagement_score']:.1f}",
                  f"{row['engagement_score'] - row['prior_quarter_score']:+.1f} in a quarter")
scores = "-" if pd.isna(row["r_score"]) else f"R{row['r_score']:.0f} F{row['f_score']:.0f} M{row['m_score']:.0f}"
columns[3].metric("RFM scores", scores, row["rfm_segment"], delta_color="off", delta_arrow="off")
columns[4].metric("At risk", "yes" if row["is_at_risk"] else "no", row["value_segment"], delta_color="off",
                  delta_arrow="off")
has_value = "lifetime_value" in row and pd.notna(row["lifetime_value"])
columns[5].metric("Lifetime value", money(row["lifetime_value"]) if has_value else "-",
                  f"P(alive) {row['p_alive']:.0%}" if has_value else "no order yet", delta_color="off",
                  delta_arrow="off",
                  help=(f"Expected net revenue of the next {int(row['clv_horizon_days'])} days, discounted "
                        f"(buy-till-you-die models; {row['expected_purchases']:.1f} purchases expected in "
                        f"{int(row['horizon_days'])} days). "
                        "P(alive): the chance the customer has not lapsed for good.") if has_value else None)
st.success(f"**Next best action: {row['next_best_action']}.** {row['action_reason']}")
alerts = data.query("customer_alerts", customer_id)
for alert in alerts.itertuples():
    st.warning(alert.alert_detail)

orders = data.query("customer_orders", customer_id)
events = data.query("customer_events", customer_id)
st.subheader("Timeline")
if orders.empty and events.empty:
    st.info("No orders or engagement yet.")
else:
    timeline = pd.concat([
        events.assign(kind="engagement", label=events["channel"].map(readable) + " · "
                      + events["event_type"].map(readable).str.lower(), value=events["weight"])
        [["occurred_at", "kind", "label", "channel_group", "value"]].rename(columns={"occurred_at": "at"}),
        orders.assign(kind="order", label="Order", channel_group="order", value=orders["net_revenue"])
        [["ordered_at", "kind", "label", "channel_group", "value"]].rename(columns={"ordered_at": "at"}),
    ])
    timeline["group"] = timeline["channel_group"].map(readable)
    chart = alt.Chart(timeline).mark_tick(thickness=2, size=18).encode(
        x=alt.X("at:T", title=None),
        # orders first, then the channel groups by their share of everyone's engagement
        y=alt.Y("group:N", title=None, sort=[readable(group) for group in (
            "order", *data.query("channel_mix")["channel_group"])]),
        color=alt.Color("group:N", legend=None),
        tooltip=[alt.Tooltip("at:T", format="%d %b %Y %H:%M", title="When"), alt.Tooltip("label:N", title="What"),
                 alt.Tooltip("value:Q", format=",.2f", title="Points or net revenue")],
    ).properties(height=260)
    st.altair_chart(chart, width="stretch")
    if not events.empty:
        # the engagement score week by week: every event's points halve every half-life
        half_life = float(context["engagement_half_life_days"])
        weeks = pd.date_range(events["occurred_at"].min().normalize(), context["as_of_date"], freq="7D")
        event_days = events["occurred_at"].dt.tz_localize(None).dt.normalize().to_numpy()
        ages = (weeks.to_numpy()[:, None] - event_days[None, :]) / pd.Timedelta(days=1)
        weights = events["weight"].to_numpy(dtype=float)[None, :] * (ages >= 0) * 0.5 ** (ages.clip(min=0) / half_life)
        history = pd.DataFrame({"week": weeks, "score": weights.sum(axis=1)})
        st.altair_chart(alt.Chart(history).mark_line(color="#1b7837").encode(
            x=alt.X("week:T", title=None), y=alt.Y("score:Q", title="Engagement score"),
            tooltip=[alt.Tooltip("week:T", format="%d %b %Y", title="Week of"),
                     alt.Tooltip("score:Q", format=".1f", title="Engagement score")],
        ).properties(height=180), width="stretch")
        st.caption(f"The engagement score week by week (each event's points halve every {half_life:g} days).")
    left, right = st.columns(2)
    left.caption(f"{len(orders):,} order{'' if len(orders) == 1 else 's'}")
    left.dataframe(orders, hide_index=True, width="stretch", placeholder="–", column_order=[
        "ordered_at", "net_revenue", "gross_amount", "discount_amount", "refund_amount"], column_config={
        "ordered_at": st.column_config.DatetimeColumn("Ordered", format="D MMM YYYY, HH:mm"),
        "net_revenue": money_column("Net revenue"), "gross_amount": money_column("Gross"),
        "discount_amount": money_column("Discount"), "refund_amount": money_column("Refund")})
    right.caption(f"{len(events):,} engagement events")
    shown_events = events.assign(channel=events["channel"].map(readable), event_type=events["event_type"].map(readable),
                                 campaign_id=events["campaign_id"].fillna("–"))
    right.dataframe(shown_events, hide_index=True, width="stretch", placeholder="–",
                    column_order=["occurred_at", "channel", "event_type", "weight", "campaign_id"], column_config={
                        "occurred_at": st.column_config.DatetimeColumn("When", format="D MMM YYYY, HH:mm"),
                        "channel": "Channel", "event_type": "Event",
                        "weight": st.column_config.NumberColumn("Points", format="%.1f"),
                        "campaign_id": "Campaign"})
