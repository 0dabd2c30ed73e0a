"""A section of Features, embeddings & losses: the three levers (data, architecture, loss) and the experiment log."""

from __future__ import annotations

import functools

import pandas as pd
import streamlit as st

from app_state import FE
from embedcore import experiments as ex
from embedcore.nn import architecture
from embedcore.shapes import DATASET_TITLES, FEATURE_GROUPS
from ui.charts import show_chart
from ui.features_losses.charts import layer_table, log_figure
from ui.features_losses.common import takeaway
from ui.features_losses.diagram import changes, describe, network_figure
from ui.glossary import define
from ui.layout import more_controls
from ui.lesson import section
from ui.text import md
from ui.training import train_live

DATASET_OF = {label: name for name, label in DATASET_TITLES.items()}
FEATURE_SHORT = {"red": "red", "green": "green", "blue": "blue", "grey": "grey", "yellow": "yellowness"}
WEIGHT_SETTINGS = {"colour": FE.exp_w_colour, "shape": FE.exp_w_shape, "taxi": FE.exp_w_taxi, "vehicle": FE.exp_w_vehicle}


_INTRO = """Think of sculpture: the **features** are the clay, the **loss** the sculptor's vision, and the
**gradients** of training chip away at the embeddings until they take its shape. Three levers, plus luck:

* **Features:** new or more inputs, or more pictures; new data is hard to come by.
* **Architecture:** layers and widths change how the embeddings mix the inputs.
* **Loss:** the head weights decide what the embedding keeps; a small change can move a lot.
* **Luck:** the seed draws the pictures and the starting weights."""
#: The seeds of the "does one more feature help?" comparison, and the feature group it adds.
LUCK_SEEDS, ADDED = (0, 1, 2), "grey"


def luck_experiments() -> list[tuple[ex.Experiment, ex.Experiment]]:
    """Per seed of LUCK_SEEDS: the form's default experiment, and the same with the ADDED feature group."""
    dataset = DATASET_OF[FE.exp_dataset.default]
    weights = {head: setting.default for head, setting in WEIGHT_SETTINGS.items() if head in ex.HEADS[dataset]}
    design = functools.partial(ex.designed, dataset, n_train=FE.exp_train.default, depth=FE.exp_depth.default,
                               hidden=FE.exp_hidden.default, embedding=FE.exp_embedding.default,
                               activation=FE.exp_activation.default, weights=weights)
    base = tuple(FE.exp_features.default)
    return [(design(features=base, seed=s), design(features=(*base, ADDED), seed=s)) for s in LUCK_SEEDS]


def _luck() -> None:
    """Does one more feature group always help? The default experiment with and without it, over a few seeds."""
    pairs = luck_experiments()
    found = [train_live(list(pair), ["without", f"with {ADDED}"], what=f"Training with and without {ADDED}")
             for pair in pairs]
    head = ex.HEADS[pairs[0][0].dataset][0]
    without = [a.accuracy[head] for a, _ in found]
    moves = [100 * (b.accuracy[head] - a.accuracy[head]) for a, b in found]
    spread = 100 * (max(without) - min(without))
    takeaway(
        f"Does more always help? Adding {ADDED} to {', '.join(pairs[0][0].features)} moved {head} accuracy by "
        + ", ".join(f"{m:+.1f}" for m in moves)
        + f" points over seeds {', '.join(str(s) for s in LUCK_SEEDS)} ({pairs[0][0].n_train:,} training pictures); "
        f"the seed alone moved it by up to {spread:.1f}. {ADDED.capitalize()} repeats what the colour channels hold: "
        "more features help when they carry something new.",
        key=FE.levers_takeaway.key,
    )


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
    latest = st.session_state[FE.last_experiment.key]
    latest[:] = [*latest, experiment][-2:]  # the run before stays, so the diagram can say what changed
    st.success(
        "Done: " + ", ".join(f"{k} accuracy {v:.0%}" for k, v in result.accuracy.items())
        + f" in {result.train_seconds:.2f} s. The model map below can now show this model.",
        icon=":material/check_circle:",
    )


def _diagram() -> None:
    """The latest experiment's network, with what changed since the run before written under its layers."""
    experiments = list(dict.fromkeys(st.session_state[FE.last_experiment.key]))  # the same run twice: one model
    if not experiments:
        return
    results = train_live(experiments, [f"run {i}" for i in range(len(experiments))], what="Reading your models")
    layers = architecture(results[-1].model)
    changed = changes(architecture(results[0].model), layers) if len(results) > 1 else {}
    show_chart(network_figure(layers, changed=changed, title="Your latest model"), key=FE.exp_diagram.key,
               summary=describe(layers), name="your network", data=functools.partial(layer_table, layers))


def _show_log(log: list) -> None:
    """The experiment log: the latest network, the chart by lever (its CSV holds the full log) and the full table."""
    table = pd.DataFrame(log)
    _diagram()
    show_chart(log_figure(log), key=FE.log_chart.key, name="experiment log", data=table)
    with st.expander(f"The full log: {len(log)} runs, every setting and number"):
        st.dataframe(table, hide_index=True, key=FE.log_table.key)
    if st.button("Clear the log", key=FE.log_clear.key):
        log.clear()
        st.rerun(scope="fragment")


@section
def three_levers() -> None:
    """The three levers: features, architecture and loss (and luck), an experiment form, and a log of every run."""
    st.markdown(_INTRO)
    define("gradient")
    _luck()
    # A segmented control can be emptied: fall back to the default.
    dataset = DATASET_OF[st.segmented_control("Dataset", **FE.exp_dataset.widget) or FE.exp_dataset.default]
    experiment = _form(dataset)
    log: list = st.session_state[FE.log.key]
    if experiment is not None:
        _run(experiment, log)
    if not log:
        st.info("No runs yet: pull a lever and press **Run experiment**.", icon=":material/touch_app:")
        return
    _show_log(log)
