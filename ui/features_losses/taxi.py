"""A section of Features, embeddings & losses: the taxi example, a feature lever and a loss lever against a baseline.

On first open the section shows its default run (warmed at start-up): the
baseline, each lever alone and both together, at the default training size
and colour-head weight. *Train* adds a run at the student's settings.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from app_state import FE
from embedcore import experiments as ex
from embedcore.shapes import colour_yellowness
from ui.charts import show_chart
from ui.features_losses.cache import gallery
from ui.features_losses.charts import bars_figure
from ui.features_losses.common import takeaway
from ui.lesson import section
from ui.training import train_live


def _intro() -> None:
    """The taxi question, the two levers (with how much of each colour yellowness keeps) and sample vehicles."""
    kept = colour_yellowness()
    partly = [c for c, v in kept.items() if 0.05 < v < 0.75]
    st.markdown(
        f"""Is this vehicle a **taxi**? Taxis are the **yellow cars**: yellow buses, vans and trucks are not, nor orange
or red cars, so the task needs colour and shape. Two levers, each against one baseline:

* **feature lever:** replace the colour channels with *yellowness*, min(R, G) − B: yellow keeps
  {kept["yellow"]:.2f}{"".join(f", {c} {kept[c]:.2f}" for c in partly)}, other colours 0;
* **loss lever:** add a **colour head**, so the embedding must also name the colour."""
    )
    images, captions = gallery("vehicles", 9, 3)
    st.image(images, caption=captions, alt=captions, width=72, output_format="PNG")  # as encoded: no re-encoding


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


def _train(runs: list[dict], n_train: int, colour_weight: float) -> None:
    """Train the baseline, each lever alone and both together; add them to ``runs`` as one run."""
    models = ex.taxi_models(n_train, yellowness=True, colour_head=True, colour_weight=colour_weight)
    results = train_live([m for _, m in models], [n for n, _ in models], what="Training the taxi models")
    run_id = 1 + max((r["run"] for r in runs), default=0)
    runs.extend(_row(run_id, name, result) for (name, _), result in zip(models, results))
    del runs[:-40]  # keep the session small


def _takeaway(last: pd.DataFrame) -> str:
    """The baseline, each lever's change against it in points, and which lever did the most here."""
    base, levers = last.iloc[0], last.iloc[1:]
    change = {row["model"]: 100 * (row["taxi accuracy"] - base["taxi accuracy"]) for _, row in levers.iterrows()}
    best = max(change, key=change.get)
    return (
        f"With {base['pictures']:,} training pictures the baseline names taxis right {base['taxi accuracy']:.1%} of "
        f"the time (chance {base['taxi chance']:.0%}). Against it: "
        + ", ".join(f"{name} {points:+.1f} points" for name, points in change.items())
        + f". Here **{best}** helped most."
    )


def _results(runs: list[dict]) -> None:
    """Every run's table, the latest run's bars, and each lever's change against the baseline."""
    table = pd.DataFrame(runs)
    st.dataframe(
        table, hide_index=True, key=FE.taxi_table.key,
        column_config={
            "taxi accuracy": st.column_config.ProgressColumn(format="percent", min_value=0, max_value=1),
            "taxi chance": st.column_config.NumberColumn(format="percent"),
            "yellow kept (probe)": st.column_config.ProgressColumn(
                format="percent", min_value=0, max_value=1,
                help="A yes/no probe of the embedding: is the vehicle yellow? Near its chance, a simple reader "
                     "cannot find yellowness there (which does not prove it is gone)."),
            "yellow chance": st.column_config.NumberColumn(format="percent"),
        },
    )
    last = table[table["run"] == table["run"].max()]
    show_chart(bars_figure(last.assign(label=last["model"]), x="label",
                           columns=["taxi accuracy", "yellow kept (probe)"], title=f"Run {int(last['run'].iloc[0])}"),
               key=FE.taxi_chart.key, data=table, name="taxi runs")
    takeaway(_takeaway(last), key=FE.taxi_summary.key)


@section
def taxi_example() -> None:
    """The taxi example: a feature lever (keep only yellow) and a loss lever (also predict colour) against a baseline."""
    _intro()
    c1, c2 = st.columns(2)
    n_train = int(c1.slider("Training pictures", **FE.taxi_train.widget))
    colour_weight = float(c2.slider("Colour head weight", **FE.taxi_colour_w.widget))
    run = st.button("Train with these settings", key=FE.taxi_run.key, icon=":material/model_training:", type="primary")
    runs: list = st.session_state[FE.taxi_runs.key]
    if not runs:  # the default run, warmed at start-up: the section opens with its evidence
        _train(runs, FE.taxi_train.default, FE.taxi_colour_w.default)
    if run:
        _train(runs, n_train, colour_weight)
    _results(runs)
