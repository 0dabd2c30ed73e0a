"""A section of Features, embeddings & losses: the features set the limit of what an embedding can hold.

Model A is rewarded for colour. Shown grey pictures (one brightness number
per pixel), it can only learn the colour that brightness happens to carry:
no loss can put back what the features never held.
"""

from __future__ import annotations

import streamlit as st

from app_state import APP, FE
from embedcore.checkpoints import GREY_FEATURES
from ui import heavy
from ui.features_losses import checks
from ui.features_losses.common import twin_results
from ui.training import train_live


@heavy.section
def features_set_the_limit(width: int) -> None:
    """Features set the limit: model A (colour loss, at ``width``) shown grey pictures names colours little better than chance.

    The numbers come with the checkpoint's reveal: model A on colour pictures, on grey ones, and chance.
    """
    state = st.session_state
    st.subheader("Features set the limit")
    st.markdown(
        """A loss can only ask for what the features carry. Take model A, rewarded for colour, and show it the
same pictures in **grey**: one brightness number per pixel instead of red, green and blue."""
    )
    checks.grey_features(width)
    if "evidence" not in state[APP.checks.key].get(GREY_FEATURES.id, {}):
        return  # the numbers come with the reveal
    colour_model = twin_results(width)["A"]
    (grey,) = train_live([checks.grey_model(width)], ["model A, grey pictures"], what="Training on grey")
    first, second, third = st.container(key=FE.grey_numbers.key).columns(3)
    first.metric("Colour named right, colour pictures", f"{colour_model.accuracy['colour']:.0%}")
    second.metric("Colour named right, grey pictures", f"{grey.accuracy['colour']:.0%}",
                  delta=f"{grey.accuracy['colour'] - colour_model.accuracy['colour']:+.0%}")
    third.metric("Chance (always the most common colour)", f"{grey.probes['colour'].chance:.0%}")
    st.caption(
        "Some colours differ in brightness, so grey pictures keep a little of the colour; the rest was never in "
        "the features, and no loss can bring it back. An embedding is only as good as the features it is given."
    )
