"""A section of Features, embeddings & losses: twin models, same features and different loss, and what each kept.

The twins' network is drawn from its trained layers, their training replays
once on first open (unless the browser asks for reduced motion), their maps
are linked, and probes measure what each embedding kept.
"""

from __future__ import annotations

import functools
import json
import re

import pandas as pd
import streamlit as st

from app_state import FE
from embedcore import experiments as ex
from embedcore import knn
from embedcore.nn import architecture
from ui.charts import Chart, show_chart
from ui.features_losses.cache import BY_FIELDS, layer_map
from ui.features_losses.charts import layer_table, loss_figure
from ui.features_losses.common import TWIN_NAMES, draw_map, probe_table, takeaway, twin_results
from ui.features_losses.diagram import describe, network_figure
from ui.features_losses.replay import replay_figure
from ui.glossary import define
from ui.lesson import section

#: The twins share one network; each head is one twin's loss.
TWIN_HEADS = {label: f"model {letter}'s loss" for letter, label in ex.TWINS.items()}

# Plotly's own animation cannot read prefers-reduced-motion, so this fixed script (no student text in it)
# does: unless the browser asks for reduced motion, it waits for the replay chart (found by its key's CSS
# class) and presses the chart's own Play button, once. The student can pause it, or play it again.
# It waits until the chart has settled (the same plotly layout over three polls): Streamlit may draw a new
# chart twice, and an animation started before the second drawing runs on where Pause cannot reach it.
# No "<" in it: st.html's sanitiser (DOMPurify) drops a script whose text holds "<" before a word character.
_REPLAY_SELECTOR = ".st-key-" + re.sub(r"[^a-zA-Z0-9_-]", "-", FE.replay_chart.key) + " .js-plotly-plot"
_AUTOPLAY = (
    "<script>(function(){"
    "if(window.matchMedia&&window.matchMedia('(prefers-reduced-motion: reduce)').matches){return;}"
    f"const sel={json.dumps(_REPLAY_SELECTOR)};let n=0,still=0,seen=null;"
    "const go=()=>{const el=document.querySelector(sel);const now=el?el._fullLayout:null;"
    "if(now&&now===seen){still++;}else{still=0;seen=now;}"
    "const play=still>=3?el.querySelector('.updatemenu-button'):null;"
    "if(play){play.dispatchEvent(new MouseEvent('click',{bubbles:true}));}else if(200>n++){setTimeout(go,250);}};"
    "setTimeout(go,250);})();</script>"
)

_INTRO = """Two networks with the **same layers and starting weights** see the **same pictures**; only the
**loss** differs: **model A** is rewarded for naming the **colour**, **model B** the **shape**."""


@st.cache_resource(max_entries=8, show_spinner=False, hash_funcs=BY_FIELDS)
def _replay_chart(experiments: tuple[ex.Experiment, ...], _twins: dict[str, ex.Result]) -> tuple[Chart, str]:
    """The replay figure and its summary for the twins of ``experiments`` (built once: 13 frames of two maps).

    Shared read-only by every session (``show_chart`` copies a figure before styling it).
    """
    replays = [ex.replay(result, max_frames=13) for result in _twins.values()]
    colours = next(iter(_twins.values())).test_labels["colour"]
    shares = [(knn.knn_accuracy(r.maps[0], colours, k=5), knn.knn_accuracy(r.maps[-1], colours, k=5)) for r in replays]
    summary = "Training replayed: pictures whose 5 nearest map neighbours mostly share their colour, " + "; ".join(
        f"{TWIN_NAMES[letter]} {first:.0%} after epoch {r.epochs[0]}, {last:.0%} after epoch {r.epochs[-1]}"
        for letter, r, (first, last) in zip(_twins, replays, shares)) + "."
    names = next(iter(_twins.values())).label_names["colour"]
    figure = replay_figure(replays, [TWIN_NAMES[letter] for letter in _twins], colours, names, label="colour")
    return figure, summary


def _replay(twins: dict[str, ex.Result]) -> None:
    """Both twins' maps, epoch by epoch, coloured by colour: A's colours gather, B's stay mixed. Plays once."""
    figure, summary = _replay_chart(tuple(r.experiment for r in twins.values()), twins)
    show_chart(figure, key=FE.replay_chart.key, summary=summary, name="twin training replay")
    played = st.session_state[FE.replay_played.key]
    if not played:  # once per session: the first open
        played.append(True)
        st.html(_AUTOPLAY, unsafe_allow_javascript=True)


