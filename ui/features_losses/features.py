"""A section of Features, embeddings & losses: the features set the limit of what an embedding can hold.

Model A is rewarded for colour. Shown grey pictures (one brightness number
per pixel), it can only learn the colour that brightness happens to carry:
no loss can put back what the features never held.
"""

from __future__ import annotations

import functools

import streamlit as st

from app_state import FE
from embedcore import checkpoints as cp
from embedcore.nn import architecture
from ui import checkpoint
from ui.charts import show_chart
from ui.features_losses import checks
from ui.features_losses.charts import layer_table
from ui.features_losses.common import takeaway, twin_results
from ui.features_losses.diagram import changes, describe, network_figure
from ui.lesson import section
from ui.training import train_live

_INTRO = """A loss can only ask for what the features carry. Show model A, rewarded for colour, the same
pictures in **grey**: one brightness number per pixel instead of three."""


def _takeaway(colour: float, grey: float, chance: float) -> str:
    """What grey pictures left of the colour: some (brightness differs between colours) or nothing."""
    some = grey > chance + 0.05
    return (
        f"On grey pictures model A names the colour {grey:.0%} of the time, against {colour:.0%} on colour pictures "
        f"and {chance:.0%} by chance. "
        + ("Brightness still tells some colours apart; the rest" if some else "Brightness tells none apart; the colour")
        + " was never in the features, and no loss can bring it back: **an embedding is only as good as its features**."
    )


@section
def features_set_the_limit(width: int) -> None:
    """Features set the limit: model A (colour loss, at ``width``) shown grey pictures names colours far less well.

    The numbers come with the checkpoint's reveal: model A on colour pictures, on grey ones, and chance,
    and the grey model's network, whose inputs shrank.
    """
    st.markdown(_INTRO)
    checks.grey_features(width)
    if not checkpoint.revealed(cp.GREY_FEATURES):
        return  # the numbers come with the reveal
    colour_model = twin_results(width)["A"]
    (grey,) = train_live([checks.grey_model(width)], ["model A, grey pictures"], what="Training on grey")
    colour, grey_colour, chance = colour_model.accuracy["colour"], grey.accuracy["colour"], grey.probes["colour"].chance
    first, second, third = st.container(key=FE.grey_numbers.key).columns(3)
    first.metric("Colour named right, colour pictures", f"{colour:.0%}")
    second.metric("Colour named right, grey pictures", f"{grey_colour:.0%}", delta=f"{grey_colour - colour:+.0%}")
    third.metric("Chance (always the most common colour)", f"{chance:.0%}")
    layers = architecture(grey.model)
    show_chart(network_figure(layers, highlight=None, changed=changes(architecture(colour_model.model), layers)),
               key=FE.grey_diagram.key, summary=describe(layers, highlight=None), name="grey network",
               data=functools.partial(layer_table, layers))
    takeaway(_takeaway(colour, grey_colour, chance), key=FE.grey_takeaway.key)
