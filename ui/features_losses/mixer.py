"""A section of Features, embeddings & losses: the loss mixer, w * colour loss + (1 - w) * shape loss.

Every w of the slider (0 to 1 in steps of ``FE.mix_w.step``) is one model
trained at the bottleneck's width, warmed at start-up; the section sends the
whole family once and the browser switches between them
(:mod:`ui.features_losses.mixer_chart`). It answers the mixer checkpoint,
so it is drawn only after the prediction; a link's ``fe.mix_w`` is the w it starts on.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence

import pandas as pd
import streamlit as st

from app_state import FE
from embedcore import checkpoints as cp
from embedcore import experiments as ex
from embedcore.nn import architecture
from ui import checkpoint
from ui.charts import Chart, show_chart
from ui.features_losses import checks
from ui.features_losses.cache import BY_FIELDS
from ui.features_losses.charts import layer_table
from ui.features_losses.common import link_value, takeaway, twin_results
from ui.features_losses.diagram import describe, network_figure
from ui.features_losses.mixer_chart import mixer_frames, shown_pictures
from ui.glossary import define
from ui.lesson import section
from ui.training import train_live

_INTRO = f"""One network, one loss of two parts: **w × colour loss + (1 − w) × shape loss**, each a
**cross-entropy**. At w = 1 it is model A, at w = 0 model B. The embedding stays at {checks.MIXER_WIDTH} numbers,
so colour and shape must share them."""
_MIXED_HEADS = {"colour": "loss × w", "shape": "loss × (1 − w)"}
_CHUNK = 4  # models trained in one job on a miss (each job stays well inside the worker's time limit)


@st.cache_resource(max_entries=2, show_spinner=False, hash_funcs=BY_FIELDS)
def _family(experiments: tuple[ex.Experiment, ...], _results: Sequence[ex.Result]) -> ex.MixerFamily:
    """The family of trained mixer models, keyed by their experiments (shared, read only)."""
    return ex.mixer_family(_results)


@st.cache_resource(max_entries=11, show_spinner=False, hash_funcs=BY_FIELDS)
def _figure(experiments: tuple[ex.Experiment, ...], active: int, _family: ex.MixerFamily) -> Chart:
    """The mixer's figure starting on frame ``active``, for the family of ``experiments`` (built once per start).

    Shared read-only by every session (``show_chart`` copies a figure before styling it).
    """
    return mixer_frames(_family, active=active)


def mixer_family() -> ex.MixerFamily:
    """Every model of the mixer's slider, trained (or found warmed) a few at a time."""
    experiments = checks.mixer_experiments()
    results: list[ex.Result] = []
    for start in range(0, len(experiments), _CHUNK):
        chunk = experiments[start:start + _CHUNK]
        results += train_live(chunk, [f"w = {e.weights()['colour']:g}" for e in chunk], what="Training the mixer")
    return _family(tuple(experiments), results)


def _takeaway(family: ex.MixerFamily) -> str:
    """The middle against the ends, and how much weight each attribute needs to be kept."""
    half, a, b = family.at(0.5), family.at(1.0), family.at(0.0)
    colour, shape = family.probes["colour"], family.probes["shape"]
    needs = {label: family.weight_needed(label, 0.9) for label in ("colour", "shape")}
    said = {label: ("never" if w is None else f"from a weight of {w:g}") for label, w in needs.items()}
    return (
        f"At w = 0.5 both losses weigh the same, yet the colour probe reads {colour[half]:.0%} (model A "
        f"{colour[a]:.0%}) and the shape probe {shape[half]:.0%} (model B {shape[b]:.0%}). Colour is kept (90%) "
        f"{said['colour']}, shape {said['shape']}: with {checks.MIXER_WIDTH} numbers to share, the middle of the "
        "dial is not halfway."
    )


@section
def loss_mixer() -> None:
    """The loss mixer: one network trained on w x colour loss + (1 - w) x shape loss, at every w of a slider.

    Before the prediction: the mixed network. After: the probe curves, both maps and the network for
    every w, switched in the browser, and the takeaway.
    """
    st.markdown(_INTRO)
    define("cross-entropy")
    checks.mixer_middle()
    start = float(link_value(FE.mix_w))  # read on every run: a link's w is where the slider starts
    if not checkpoint.revealed(cp.MIXER_MIDDLE):
        layers = architecture(twin_results(checks.MIXER_WIDTH)["A"].model)
        show_chart(network_figure(layers, notes=_MIXED_HEADS), key=FE.mix_diagram.key, name="mixed network",
                   summary=describe(layers, notes=_MIXED_HEADS), data=functools.partial(layer_table, layers))
        return
    family = mixer_family()
    table = functools.partial(pd.DataFrame, {"w": family.ws, "colour probe": family.probes["colour"],
                                             "shape probe": family.probes["shape"]})
    shown, held_out = shown_pictures(family)
    figure = _figure(tuple(checks.mixer_experiments()), family.nearest(start), family)
    show_chart(figure, key=FE.mix_chart.key, name="loss mixer",
               summary="The loss mixer: colour and shape probe accuracy for every w from 0 to 1, the network's "
                       f"head weights and both maps of the embedding ({shown} of the {held_out} held-out pictures; "
                       "the probes use them all); the slider picks w.", data=table)
    takeaway(_takeaway(family), key=FE.mix_takeaway.key)
