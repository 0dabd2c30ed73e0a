"""Cached data of the "Features, embeddings & losses" page: sample pictures and layer maps.

Trained models are shared through ``ui.training`` (one store for the whole
server). The maps here are keyed by what decides them - the model's
experiment, the layer and the number of pictures - inside :func:`layer_map`,
so callers never build a cache key by hand.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from typing import Any

import numpy as np
import streamlit as st

from embedcore import experiments as ex
from embedcore.shapes import DATASETS, ImageData, upscale
from runtime import warmup
from ui import heavy


def _png(image: np.ndarray) -> bytes:
    """An RGB image with values in [0, 1], (height, width, 3), as PNG bytes (as st.image would encode it)."""
    from PIL import Image

    buffer = io.BytesIO()
    Image.fromarray((np.clip(image, 0.0, 1.0) * 255).astype(np.uint8)).save(buffer, format="PNG")
    return buffer.getvalue()


@st.cache_data(max_entries=8, show_spinner=False)
def gallery(dataset: str, n: int, seed: int) -> tuple[list[bytes], list[str]]:
    """``n`` upscaled sample images as PNG bytes, and their captions.

    Encoded once here: handed arrays, st.image would encode every picture again on every rerun.
    """
    data = DATASETS[dataset](n, random_state=seed)
    # "red circle", "yellow car (taxi)": every label but the taxi flag, by name.
    named = [k for k in data.labels if k != "taxi"]
    taxi = data.labels.get("taxi", [0] * n)
    captions = [
        " ".join(data.label_names[k][data.labels[k][i]] for k in named) + (" (taxi)" if taxi[i] else "")
        for i in range(n)
    ]
    return [_png(image) for image in upscale(data.images, 4)], captions


# A resource, not data: shared, never copied (500 pictures are ~3 MB to pickle on every read), and
# read only. 2 models x 2 layers x 3 point counts fit.
@st.cache_resource(max_entries=12, show_spinner=False)
def _fresh_layer(experiment: ex.Experiment, layer: str, n_points: int, _model: Any) -> tuple[Any, np.ndarray]:
    """``n_points`` fresh pictures for ``experiment`` and ``layer``'s outputs on them, shape (n_points, units).

    The pictures are seeded and the model is the one ``experiment`` trains, so the settings name the
    result: painting 500 pictures and running them through the network once, not on every rerun.
    """
    data = ex.fresh_images(experiment, n_points)
    return data, _model.transform(ex.features(experiment, data), layer=layer)


@st.cache_data(max_entries=64, show_spinner=False)
def _projected(experiment: ex.Experiment, layer: str, n_points: int | None, method: str, perplexity: float,
               _Z: np.ndarray) -> heavy.Projected:
    """The 2-D map of ``_Z``: the outputs of ``layer`` of the model trained by ``experiment`` on its pictures.

    500 t-SNE iterations settle these few hundred points; twice as fast as the default.
    t-SNE and MDS run in the worker process; a layer whose outputs are all the
    same (a dead network) gets a PCA map and a note instead of crashing the server.
    """
    # Named so that the twins' and the model maps' warmed results (runtime/warmup.py) are found.
    points = "test" if n_points is None else n_points
    return heavy.projection(_Z, method, random_state=0, perplexity=perplexity, max_iter=500,
                            name=warmup.fe_points_name(experiment, layer, points))


@dataclass(frozen=True)
class LayerMap:
    """A layer of a trained model, on a 2-D map.

    Attributes
    ----------
    data : ImageData or None
        The fresh pictures mapped (None: the model's own held-out pictures).
    dims : int
        The layer's width: numbers per picture before the projection.
    projected : heavy.Projected
        The map, and the method that made it.
    """

    data: ImageData | None
    dims: int
    projected: heavy.Projected


def layer_map(result: ex.Result, method: str, *, layer: str = "embedding", n_points: int | None = None,
              perplexity: float = 30.0) -> LayerMap:
    """Map ``layer`` of ``result``'s model with ``method``: of its held-out pictures, or of ``n_points`` fresh ones."""
    if n_points is None:
        data, Z = None, result.test_embedding
    else:
        data, Z = _fresh_layer(result.experiment, layer, n_points, result.model)
    return LayerMap(data, Z.shape[1], _projected(result.experiment, layer, n_points, method, perplexity, Z))