def _maps(twins: dict[str, ex.Result], width: int) -> None:
    """Each twin's held-out pictures on a 2-D map, twice: by colour and by shape; the four are linked."""
    for letter, result in twins.items():
        draw_map(result, layer_map(result, "pca").projected.coords, TWIN_NAMES[letter], key=FE.twin_map.at(letter))
    picked = st.session_state[FE.twin_selection.key]
    st.container(key=FE.twin_selection_note.key).caption(
        f":material/ads_click: {len(picked)} pictures selected, lit up in all four maps; double-click to clear."
        if picked else ":material/ads_click: Select pictures in one map: they light up in all four."
    )
    st.container(key=FE.twin_maps_note.key).caption(
        f"Held-out pictures in each model's {width}-number embedding"
        + (", drawn as they are." if width == 2 else ", turned by PCA to its two widest directions.")
    )


def _loss_chart(twins: dict[str, ex.Result]) -> None:
    """Both twins' training loss, epoch by epoch."""
    a, b = twins["A"], twins["B"]
    show_chart(
        loss_figure({"model A (colour loss)": a.loss_history, "model B (shape loss)": b.loss_history}),
        key=FE.twin_loss_chart.key,
        data=functools.partial(pd.DataFrame, {"epoch": range(1, len(a.loss_history) + 1),
                                              "model A": a.loss_history, "model B": b.loss_history}),
        name="twin loss curves",
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
            f"Model A keeps colour ({a.probes['colour'].accuracy:.0%}), and with {width} numbers some shape "
            f"**survives by accident**: {a.probes['shape'].accuracy:.0%} (chance {a.probes['shape'].chance:.0%}). "
        )
    if b.probes["colour"].above_chance < 0.15:
        return lesson + (
            f"Model B does the opposite: colour {b.probes['colour'].accuracy:.0%}, shape {b.probes['shape'].accuracy:.0%}. "
            "Same pixels, same network: the loss decided what the embedding kept."
        )
    return lesson + (
        f"Model B keeps shape ({b.probes['shape'].accuracy:.0%}), but with {width} numbers colour **survives by "
        f"accident**: {b.probes['colour'].accuracy:.0%} (chance {b.probes['colour'].chance:.0%}). "
        "Nothing in its loss asked for it."
    )


def _probes(twins: dict[str, ex.Result], width: int) -> None:
    """Probes of what each embedding kept: the table, the four key numbers and the takeaway."""
    a, b = twins["A"], twins["B"]
    st.markdown("**What did each embedding keep?** A **probe** reads each attribute back out of it (trained on half "
                "the held-out pictures, scored on the rest).")
    probe_table({"model A (colour loss)": a, "model B (shape loss)": b})
    m1, m2, m3, m4 = st.columns(4)
    m1.metric("A: colour probe", f"{a.probes['colour'].accuracy:.0%}")
    m2.metric("A: shape probe", f"{a.probes['shape'].accuracy:.0%}", f"{a.probes['shape'].above_chance:+.0%} vs chance", delta_color="off")
    m3.metric("B: shape probe", f"{b.probes['shape'].accuracy:.0%}")
    m4.metric("B: colour probe", f"{b.probes['colour'].accuracy:.0%}", f"{b.probes['colour'].above_chance:+.0%} vs chance", delta_color="off")
    takeaway(_takeaway(a, b, width), key=FE.twin_takeaway.key)


@section
def twins(width: int) -> None:
    """Twin models: one network and one set of pictures, trained on a colour loss (A) or a shape loss (B).

    ``width`` is the embedding width the page read once (section 3 sets it). The network drawn
    from its trained layers, the training replayed, the linked maps, then probes of what each kept.
    """
    st.markdown(_INTRO)
    define("hidden layer", "ReLU", "softmax", "loss", "epoch", "probe", "chance", "PCA")
    found = twin_results(width)
    layers = architecture(found["A"].model)
    show_chart(network_figure(layers, notes=TWIN_HEADS), key=FE.twin_diagram.key, name="twin network",
               summary=describe(layers, notes=TWIN_HEADS), data=functools.partial(layer_table, layers))
    _replay(found)
    _maps(found, width)
    with st.expander("Training loss, epoch by epoch", icon=":material/show_chart:"):
        _loss_chart(found)
    _probes(found, width)
