import altair as alt
import numpy as np
import pandas as pd
import streamlit as st
from charts import CURRENCY, count_column, money_column, open_customer_on_select, readable, share_column, target_words

import data

FEATURE_WORDS = {"btyd": "BG/NBD", "30d": "(30 days)", "90d": "(90 days)", "0_29d": "(0-29 days ago)",
                 "30_59d": "(30-59 days ago)", "60_89d": "(60-89 days ago)", "p": "P", "monetary": "net revenue"}


def feature_label(feature: str) -> str:
    """A model feature as a person reads it: 'days_since_last_order' -> 'Days since last order'."""
    known = {"tenure_days": "Tenure (days)", "frequency": "Orders", "monetary": "Net revenue",
             "average_order_value": "Average order value", "segment": "Segment", "plan": "Plan",
             "company_size": "Company size", "log_monetary": "Net revenue (log)",
             "log_average_order_value": "Average order value (log)", "btyd_p_alive": "P(alive), BG/NBD",
             "btyd_expected_purchases": "Expected purchases, BG/NBD",
             "btyd_probability_of_purchase": "Chance of a purchase, BG/NBD"}
    if feature in known:
        return known[feature]
    if feature.endswith("_score") and feature != "engagement_score":
        return f"{readable(feature[:-6])} score"
    for suffix in ("0_29d", "30_59d", "60_89d", "30d", "90d"):
        if feature.endswith("_" + suffix):
            return f"{readable(feature[: -len(suffix) - 1])} {FEATURE_WORDS[suffix]}"
    return readable(feature)


st.title("Targeting")
info = data.query("model_info").iloc[0]
if info["status"] != "trained":
    st.warning(f"No propensity model could be trained: {info['status_reason']}")
    st.stop()
SHIPPED_NAMES = {"gradient_boosting": "gradient boosting", "logistic_regression": "logistic regression",
                 "bg_nbd": "the BG/NBD purchase model", "recency_rule": "days since the last order"}
shipped_name = SHIPPED_NAMES.get(info.get("shipped_model") or "gradient_boosting", "gradient boosting")
will, did = target_words(info.get("propensity_target"))
st.caption(f"Who is likely to {will} in the next {int(info['horizon_days'])} days: {shipped_name} trained on the "
           f"customers as they were on {info['train_snapshot_date']:%d %b %Y}, scored on today's data.")

values = data.query("filter_values")
filters = {}
columns = st.columns(len(data.TARGET_FILTERS) + 1)
for column, (name, label) in zip(columns, data.TARGET_FILTERS.items(), strict=False):
    options = sorted(v for v in values.loc[values["name"] == name, "value"].dropna().unique())
    filters[name] = column.multiselect(label, options, key=f"filter_{name}")
limit = columns[-1].selectbox("Show the top", [100, 500, 1000, 5000], index=3, key="target_limit",
                              format_func=lambda n: f"{n:,}")

targets = data.targets(filters, limit)
matching = int(targets["matching_customers"].iloc[0]) if len(targets) else 0
targets = targets.drop(columns=["matching_customers"])
shown_count = f"The top {len(targets):,} of {matching:,}" if matching > len(targets) else f"{matching:,}"
st.subheader(f"{shown_count} customers, most likely first")
TARGET_COLUMNS = {"customer_id": "Customer", "segment_name": "Segment", "radar_segment": "Radar",
                  "value_segment": "Value segment", "territory": "Territory", "plan": "Plan", "industry": "Industry",
                  "company_size": "Company size", "propensity": "Propensity", "propensity_decile": "Decile",
                  "monetary": "Net revenue", "recency_days": "Days since last order",
                  "engagement_score": "Engagement", "next_best_action": "Next best action"}
FIRST_COLUMNS = ["customer_id", "segment_name", "radar_segment", "plan", "territory", "propensity", "monetary",
                 "next_best_action"]
extra = st.multiselect("More columns", [c for c in TARGET_COLUMNS if c not in FIRST_COLUMNS], default=[],
                       format_func=TARGET_COLUMNS.get, key="target_columns")
picked = st.dataframe(targets, hide_index=True, placeholder="–", width="stretch", height=380, on_select="rerun",
                      selection_mode="single-row", key="target_table",
                      column_order=[c for c in TARGET_COLUMNS if c in FIRST_COLUMNS or c in extra], column_config={
                 **{name: label for name, label in TARGET_COLUMNS.items()},
                 "propensity": st.column_config.ProgressColumn("Propensity", min_value=0.0, max_value=1.0,
                                                               format="percent"),
                 "propensity_decile": count_column("Decile"),
                 "monetary": money_column("Net revenue"),
                 "recency_days": count_column("Days since last order"),
                 "engagement_score": st.column_config.NumberColumn("Engagement", format="%.1f"),
             })
