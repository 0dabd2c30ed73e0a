"""A section of Features, embeddings & losses: twin models, same features and different loss, and probes of what each kept."""

from __future__ import annotations

import functools

import pandas as pd
import streamlit as st

from app_state import FE
from embedcore import experiments as ex
from embedcore import knn
from embedcore.projection import METHODS, method_of
from ui import heavy
from ui.charts import show_chart
from ui.features_losses.cache import layer_map
from ui.features_losses import checks
from ui.features_losses.charts import loss_figure
from ui.features_losses.replay import replay_figure
from ui.features_losses.common import TWIN_NAMES, draw_map, note_fallback, probe_table, twin_results
from ui.features_losses.features import features_set_the_limit
from ui.glossary import define


@st.fragment
def replay_twins(twins: dict[str, ex.Result]) -> None:
    """Both twins' maps, epoch by epoch, coloured by colour: A's colours gather, B's stay mixed.

    Behind a toggle, in its own fragment: an animated figure of every epoch is the heaviest chart of the
    page to send, so only a student who asks for it pays for it, and switching it reruns only this part.
    """
    if not st.toggle("**Watch the maps form**: replay the training, epoch by epoch", **FE.replay.widget):
        return
    st.caption("Press Play: each frame is the held-out pictures' embedding after more epochs of training, "
               "coloured by the pictures' colour.")
    for column, (letter, result) in zip(st.columns(2), twins.items()):
        name = TWIN_NAMES[letter]
        frames = ex.replay(result, max_frames=13)
        colours = result.test_labels["colour"]
        first, last = (knn.knn_accuracy(frames.maps[i], colours, k=5) for i in (0, -1))
        summary = (f"{name}: pictures whose 5 nearest map neighbours mostly share their colour, "
                   f"{first:.0%} after epoch {frames.epochs[0]}, {last:.0%} after epoch {frames.epochs[-1]}.")
        with column:
            show_chart(
                replay_figure(frames, colours, result.label_names["colour"], label="colour", title=name),
                key=FE.replay_chart.at(letter), summary=summary, name=f"{name} training replay",
            )


_INTRO = """**How does a model decide where the borders on its map go?** A model that tells vehicles apart needs
a clear border between buses and sports cars; one that reads faces, between a frown and a smile. The **loss**
says which borders matter, and the **features** are what the map can be drawn from. (A useful test: if you
cannot draw a sensible border by hand for a handful of examples, a model will struggle too; rethink the problem
and the data first.)

Two networks with **identical architecture and seed** see the **same pictures**
(pixels → 64 ReLU units → an **embedding** layer → a softmax head). Only the loss differs:
**model A** is rewarded for naming the **colour**, **model B** for naming the **shape**.
By default the embedding is a narrow **bottleneck of 2 units**, so it *is* the map: what the
loss does not need has little room to survive. Widen it and watch what survives by accident."""


def _controls(width: int) -> str:
    """The width and the projection: returns the projection's embedcore name.

    A width other than ``width`` (the one the page read for every section: the mixer and the model map
    use the twins at this width too) reruns the whole page, so no section shows the old width.
    """
    c1, c2 = st.columns([2, 1])
    with c1:
        chosen = int(st.select_slider("Embedding width (units)", **FE.width.widget))
    if chosen != width:
        st.rerun(scope="app")
    with c2:
        return method_of(st.radio("Projection to 2-D", horizontal=True, **FE.twin_projection.widget))


def _loss_chart(twins: dict[str, ex.Result]) -> None:
    """Both twins' training loss, epoch by epoch."""
    a, b = twins["A"], twins["B"]
    show_chart(
        loss_figure({"model A (colour loss)": a.loss_history, "model B (shape loss)": b.loss_history}),
        key=FE.twin_loss_chart.key,
        data=functools.partial(pd.DataFrame, {"epoch": range(1, len(a.loss_history) + 1), "model A": a.loss_history, "model B": b.loss_history}),
        name="twin loss curves",
    )


