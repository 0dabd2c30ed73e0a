"""A section of Features, embeddings & losses: looking at a model's map, layer by layer (debugging).

The chosen model's network is drawn with the mapped layer highlighted; the
takeaway holds the map against the layer itself (how often a picture's
nearest neighbours share its label, on the map and in all the layer's numbers).
"""

from __future__ import annotations

import functools

import streamlit as st

from app_state import FE, page_named
from embedcore import experiments as ex
from embedcore.nn import architecture
from embedcore.projection import METHODS, method_of
from ui.charts import show_chart
from ui.features_losses.cache import layer_map, layer_points, neighbour_agreement
from ui.features_losses.charts import layer_table, map_data, map_figure
from ui.features_losses.common import TWIN_NAMES, note_fallback, takeaway, twin_results
from ui.features_losses.diagram import describe, network_figure
from ui.glossary import define
from ui.layout import more_controls
from ui.lesson import section
from ui.training import train_live

LATEST = FE.map_model.choices[-1]  # the student's own latest experiment; the others are the twins
_K = 5  # neighbours in the takeaway's vote

_INTRO = """Confused by a model? Plot its embeddings in 2-D and look: do similar pictures sit close? The
pictures here are **fresh** ones."""
_CLOSING = """A 2-D map always loses something: check it against a probe. This lens carries over to the
architectures to come (convolutions, recurrent networks, GANs, graph networks, transformers): features in, a stack
of embeddings, a loss."""


def chosen_model(choice: str, width: int) -> ex.Result:
    """The model the menu names: a twin (at embedding width ``width``), or the student's latest experiment."""
    state = st.session_state
    if choice == LATEST:
        last = state[FE.last_experiment.key][-1:]
        if last:
            (result,) = train_live(last, ["your model"], what="Retraining your experiment")
            return result
        st.info("Run an experiment in the section above first; showing model A meanwhile.", icon=":material/info:")
    letter = {name: letter for letter, name in TWIN_NAMES.items()}.get(choice, "A")  # model A is the fallback
    return twin_results(width)[letter]


def _controls(width: int) -> tuple[str, ex.Result, str, str, str, float, int]:
    """The model, layer, projection and label menus (perplexity and points folded): the choices and the model."""
    state = st.session_state
    c1, c2, c3 = st.columns(3)
    with c1:
        model_name = st.selectbox("Model", **FE.map_model.widget)
    result = chosen_model(model_name, width)
    if state[FE.map_layer.key] not in result.model.layer_names_:
        state[FE.map_layer.key] = "embedding"
    labels = list(result.label_names)
    if state[FE.map_colour_by.key] not in labels:
        state[FE.map_colour_by.key] = labels[-1]
    with c1:
        layer = st.selectbox("Layer", options=result.model.layer_names_, **FE.map_layer.widget)
    with c2:
        method = method_of(st.radio("Projection", horizontal=True, **FE.map_projection.widget))
    with c3:
        colour_by = st.selectbox("Colour by", options=labels, **FE.map_colour_by.widget)
    with more_controls("model_map"):
        perplexity = 30.0
        if method == "tsne":
            perplexity = float(st.select_slider("t-SNE perplexity", **FE.map_perplexity.widget))
        n_points = int(st.select_slider("Points", **FE.map_points.widget))
    return model_name, result, layer, method, colour_by, perplexity, n_points


@section
def model_map(width: int) -> None:
    """Looking at a model's map: any model's layer, projected to 2-D with PCA, t-SNE or MDS, coloured by any label."""
    st.markdown(_INTRO)
    define("t-SNE", "MDS")
    model_name, result, layer, method, colour_by, perplexity, n_points = _controls(width)
    layers = architecture(result.model)
    show_chart(network_figure(layers, highlight=layer, height=260), key=FE.map_diagram.key,
               summary=describe(layers, highlight=layer), name="mapped network",
               data=functools.partial(layer_table, layers))
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
    on_map, in_layer = neighbour_agreement(result.experiment, layer, n_points, method, perplexity, colour_by, _K, Y,
                                           layer_points(result, layer, n_points), data.labels[colour_by])
    verdict = ("the map shows about what the layer holds" if on_map >= in_layer - 0.05 else
               "the map hides some of what the layer holds: trust a probe over the picture")
    takeaway(f"On this map {on_map:.0%} of the pictures have {_K} nearest neighbours mostly sharing their "
             f"{colour_by}; in the layer's own {mapped.dims} numbers, {in_layer:.0%}: {verdict}.",
             key=FE.map_takeaway.key)
    st.container(key=FE.closing.key).markdown(_CLOSING)
    st.page_link(page_named("imperfect_information").path, icon=":material/compress:",
                 label="How far can we trust a t-SNE picture? See the t-SNE lesson on the Imperfect information page.")