# the file a person opens in a spreadsheet: readable headers, rounded figures
export = targets.assign(propensity=targets["propensity"].round(4), monetary=targets["monetary"].round(2),
                        engagement_score=targets["engagement_score"].round(2)).rename(columns={
    **TARGET_COLUMNS, "monetary": f"Net revenue ({CURRENCY['symbol']})"})
open_customer_on_select(picked, targets)
st.download_button("Download this list (CSV)", export.to_csv(index=False).encode(), file_name="target_list.csv",
                   mime="text/csv", icon=":material/download:")

metrics = data.query("model_metrics")
if "evaluation" not in metrics:  # a warehouse built before backtests
    metrics["evaluation"], metrics["is_shipped"] = "holdout", metrics["model"] == "gradient_boosting"
holdout = metrics[metrics["evaluation"] == "holdout"]
backtest = metrics[metrics["evaluation"] == "backtest"]
shipped = holdout[holdout["is_shipped"]]
shipped = (shipped if len(shipped) else holdout.head(1)).iloc[0]
st.subheader("How good is the model?")
st.caption(f"The scores above come from **{shipped['model_label']}**"
           + (", the model that did best out of time (backtest PR-AUC)." if len(backtest) else ".")
           + f" In time: {int(shipped['holdout_customers']):,} held-out customers the models never saw, "
           f"{shipped['holdout_positive_rate']:.0%} of whom {did}."
           + (f" Out of time (backtest): models trained one horizon earlier, scored on all "
              f"{int(backtest['holdout_customers'].iloc[0]):,} customers of the training snapshot - the way the "
              "scores are used." if len(backtest) else ""))
MODEL_NAMES = {"gradient_boosting": "Gradient boosting", "logistic_regression": "Logistic regression",
               "bg_nbd": "BG/NBD purchase chance", "recency_rule": "Days since last order",
               "gradient_boosting_without_segments": "Boosting without segments"}
shown = metrics[metrics["evaluation"].isin(["holdout", "backtest"])].assign(
    evaluation=metrics["evaluation"].map({"holdout": "In time", "backtest": "Out of time"}),
    model_label=metrics["model"].map(MODEL_NAMES).fillna(metrics["model_label"])
    + np.where(metrics["is_baseline"], " (baseline)", "") + np.where(metrics["is_shipped"], " - shipped", ""))
NUMBERS = ["roc_auc", "pr_auc", "lift_top_20pct", "precision", "recall", "f1", "brier"]
shown[NUMBERS] = shown[NUMBERS].astype(float)  # an empty figure shows blank, not None
shown = shown.sort_values(["evaluation", "is_baseline"], kind="stable")[["evaluation", "model_label", *NUMBERS]]
st.dataframe(shown, hide_index=True, width="stretch", placeholder="–", column_config={
    "evaluation": "Evaluation", "model_label": "Model",
    "roc_auc": st.column_config.NumberColumn("ROC-AUC", format="%.3f"),
    "pr_auc": st.column_config.NumberColumn("PR-AUC", format="%.3f"),
    "lift_top_20pct": st.column_config.NumberColumn("Lift, top 20%", format="%.2f"),
    "precision": st.column_config.NumberColumn("Precision", format="%.2f"),
    "recall": st.column_config.NumberColumn("Recall", format="%.2f"),
    "f1": st.column_config.NumberColumn("F1", format="%.2f"),
    "brier": st.column_config.NumberColumn("Brier", format="%.3f", help="Brier score: lower is better"),
})
# the shipped model at its threshold, out of time when there is a backtest: who it picks and who it misses
picked_row = metrics[(metrics["evaluation"] == ("backtest" if len(backtest) else "holdout")) & metrics["is_shipped"]]
if len(picked_row) and pd.notna(picked_row["precision"].iloc[0]) and picked_row["precision"].iloc[0] > 0:
    row = picked_row.iloc[0]
    customers = int(row["holdout_customers"])
    positives = round(row["holdout_positive_rate"] * customers)
    hits = round(row["recall"] * positives)
    flagged = round(hits / row["precision"])
    matrix = pd.DataFrame({"": [f"Flagged as targets ({flagged:,})", f"Not flagged ({customers - flagged:,})"],
                           f"Then {did} ({positives:,})": [hits, positives - hits],
                           f"Did not ({customers - positives:,})": [flagged - hits,
                                                                    customers - positives - flagged + hits]})
    left, right = st.columns([3, 2])
    left.dataframe(matrix, hide_index=True, placeholder="–", width="stretch", column_config={
        column: count_column(column) for column in matrix.columns[1:]})
    right.caption(f"At the decision threshold ({row['threshold']:.0%} propensity), "
                  f"{'out of time' if len(backtest) else 'in time'}: of {flagged:,} customers flagged as targets, "
                  f"{hits:,} {did} (precision {row['precision']:.0%}); they were {row['recall']:.0%} of all who "
                  f"{did}. The rest of the list is ranked below the threshold.")
