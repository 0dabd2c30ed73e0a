"""Section 2 of Features, embeddings & losses: twin models, same features and different loss, and probes of what each kept."""

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


@heavy.section
def twin_models() -> None:
    state = st.session_state
    st.header("2. Twin models: same features, different loss")
    st.markdown(
        """**How does a model decide where the borders on its map go?** A model that tells vehicles apart needs
a clear border between buses and sports cars; one that reads faces, between a frown and a smile. The **loss**
says which borders matter, and the **features** are what the map can be drawn from. (A useful test: if you
cannot draw a sensible border by hand for a handful of examples, a model will struggle too; rethink the problem
and the data first.)

Two networks with **identical architecture and seed** see the **same pictures**
(pixels → 64 ReLU units → an **embedding** layer → a softmax head). Only the loss differs:
**model A** is rewarded for naming the **colour**, **model B** for naming the **shape**.
By default the embedding is a narrow **bottleneck of 2 units**, so it *is* the map: what the
loss does not need has little room to survive. Widen it and watch what survives by accident."""
    )
    define("feature", "hidden layer", "ReLU", "softmax", "loss", "cross-entropy", "epoch", "bottleneck", "probe")
    checks.bottleneck()
    c1, c2 = st.columns([2, 1])
    with c1:
        width = int(st.select_slider("Embedding width (units)", **FE.width.widget))
    if width != state[FE.width_drawn.key]:
        # The mixer (section 3) and the model map (section 6) use the twins at this width too:
        # rerun the whole page so no section shows the old width.
        st.rerun(scope="app")
    with c2:
        method = method_of(st.radio("Projection to 2-D", horizontal=True, **FE.twin_projection.widget))

    twins = twin_results(width)
    a, b = twins["A"], twins["B"]
    show_chart(
        loss_figure({"model A (colour loss)": a.loss_history, "model B (shape loss)": b.loss_history}),
        key=FE.twin_loss_chart.key,
        data=functools.partial(pd.DataFrame, {"epoch": range(1, len(a.loss_history) + 1), "model A": a.loss_history, "model B": b.loss_history}),
        name="twin loss curves",
    )
    replay_twins(twins)

    for letter, result in twins.items():
        name = TWIN_NAMES[letter]
        with st.spinner(f"Projecting {name}'s embedding with {METHODS[method]}..."):
            projection = layer_map(result, method).projected
        note_fallback(projection)
        draw_map(result, projection.coords, name, key=FE.twin_map.at(letter))
    picked = state[FE.twin_selection.key]
    st.caption(
        f":material/ads_click: {len(picked)} pictures selected: they light up in all four maps. Select again "
        "(click, or the box and lasso tools above a map) to change them; double-click empty space to clear."
        if picked else
        ":material/ads_click: The four maps are linked: select pictures in one (click, or the box and lasso "
        "tools above a map) and the same pictures light up in the others."
    )
    st.caption(
        f"Held-out pictures, embedded by each model ({width} units"
        + (", which PCA only rotates: this *is* the embedding)." if width == 2 and method == "pca" else f", projected with {METHODS[method]}).")
    )

    st.markdown("**Probes: what did each embedding keep?** A logistic regression (a *probe*) reads each attribute from each model's embedding. It learns on half of the held-out pictures and is scored on the other half.")
    probe_table({"model A (colour loss)": a, "model B (shape loss)": b})
    m1, m2, m3, m4 = st.columns(4)
    m1.metric("A: colour probe", f"{a.probes['colour'].accuracy:.0%}")
    m2.metric("A: shape probe", f"{a.probes['shape'].accuracy:.0%}", f"{a.probes['shape'].above_chance:+.0%} vs chance", delta_color="off")
    m3.metric("B: shape probe", f"{b.probes['shape'].accuracy:.0%}")
    m4.metric("B: colour probe", f"{b.probes['colour'].accuracy:.0%}", f"{b.probes['colour'].above_chance:+.0%} vs chance", delta_color="off")
    # The lesson follows the numbers: at wide embeddings the other attribute can survive by accident.
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
        lesson += (
            f"Model B does the opposite: colour {b.probes['colour'].accuracy:.0%}, shape {b.probes['shape'].accuracy:.0%}. "
            "Same pixels, same network: the loss decided what the embedding kept."
        )
    else:
        lesson += (
            f"Model B keeps shape ({b.probes['shape'].accuracy:.0%}), but with {width} units colour **survives by "
            f"accident**: {b.probes['colour'].accuracy:.0%} (chance {b.probes['colour'].chance:.0%}). "
            "Nothing in its loss asked for it; a narrower embedding has no room for it."
        )
    st.info(lesson, icon=":material/lightbulb:")
