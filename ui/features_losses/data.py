"""A section of Features, embeddings & losses: the data, coloured shapes, and the numbers a network gets."""

from __future__ import annotations

import streamlit as st

from app_state import FE
from embedcore.shapes import FEATURE_SHIFT
from ui.features_losses.cache import gallery, network_input
from ui.features_losses.common import takeaway
from ui.glossary import define
from ui.lesson import section

_INTRO = """Every model here sees tiny pictures: a **circle, square, triangle or cross**, painted **red, green,
blue or yellow**, at a random place, size and brightness. Colour and shape are independent."""
_SAMPLES = 18


@section
def the_data() -> None:
    """The data: coloured shapes, the pictures every model of the lesson sees, and the features a network gets."""
    st.markdown(_INTRO)
    seed = int(st.slider("Sample seed", **FE.gallery_seed.widget))
    images, captions = gallery("shapes", _SAMPLES, seed)
    st.image(images, caption=captions, alt=captions, width=72, output_format="PNG")  # as encoded: no re-encoding
    (height, width, channels), n_features, low, high = network_input("shapes", _SAMPLES, seed)
    takeaway(
        f"A network sees only **features**: {n_features:,} numbers per picture ({height} × {width} pixels × "
        f"{channels} colour channels), each colour value minus {FEATURE_SHIFT:g}; on these {_SAMPLES} pictures, "
        f"from {low:.2f} to {high:.2f}.",
        key=FE.data_takeaway.key,
    )
    define("feature", "embedding")