warnings = metrics[metrics["evaluation"] == "leakage_warning"]
for warning in warnings.itertuples():
    st.warning(warning.model_label)

left, right = st.columns(2)
with left:
    st.subheader("Gains and lift")
    gains = data.query("gains")
    gains["decile_label"] = gains["decile"].map(lambda d: f"Top {d * 10}%")
    bars = alt.Chart(gains).mark_bar(color="#1b7837").encode(
        x=alt.X("decile:O", title="Decile of propensity (1 = highest)"),
        y=alt.Y("lift:Q", title="Lift over the average"),
        tooltip=["decile", alt.Tooltip("positive_rate:Q", format=".0%"), alt.Tooltip("lift:Q", format=".2f")],
    )
    rule = alt.Chart(gains).mark_rule(color="#999", strokeDash=[4, 3]).encode(y=alt.datum(1))
    st.altair_chart((bars + rule).properties(height=280), width="stretch")
    captured = gains.loc[gains["decile"] == 2, "cumulative_positive_share"].iloc[0]
    st.caption(f"The top 20% by propensity hold {captured:.0%} of the customers who {did}.")
with right:
    st.subheader("What drives the score")
    importance = data.query("importance").head(10).copy()
    importance["feature_label"] = importance["feature"].map(feature_label)
    st.altair_chart(alt.Chart(importance).mark_bar(color="#4393c3").encode(
        x=alt.X("importance:Q", title="Drop in ROC-AUC when shuffled"),
        y=alt.Y("feature_label:N", sort=list(importance["feature_label"]), title=None,
                axis=alt.Axis(labelLimit=260)),
        tooltip=[alt.Tooltip("feature_label:N", title="Feature"),
                 alt.Tooltip("importance:Q", format=".4f", title="Drop in ROC-AUC")],
    ).properties(height=alt.Step(26)), width="stretch")
    st.caption("The ten features the gradient-boosting model leans on most, measured on held-out customers.")

BREAKDOWN_LABELS = {"plan": "Plan", "territory": "Territory", "industry": "Industry", "company_size": "Company size",
                    "segment": "Segment"}
breakdowns = data.query("breakdowns")
if len(breakdowns):
    st.subheader("Who is likely, by group")
    dimension = st.segmented_control("Group customers by", list(BREAKDOWN_LABELS), default="plan",
                                     format_func=BREAKDOWN_LABELS.get, key="breakdown_dimension") or "plan"
    group = breakdowns[breakdowns["dimension"] == dimension]
    base_rate = group["backtest_overall_target_rate"].dropna()
    left, right = st.columns([3, 2])
    with left:
        order = list(group.sort_values(["backtest_target_rate", "value"], ascending=[False, True])["value"])
        y = alt.Y("value:N", title=None, sort=order)
        tooltip = [alt.Tooltip("value:N", title=BREAKDOWN_LABELS[dimension]),
                   alt.Tooltip("backtest_target_rate:Q", format=".1%", title="Observed"),
                   alt.Tooltip("backtest_mean_propensity:Q", format=".1%", title="Predicted"),
                   alt.Tooltip("backtest_customers:Q", format=",", title="Customers (backtest)")]
        bars = alt.Chart(group).mark_bar(color="#1b7837").encode(
            y=y, x=alt.X("backtest_target_rate:Q", title=f"Share who {did} (backtest)", axis=alt.Axis(format="%")),
            tooltip=tooltip)
        ticks = alt.Chart(group).mark_tick(color="#222222", thickness=2, size=18).encode(
            y=y, x="backtest_mean_propensity:Q", tooltip=tooltip)
        layers = [bars, ticks]
        if len(base_rate):
            layers.append(alt.Chart(pd.DataFrame({"rate": [float(base_rate.iloc[0])]})).mark_rule(
                color="#999999", strokeDash=[4, 3]).encode(x="rate:Q"))
        st.altair_chart(alt.layer(*layers).properties(height=alt.Step(30)), width="stretch")
        if len(base_rate):
            st.caption(f"Out of time: a model trained one horizon before the training snapshot, compared with what "
                       f"the customers then did. Bars: the share who {did}; black ticks: what that model predicted; "
                       f"dashed line: everyone ({base_rate.iloc[0]:.1%}).")
    with right:
        st.dataframe(group[["value", "customers", "mean_propensity", "backtest_lift"]],
                     hide_index=True, placeholder="–", width="stretch", column_config={
                         "value": BREAKDOWN_LABELS[dimension],
                         "customers": count_column("Customers today"),
                         "mean_propensity": share_column("Mean propensity"),
                         "backtest_lift": st.column_config.NumberColumn("Lift (backtest)", format="%.2f"),
                     })
        st.caption(f"By {BREAKDOWN_LABELS[dimension].lower()}: customers today and their mean propensity; lift: "
                   f"the group's share who {did} out of time over everyone's.")
