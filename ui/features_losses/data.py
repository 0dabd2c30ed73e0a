"""A section of Features, embeddings & losses: the data, coloured shapes."""

from __future__ import annotations

import streamlit as st

from app_state import FE
from ui.features_losses.cache import gallery


@st.fragment
def the_data() -> None:
    """The data: coloured shapes, the pictures every model of the lesson sees."""
    st.markdown(
        """Each example is a tiny 16 × 16 picture: a **circle, square, triangle or cross**, painted
**red, green, blue or yellow**, at a slightly random place and size, with a random brightness and
some pixel noise. The model's **features are the pixels**: 16 × 16 × 3 = 768 numbers between 0 and 1.
Colour and shape are independent, so a model can be asked to name either."""
    )
    seed = st.slider("Sample seed", **FE.gallery_seed.widget)
    images, captions = gallery("shapes", 18, int(seed))
    st.image(images, caption=captions, alt=captions, width=72)
    st.caption("Change the seed to draw other samples. Every picture is generated, so the same seed always gives the same pictures.")