def _maps(twins: dict[str, ex.Result], method: str, width: int) -> None:
    """Each twin's held-out pictures on a 2-D map (``method``), twice: by colour and by shape; the four are linked."""
    for letter, result in twins.items():
        name = TWIN_NAMES[letter]
        with st.spinner(f"Projecting {name}'s embedding with {METHODS[method]}..."):
            projection = layer_map(result, method).projected
        note_fallback(projection, key=FE.twin_projection_note.at(letter))
        draw_map(result, projection.coords, name, key=FE.twin_map.at(letter))
    picked = st.session_state[FE.twin_selection.key]
    st.container(key=FE.twin_selection_note.key).caption(
        f":material/ads_click: {len(picked)} pictures selected: they light up in all four maps. Select again "
        "(click, or the box and lasso tools above a map) to change them; double-click empty space to clear."
        if picked else
        ":material/ads_click: The four maps are linked: select pictures in one (click, or the box and lasso "
        "tools above a map) and the same pictures light up in the others."
    )
    st.container(key=FE.twin_maps_note.key).caption(
        f"Held-out pictures, embedded by each model ({width} units"
        + (", which PCA only rotates: this *is* the embedding)." if width == 2 and method == "pca" else f", projected with {METHODS[method]}).")
    )


def _takeaway(a: ex.Result, b: ex.Result, width: int) -> str:
    """What the probes say the loss decided; at wide embeddings the other attribute can survive by accident."""
    if a.probes["shape"].above_chance < 0.15:
        lesson = (
            f"Model A **throws away shape information and retains colour**: its shape probe reads "
            f"{a.probes['shape'].accuracy:.0%} (chance {a.probes['shape'].chance:.0%}). "
        )
    else:
        lesson = (
            f"Model A keeps colour ({a.probes['colour'].accuracy:.0%}), and with {width} units some shape "
            f"**survives by accident**: {a.probes['shape'].accuracy:.0%} (chance {a.probes['shape'].chance:.0%}). "
        )
    if b.probes["colour"].above_chance < 0.15:
        return lesson + (
            f"Model B does the opposite: colour {b.probes['colour'].accuracy:.0%}, shape {b.probes['shape'].accuracy:.0%}. "
            "Same pixels, same network: the loss decided what the embedding kept."
        )
    return lesson + (
        f"Model B keeps shape ({b.probes['shape'].accuracy:.0%}), but with {width} units colour **survives by "
        f"accident**: {b.probes['colour'].accuracy:.0%} (chance {b.probes['colour'].chance:.0%}). "
        "Nothing in its loss asked for it; a narrower embedding has no room for it."
    )


def _probes(twins: dict[str, ex.Result], width: int) -> None:
    """Probes of what each embedding kept: the table, the four key numbers and the takeaway."""
    a, b = twins["A"], twins["B"]
    st.markdown("**Probes: what did each embedding keep?** A logistic regression (a *probe*) reads each attribute from each model's embedding. It learns on half of the held-out pictures and is scored on the other half.")
    probe_table({"model A (colour loss)": a, "model B (shape loss)": b})
    m1, m2, m3, m4 = st.columns(4)
    m1.metric("A: colour probe", f"{a.probes['colour'].accuracy:.0%}")
    m2.metric("A: shape probe", f"{a.probes['shape'].accuracy:.0%}", f"{a.probes['shape'].above_chance:+.0%} vs chance", delta_color="off")
    m3.metric("B: shape probe", f"{b.probes['shape'].accuracy:.0%}")
    m4.metric("B: colour probe", f"{b.probes['colour'].accuracy:.0%}", f"{b.probes['colour'].above_chance:+.0%} vs chance", delta_color="off")
    st.container(key=FE.twin_takeaway.key).info(_takeaway(a, b, width), icon=":material/lightbulb:")


@heavy.section
def twin_models(width: int) -> None:
    """Twin models: one network and one set of pictures, trained on a colour loss (A) or a shape loss (B).

    ``width`` is the embedding width the page read once. Controls (width, projection), then the twins'
    training, then their loss curves, replay and maps, then probes of what each embedding kept.
    """
    st.markdown(_INTRO)
    define("feature", "hidden layer", "ReLU", "softmax", "loss", "cross-entropy", "epoch", "bottleneck", "probe")
    checks.bottleneck()
    method = _controls(width)
    twins = twin_results(width)
    _loss_chart(twins)
    replay_twins(twins)
    _maps(twins, method, width)
    _probes(twins, width)


def twins(width: int) -> None:
    """Section: twin models with the same features and different losses, then features that set the limit.

    ``width`` is the embedding width the page read once for every section.
    """
    twin_models(width)
    features_set_the_limit(width)
