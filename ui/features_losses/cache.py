"""Cached data of the "Features, embeddings & losses" page: sample pictures and layer maps.

Trained models are shared through ``ui.training`` (one store for the whole
server). The maps here are keyed by what decides them - the model's
experiment, the layer and the number of pictures - inside :func:`layer_map`,
so callers never build a cache key by hand; a t-SNE or MDS map is the call
``runtime.jobs.fe_map`` (computed once, in the worker).
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from typing import Any

import numpy as np
import streamlit as st

from embedcore import experiments as ex
from embedcore import knn
from embedcore.shapes import DATASETS, ImageData, pixel_features, upscale
from runtime import jobs
from ui import heavy

# How the caches here hash an experiment: by its repr, every field by value (a frozen dataclass of plain
# values), about 8 times quicker than Streamlit's generic hashing of the object (~0.25 ms a call).
BY_FIELDS = {ex.Experiment: repr}


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


@st.cache_data(max_entries=8, show_spinner=False)
def network_input(dataset: str, n: int, seed: int) -> tuple[tuple[int, ...], int, float, float]:
    """What a network receives for the gallery's ``n`` pictures: the picture's shape (height, width, channels),
    the features per picture, and the smallest and largest feature (``embedcore.shapes.pixel_features``)."""
    images = DATASETS[dataset](n, random_state=seed).images
    X = pixel_features(images)
    return tuple(int(d) for d in images.shape[1:]), int(X.shape[1]), float(X.min()), float(X.max())


# Resources, not data: shared, never copied (500 pictures are ~3 MB to pickle on every read), and read only.
@st.cache_resource(max_entries=6, show_spinner=False, hash_funcs=BY_FIELDS)
def _fresh(experiment: ex.Experiment, n_points: int) -> ImageData:
    """``n_points`` fresh, seeded pictures for ``experiment``: their labels colour the model map."""
    return ex.fresh_images(experiment, n_points)


# 2 models x 2 layers x 3 point counts fit.
@st.cache_resource(max_entries=12, show_spinner=False, hash_funcs=BY_FIELDS)
def _layer_points(experiment: ex.Experiment, layer: str, n_points: int, _model: Any) -> np.ndarray:
    """``layer``'s outputs (n_points, units) on the fresh pictures: for PCA, which runs here (``jobs.fe_points``)."""
    return jobs.fe_points(experiment, layer, n_points, _model)


@st.cache_data(max_entries=64, show_spinner=False, hash_funcs=BY_FIELDS)
def _projected(experiment: ex.Experiment, layer: str, n_points: int | None, method: str, perplexity: float,
               _result: ex.Result) -> heavy.Projected:
    """The 2-D map of ``layer`` of the model trained by ``experiment``, on its held-out or fresh pictures.

    t-SNE and MDS maps are one call, ``jobs.fe_call(experiment, layer, points, method, perplexity)``,
    warmed at start-up and computed (pictures, layer outputs and all) in the worker
    process; a layer whose outputs are all the same (a dead network) gets a PCA map
    and a note instead of crashing the server.
    """
    if n_points is None:
        return heavy.mapped(*jobs.fe_call(experiment, "embedding", "test", method, perplexity), method=method,
                            points=lambda: _result.test_embedding)
    return heavy.mapped(*jobs.fe_call(experiment, layer, n_points, method, perplexity), method=method,
                        points=lambda: _layer_points(experiment, layer, n_points, _result.model))


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
    projected = _projected(result.experiment, layer, n_points, method, perplexity, result)
    if n_points is None:
        return LayerMap(None, result.test_embedding.shape[1], projected)
    return LayerMap(_fresh(result.experiment, n_points), jobs.layer_width(result.model, layer), projected)


def layer_points(result: ex.Result, layer: str, n_points: int) -> np.ndarray:
    """``layer``'s outputs (n_points, units) of ``result``'s model on its ``n_points`` fresh pictures (cached)."""
    return _layer_points(result.experiment, layer, n_points, result.model)


@st.cache_data(max_entries=32, show_spinner=False, hash_funcs=BY_FIELDS)
def neighbour_agreement(experiment: ex.Experiment, layer: str, n_points: int, method: str, perplexity: float,
                        label: str, k: int, _map: np.ndarray, _points: np.ndarray, _labels: np.ndarray
                        ) -> tuple[float, float]:
    """Leave-one-out ``k``-NN accuracy of ``label`` on the 2-D map and in the layer itself (``embedcore.knn``).

    Keyed by what decides the map (the model's experiment, layer, points, projection) and the label.
    """
    return knn.knn_accuracy(_map, _labels, k=k), knn.knn_accuracy(_points, _labels, k=k)
