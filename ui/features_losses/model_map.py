"""A section of Features, embeddings & losses: looking at a model's map, layer by layer (debugging)."""

from __future__ import annotations

import functools

import streamlit as st

from app_state import FE, page_named
from embedcore import experiments as ex
from embedcore.projection import METHODS, method_of
from ui import heavy
from ui.charts import show_chart
from ui.features_losses.cache import layer_map
from ui.features_losses.charts import map_data, map_figure
from ui.features_losses.common import TWIN_NAMES, note_fallback, twin_results
from ui.training import train_live
from ui.glossary import define
from ui.layout import more_controls

LATEST = FE.map_model.choices[-1]  # the student's own latest experiment; the others are the twins


def chosen_model(choice: str, width: int) -> ex.Result:
    """The model the menu names: a twin (at embedding width ``width``), or the student's latest experiment."""
    state = st.session_state
    if choice == LATEST:
        last = state[FE.last_experiment.key]
        if last:
            (result,) = train_live(last, ["your model"], what="Retraining your experiment")
            return result
        st.info("Run an experiment in section 5 first; showing model A meanwhile.", icon=":material/info:")
    letter = {name: letter for letter, name in TWIN_NAMES.items()}.get(choice, "A")  # model A is the fallback
    return twin_results(width)[letter]


@heavy.section
def model_map(width: int) -> None:
    """Looking at a model's map: any model's layer, projected to 2-D with PCA, t-SNE or MDS, coloured by any label."""
    state = st.session_state
    st.markdown(
        """Pick a model, a layer and a projection, then colour the points by any label.
The pictures are **fresh** ones the model never saw."""
    )
    define("gradient")
    c1, c2, c3 = st.columns(3)
    with c1:
        model_name = st.selectbox("Model", **FE.map_model.widget)
    result = chosen_model(model_name, width)
    layers = result.model.layer_names_
    if state[FE.map_layer.key] not in layers:
        state[FE.map_layer.key] = "embedding"
    labels = list(result.label_names)
    if state[FE.map_colour_by.key] not in labels:
        state[FE.map_colour_by.key] = labels[-1]
    with c1:
        layer = st.selectbox("Layer", options=layers, **FE.map_layer.widget)
    with c2:
        method = method_of(st.radio("Projection", horizontal=True, **FE.map_projection.widget))
    with c3:
        colour_by = st.selectbox("Colour by", options=labels, **FE.map_colour_by.widget)
    with more_controls("model_map"):
        perplexity = 30.0
        if method == "tsne":
            perplexity = float(st.select_slider("t-SNE perplexity", **FE.map_perplexity.widget))
        n_points = int(st.select_slider("Points", **FE.map_points.widget))

    with st.spinner(f"{METHODS[method]} of {n_points} points..."):
        mapped = layer_map(result, method, layer=layer, n_points=n_points, perplexity=perplexity)
    note_fallback(mapped.projected, key=FE.map_projection_note.key)
    data, Y, method = mapped.data, mapped.projected.coords, mapped.projected.method
    title = f"{model_name}, {layer} ({mapped.dims} numbers per picture), {METHODS[method]}"
    show_chart(
        map_figure(Y, data.labels[colour_by], data.label_names[colour_by], label=colour_by, title=title, height=480),
        key=FE.map_chart.key,
        data=functools.partial(map_data, Y, data.labels, data.label_names),
        name="model map",
    )
    st.markdown(
        """**How to read it.** Points that sit together, the model treats alike at this layer. If one
label's colours form clean islands, that layer has *sorted* the pictures by that label; if they are
mixed, it has not - or it has, in directions the projection did not show.

**What it cannot tell you.** A 2-D picture of many dimensions always loses something. PCA shows only
the two widest directions; t-SNE keeps neighbours but bends distances, and cluster sizes and gaps mean
little. A mixed picture does not prove the information is gone. The **probes** above check more closely: a
probe well above chance shows the information is there; a probe at chance shows only that a simple (linear)
reader cannot find it, which is evidence, not proof, that it is gone."""
    )
    st.page_link(
        page_named("imperfect_information").path,
        label="How far can we trust a t-SNE picture? See the t-SNE lesson on the Imperfect information page.",
        icon=":material/compress:",
    )
