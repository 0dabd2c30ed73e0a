"""A section of Features, embeddings & losses: widen the bottleneck, and see what survives by accident.

The embedding width is the page's: the twins, the grey model and the model
map follow it. Its slider answers the bottleneck checkpoint, so it waits,
greyed out, for the prediction; then every width's probes are drawn.
"""

from __future__ import annotations

import functools

import pandas as pd
import streamlit as st

from app_state import FE
from embedcore import checkpoints as cp
from embedcore.nn import architecture
from ui import checkpoint
from ui.charts import show_chart
from ui.features_losses import checks
from ui.features_losses.charts import layer_table, width_figure
from ui.features_losses.common import takeaway, twin_results
from ui.features_losses.diagram import changes, describe, network_figure
from ui.features_losses.twins import TWIN_HEADS
from ui.glossary import define
from ui.lesson import section

_INTRO = """The twins' embedding is a **bottleneck** of 2 numbers: all a model keeps must pass through it.
What survives with more room?"""


def _width(width: int, revealed: bool) -> None:
    """The width slider (greyed out until the prediction is locked in); a new width reruns the whole page."""
    chosen = int(st.select_slider(
        "Embedding width (numbers)", disabled=not revealed,
        help="The twins, the grey model and the model map use this width." if revealed else
        "Lock in your prediction first: this slider answers it.", **FE.width.widget))
    if chosen != width:
        st.rerun(scope="app")


def _evidence(width: int) -> None:
    """Every width's twins: model B's colour probe and model A's shape probe, neither asked for; the takeaway."""
    widths = list(FE.width.choices)
    found = {w: twin_results(w) for w in widths}
    b_colour = [found[w]["B"].probes["colour"].accuracy for w in widths]
    a_shape = [found[w]["A"].probes["shape"].accuracy for w in widths]
    lines = {"model B: colour (not asked for)": b_colour, "model A: shape (not asked for)": a_shape}
    chance = {"colour": found[widths[0]]["B"].probes["colour"].chance,
              "shape": found[widths[0]]["A"].probes["shape"].chance}
    show_chart(width_figure(widths, lines, chance, current=width), key=FE.width_chart.key, name="probes by width",
               data=functools.partial(pd.DataFrame, {"width": widths, **lines}))
    narrow, wide = widths.index(checks.NARROW), widths.index(checks.WIDE)
    takeaway(
        f"From {checks.NARROW} to {checks.WIDE} numbers, model B's colour probe went from {b_colour[narrow]:.0%} "
        f"to {b_colour[wide]:.0%} (chance {chance['colour']:.0%}), model A's shape probe from {a_shape[narrow]:.0%} "
        f"to {a_shape[wide]:.0%}. No loss asked for these: with room, what the features carry **survives by "
        "accident**; a bottleneck keeps little beyond what the loss asks for.",
        key=FE.width_takeaway.key,
    )


@section
def bottleneck(width: int) -> None:
    """Widen the bottleneck: with room, what no loss asked for survives by accident.

    ``width`` is the page's embedding width; the slider here sets it (after the prediction).
    The diagram shows the twins' network at that width and what changed from width 2.
    """
    st.markdown(_INTRO)
    define("bottleneck")
    checks.bottleneck()
    revealed = checkpoint.revealed(cp.BOTTLENECK)
    _width(width, revealed)
    layers = architecture(twin_results(width)["B"].model)
    narrow = layers if width == checks.NARROW else architecture(twin_results(checks.NARROW)["B"].model)
    show_chart(network_figure(layers, notes=TWIN_HEADS, changed=changes(narrow, layers)), key=FE.width_diagram.key,
               summary=describe(layers, notes=TWIN_HEADS), name="network at this width",
               data=functools.partial(layer_table, layers))
    if revealed:
        _evidence(width)
