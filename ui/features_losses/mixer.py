"""A section of Features, embeddings & losses: the loss mixer, w * colour loss + (1 - w) * shape loss."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from app_state import FE
from embedcore import experiments as ex
from ui import heavy
from ui.charts import show_chart
from ui.features_losses.charts import mixer_figure
from ui.features_losses import checks
from ui.features_losses.common import twin_experiments, twin_results
from ui.training import train_live


@heavy.section
def loss_mixer(width: int) -> None:
    """The loss mixer: one network trained on w x colour loss + (1 - w) x shape loss, and what each probe reads."""
    state = st.session_state
    st.markdown(
        """One network, one loss made of two parts: **w · colour loss + (1 − w) · shape loss**.
At w = 1 it is model A, at w = 0 model B. Pick a w, retrain, and watch the two probe accuracies move.
Every try is added to the plot."""
    )
    checks.mixer_shape(lambda: twin_results(width))
    c1, c2 = st.columns([3, 1])
    with c1:
        w = round(float(st.slider("w: weight of the colour loss", **FE.mix_w.widget)), 2)
    with c2:
        st.write("")
        run = st.button(
            "Retrain", key=FE.mix_run.key, icon=":material/model_training:", type="primary",
            help="Train the network with this mixed loss (cached: a w someone tried before comes back at once).",
        )
    history: list = state[FE.mix_history.key]
    if run:
        base = twin_experiments(width)[0]
        (result,) = train_live([ex.mixed(base, w)], [f"w = {w:g}"], what=f"Training with w = {w:g}")
        row = {
            "w": w,
            "width": base.embedding_size,
            "colour probe": round(result.probes["colour"].accuracy, 3),
            "shape probe": round(result.probes["shape"].accuracy, 3),
            "chance": round(result.probes["shape"].chance, 3),
            "seconds": round(result.train_seconds, 2),
        }
        # One point per (w, width): a retrain at the same settings replaces it.
        history[:] = ([r for r in history if (r["w"], r["width"]) != (w, base.embedding_size)] + [row])[-50:]
    if not history:
        st.info("Press **Retrain** to train a mixed model. Try w = 0, 0.5 and 1 first.", icon=":material/touch_app:")
        return
    table = pd.DataFrame(history)
    latest = table.iloc[-1]
    st.container(key=FE.mix_latest.key).markdown(
        f"Latest: **w = {latest['w']:g}** → colour probe **{latest['colour probe']:.0%}**, "
        f"shape probe **{latest['shape probe']:.0%}** (chance {latest['chance']:.0%})."
    )
    here = table[table["width"] == width]
    if here.empty:
        st.caption(f"No tries yet at the current embedding width ({width}); the CSV holds the others.")
    else:
        show_chart(mixer_figure(here), key=FE.mix_chart.key, data=table, name="loss mixer history")
        if len(here) < len(table):
            st.caption(f"Showing tries at the current embedding width ({width}); the CSV holds them all.")
    if st.button("Clear the mixer history", key=FE.mix_clear.key):
        history.clear()
        st.rerun(scope="fragment")
