"""A section of Features, embeddings & losses: the taxi example, a feature lever and a loss lever against a baseline."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from app_state import FE
from embedcore import experiments as ex
from embedcore.shapes import colour_yellowness
from ui import heavy
from ui.charts import show_chart
from ui.features_losses.cache import gallery
from ui.features_losses.charts import bars_figure
from ui.training import train_live


def _intro() -> None:
    """The taxi question, the two levers (with how much of each colour yellowness keeps) and sample vehicles."""
    kept = colour_yellowness()
    partly = [c for c, v in kept.items() if 0.05 < v < 0.75]
    st.markdown(
        f"""Now a task that needs **both** colour and shape: is this vehicle a **taxi**? Taxis are the
**yellow cars**. Yellow school buses, vans and trucks are *not* taxis, and neither are orange or red
cars, so colour alone is not enough (and neither is shape). Two of the three levers, each trained on its own
and compared with the same plain baseline (the third lever, the architecture, is in the next section):

* **feature lever:** replace the colour channels with *yellowness*, min(R, G) - B, which keeps yellow
  ({kept["yellow"]:.2f}){"".join(f", {c} only partly ({kept[c]:.2f})" for c in partly)} and removes every other
  colour (0);
* **loss lever:** add a **colour head** to the loss, so the embedding must also name the colour.

With both switched on, each lever is trained alone and both together."""
    )
    images, captions = gallery("vehicles", 9, 3)
    st.image(images, caption=captions, alt=captions, width=72)


def _controls() -> tuple[int, bool, bool, float, bool]:
    """The training size, the two levers and the colour head's weight (0 without it), and whether to train."""
    c1, c2, c3 = st.columns(3)
    with c1:
        n_train = st.slider("Training pictures", **FE.taxi_train.widget)
    with c2:
        yellowness = st.toggle("Feature lever: yellowness input", **FE.taxi_yellow.widget)
        colour_head = st.toggle("Loss lever: add a colour head", **FE.taxi_colour_head.widget)
    with c3:
        colour_weight = 0.0
        if colour_head:
            colour_weight = float(st.slider("Colour head weight", **FE.taxi_colour_w.widget))
        else:
            st.caption("Switch on the loss lever to set the colour head's weight.")
    run = st.button("Train the baseline and the levers", key=FE.taxi_run.key, icon=":material/model_training:",
                    type="primary")
    return n_train, yellowness, colour_head, colour_weight, run


def _row(run_id: int, name: str, result: ex.Result) -> dict:
    """One model's line of the results table: its taxi accuracy and how much yellow its embedding kept."""
    # "Is it yellow?" is the colour information the taxi question needs: a yes/no probe.
    yellow = ex.probe_one_class(result, "colour", "yellow")
    return {
        "run": run_id,
        "model": name,
        "pictures": result.experiment.n_train,
        "taxi accuracy": round(result.accuracy["taxi"], 3),
        "taxi chance": round(result.probes["taxi"].chance, 3),
        "yellow kept (probe)": round(yellow.accuracy, 3),
        "yellow chance": round(yellow.chance, 3),
        "seconds": round(result.train_seconds, 2),
    }


def _results(runs: list[dict]) -> None:
    """Every run's table, the latest run's bars, and each lever's change against the baseline."""
    table = pd.DataFrame(runs)
    st.dataframe(
        table,
        hide_index=True,
        key=FE.taxi_table.key,
        column_config={
            "taxi accuracy": st.column_config.ProgressColumn(format="percent", min_value=0, max_value=1),
            "taxi chance": st.column_config.NumberColumn(format="percent"),
            "yellow kept (probe)": st.column_config.ProgressColumn(format="percent", min_value=0, max_value=1),
            "yellow chance": st.column_config.NumberColumn(format="percent"),
        },
    )
    last = table[table["run"] == table["run"].max()]
    show_chart(
        bars_figure(
            last.assign(label=last["model"]), x="label", columns=["taxi accuracy", "yellow kept (probe)"],
            title="Latest run"
        ),
        key=FE.taxi_chart.key,
        data=table,
        name="taxi runs",
    )
    base = last.iloc[0]
    changes = "; ".join(
        f"{row['model']}: {row['taxi accuracy'] - base['taxi accuracy']:+.1%}" for _, row in last.iloc[1:].iterrows()
    )
    st.container(key=FE.taxi_summary.key).markdown(
        f"With {base['pictures']:,} training pictures the baseline names taxis right "
        f"**{base['taxi accuracy']:.1%}** of the time (always answering the most common answer: "
        f"{base['taxi chance']:.0%})." + (f" Against it: {changes}." if changes else " Switch on a lever to compare.")
    )
    st.caption(
        "The yellow probe asks one yes/no question of each embedding: is the vehicle yellow? A probe near its chance "
        "means a simple reader cannot find yellowness there; it does not prove the information is gone."
    )


@heavy.section
def taxi_example() -> None:
    """The taxi example: a feature lever (keep only yellow) and a loss lever (also predict colour) against a baseline."""
    _intro()
    n_train, yellowness, colour_head, colour_weight, run = _controls()
    runs: list = st.session_state[FE.taxi_runs.key]
    if run:
        models = ex.taxi_models(n_train, yellowness=yellowness, colour_head=colour_head, colour_weight=colour_weight)
        results = train_live([m for _, m in models], [n for n, _ in models], what="Training the taxi models")
        run_id = 1 + max((r["run"] for r in runs), default=0)
        runs.extend(_row(run_id, name, result) for (name, _), result in zip(models, results))
        del runs[:-40]  # keep the session small
    if not runs:
        st.info("Switch on a lever (or none) and press **Train the baseline and the levers**.",
                icon=":material/touch_app:")
        return
    _results(runs)
