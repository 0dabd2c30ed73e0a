"""A section of Features, embeddings & losses: the three levers (data, architecture, loss) and the experiment log."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from app_state import FE
from embedcore import experiments as ex
from embedcore.shapes import DATASET_TITLES, FEATURE_GROUPS
from ui import heavy
from ui.charts import show_chart
from ui.features_losses.charts import log_figure
from ui.layout import more_controls
from ui.text import md
from ui.training import train_live

DATASET_OF = {label: name for name, label in DATASET_TITLES.items()}
FEATURE_SHORT = {"red": "red", "green": "green", "blue": "blue", "grey": "grey", "yellow": "yellowness"}
WEIGHT_SETTINGS = {"colour": FE.exp_w_colour, "shape": FE.exp_w_shape, "taxi": FE.exp_w_taxi, "vehicle": FE.exp_w_vehicle}


_INTRO = """Think of a sculpture: the **features** are the clay, the **loss** is the finished piece the sculptor has
in mind, and the gradients of training chip away at the embeddings until they take that shape. So a model can
only be as good as its features, and a poor loss holds it back. That leaves three levers, plus luck:

* **Features:** give the model new or more features (another colour channel, yellowness), or more pictures.
  More to work with always helps, but new data is hard to come by.
* **Architecture:** layers, widths and activation change how the embeddings mix the inputs. Which change helps
  takes inspiration, or luck.
* **Loss:** the head weights decide what the embedding keeps. It is volatile: a small change can move a lot.
* **Luck:** the seed sets the pictures and the starting weights. Run the same settings with another seed to see
  how much of a difference is real.

Pull a lever and run: each run adds a point to your experiment log."""


def _form(dataset: str) -> ex.Experiment | None:
    """The experiment form (features, loss; more data, luck and architecture folded): the experiment, once submitted."""
    with st.form(FE.exp_form.key, border=True):
        c1, c3 = st.columns(2)
        with c1:
            st.markdown("**Features**")
            features = st.multiselect(
                "Feature groups the model sees",
                format_func=FEATURE_SHORT.get,
                help="; ".join(f"**{FEATURE_SHORT[k]}**: {v}" for k, v in FEATURE_GROUPS.items()),
                **FE.exp_features.widget,
            )
        with c3:
            st.markdown("**Loss: head weights**")
            weights = {head: st.slider(f"{head} head", **WEIGHT_SETTINGS[head].widget) for head in ex.HEADS[dataset]}
        with more_controls("levers"):
            c0, c2 = st.columns(2)
            with c0:
                st.markdown("**More data, and luck**")
                n_train = st.slider("Training pictures", **FE.exp_train.widget)
                seed = st.slider("Seed", help="Another seed draws other pictures and other starting weights.",
                                 **FE.exp_seed.widget)
            with c2:
                st.markdown("**Architecture**")
                depth = st.slider("Hidden layers", **FE.exp_depth.widget)
                hidden = st.slider("Units per hidden layer", **FE.exp_hidden.widget)
                embedding = st.slider("Embedding width", **FE.exp_embedding.widget)
                activation = st.radio("Activation", horizontal=True, **FE.exp_activation.widget)
        submitted = st.form_submit_button("Run experiment", key=FE.exp_run.key, icon=":material/science:",
                                          type="primary")
    if not submitted:
        return None
    return ex.designed(dataset, n_train=n_train, features=features, depth=depth, hidden=hidden,
                       embedding=embedding, activation=activation, weights=weights, seed=seed)


def _run(experiment: ex.Experiment, log: list) -> None:
    """Train ``experiment`` (or say why it cannot run), add its row to ``log`` and make it the map's latest model."""
    try:
        experiment.validate()
    except ValueError as err:
        st.error(f"Cannot run this experiment: {md(err)}.", icon=":material/error:")
        return
    (result,) = train_live([experiment], ["your model"], what="Running your experiment")
    log.append({"run": 1 + len(log), **ex.result_row(result)})
    del log[:-100]
    st.session_state[FE.last_experiment.key][:] = [experiment]
    st.success(
        "Done: " + ", ".join(f"{k} accuracy {v:.0%}" for k, v in result.accuracy.items())
        + f" in {result.train_seconds:.2f} s. The map in section 6 can now show this model.",
        icon=":material/check_circle:",
    )


def _show_log(log: list) -> None:
    """The experiment log: its chart by lever, the full table, a CSV download and a button to clear it."""
    table = pd.DataFrame(log)
    show_chart(log_figure(log), key=FE.log_chart.key, name="experiment log")
    with st.expander(f"The full log: {len(log)} runs, every setting and number"):
        st.dataframe(table, hide_index=True, key=FE.log_table.key)
    c1, c2 = st.columns([1, 1])
    c1.download_button(
        "Download the experiment log (CSV)",
        data=table.to_csv(index=False).encode("utf-8"),
        file_name="experiment-log.csv",
        mime="text/csv",
        key=FE.log_csv.key,
        icon=":material/download:",
    )
    if c2.button("Clear the log", key=FE.log_clear.key):
        log.clear()
        st.rerun(scope="fragment")


@heavy.section
def three_levers() -> None:
    """The three levers: an experiment form over features, architecture, loss and luck, and a log of every run."""
    st.markdown(_INTRO)
    # A segmented control can be emptied: fall back to the default.
    dataset = DATASET_OF[st.segmented_control("Dataset", **FE.exp_dataset.widget) or FE.exp_dataset.default]
    experiment = _form(dataset)
    log: list = st.session_state[FE.log.key]
    if experiment is not None:
        _run(experiment, log)
    if not log:
        st.info("No runs yet: set the levers and press **Run experiment**.", icon=":material/touch_app:")
        return
    _show_log(log)
