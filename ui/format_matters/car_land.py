"""A section of Format matters: Car-Land, a map where similar things sit close."""

from __future__ import annotations

import functools

import numpy as np
import pandas as pd
import streamlit as st

from app_state import FM
from embedcore import userdata, wordlists, wordmap
from embedcore.projection import METHODS, method_of
from ui import upload
from ui.charts import add_regions, show_chart
from ui.format_matters import cache
from ui.format_matters import charts
from ui.format_matters.common import WORD_LIST_MAX_CHARS, pieces_note, takeaway
from ui.text import md
from ui.upload import ExploredVectors
from ui.glossary import define
from ui.layout import more_controls
from ui.lesson import section

MAX_MAP_WORDS = 10
CLUSTER_ON_OF = {label: name for name, label in wordmap.CLUSTER_ON.items()}  # the menu's labels -> embedcore's names


def _introduction(vectors: ExploredVectors) -> None:
    """What the map shows: the Car-Land words (or an upload's first labels), grouped by k-means."""
    what = "The first labels of your upload" if vectors.is_upload else f"{len(wordlists.CAR_LAND)} vehicle words"
    st.markdown(f"{what} as a 2-D map, coloured by groups k-means finds; the shading shows which group owns each "
                "part of the map.")
    define("t-SNE", "MDS", "k-means")


def _words_to_map(vectors: ExploredVectors) -> tuple[tuple[str, ...], list[str]]:
    """The words to map (the Car-Land words or the upload's first labels, then the student's own) and the own ones."""
    if vectors.is_upload:
        n_first = st.slider("How many of your labels (from the top of the file)", **FM.upload_map_words.widget)
        base = vectors.wv.words[: int(n_first)]
        placeholder = "labels of your upload further down the file"
    else:
        base, placeholder = list(wordlists.CAR_LAND), "e.g. skateboard, rocket, horse"
    extra_text = st.text_input(f"Add your own words (up to {MAX_MAP_WORDS}, separated by commas)",
                               placeholder=placeholder, max_chars=WORD_LIST_MAX_CHARS, **FM.map_extra.widget)
    own: list[str] = []
    if extra_text.strip():
        try:
            own = vectors.as_labels(wordlists.parse_word_list(extra_text, max_words=MAX_MAP_WORDS))
        except ValueError as error:
            st.container(key=FM.map_words_error.key).error(md(error))
    return tuple(dict.fromkeys([*base, *own])), own


def _map_downloads(built: wordmap.WordMap, is_own: np.ndarray, method: str) -> None:
    """The map's 2-D coordinates and groups as Embedding Projector files."""
    vectors_tsv = userdata.to_projector_tsv(built.coords)
    metadata_tsv = userdata.to_metadata_tsv(
        built.words, group=[f"{g + 1}: around {built.cluster_names[g]}" for g in built.labels],
        your_word=["yes" if o else "no" for o in is_own],
    )
    upload.projector_downloads(vectors_tsv, metadata_tsv, stem=f"map_{method.lower()}", key=FM.map_files.key,
                               what=f"This {method} map")


def _honest_distances(built: wordmap.WordMap, own: list[str], uploaded: bool,
                      method: str) -> list[wordmap.PairDistance]:
    """Is the map honest? Some pairs' distances in the full space and on the map, each over the median pair's."""
    st.markdown("**Is the map honest?** Distances over the typical (median) pair's, so 1 is a typical pair:")
    pairs = wordlists.pairs_to_check(built.words, own, known=None if uploaded else wordlists.CAR_LAND_PAIRS)
    rows = wordmap.pair_distances(built.words, built.vectors, built.coords, pairs)
    st.dataframe(
        pd.DataFrame({"pair": [f"{r.first} \u2013 {r.second}" for r in rows],
                      "cosine similarity": [round(r.cosine, 3) for r in rows],
                      f"distance in {built.vectors.shape[1]}-D": [round(r.full, 2) for r in rows],
                      f"distance on the {method} map": [round(r.on_map, 2) for r in rows]}),
        hide_index=True,
    )
    return rows


def _takeaway(rows: list[wordmap.PairDistance], method: str) -> str:
    """The first two checked pairs on the map and in the full space, and why a map that keeps them matters."""
    if len(rows) < 2:
        return ("A map that keeps similar things close is most of the deep-learning problem; a 2-D map is only a "
                "picture, so check its distances against the full space.")
    near, far = rows[0], rows[1]
    side = "nearer" if near.on_map < far.on_map else "further from" if near.on_map > far.on_map else "as near"
    agree = (near.on_map < far.on_map) == (near.full < far.full)
    return (f"On this {method} map {md(near.first)} sits {side} {md(near.second)} ({near.on_map:.2f}) than "
            f"{md(far.second)} ({far.on_map:.2f}), {'as' if agree else 'unlike'} in the full space ({near.full:.2f} "
            f"against {far.full:.2f}). A map that keeps similar things close solves, as the article puts it, most of "
            "the deep-learning problem.")


@section
def car_land(vectors: ExploredVectors) -> None:
    """Car-Land: vehicle words (or an upload's labels) on a 2-D map where similar things sit close, grouped by k-means."""
    wv, uploaded = vectors.wv, vectors.is_upload
    _introduction(vectors)
    method_col, k_col = st.columns([2, 3])
    method = method_col.radio("Map", horizontal=True, **FM.map_method.widget)
    k = k_col.slider("Groups (k)", **FM.map_k.widget)
    with more_controls("car_land"):
        groups_col, seed_col = st.columns(2)
        groups = groups_col.radio("Find groups", horizontal=True, **FM.map_groups.widget)
        seed = seed_col.slider("Seed", **FM.map_seed.widget)
    words, own = _words_to_map(vectors)
    if int(k) > len(words):
        st.caption(f"{len(words)} words make at most {len(words)} groups, so k = {len(words)} here.")
    try:
        built, (xs, ys, z), projected = cache.word_map(
            wv, words, method_of(method), min(int(k), len(words)), int(seed),
            CLUSTER_ON_OF[groups])
    except ValueError as error:
        st.error(md(error))
        return
    if projected.note:
        # t-SNE could not spread these points (e.g. an upload whose rows all point one way): PCA stands in.
        st.container(key=FM.map_fallback.key).info(projected.note, icon=":material/info:")
        method = METHODS[projected.method]
    pieces_note([w for w, known in zip(built.words, built.in_vocab) if not known], key=FM.map_pieces.key)
    is_own = np.array([w in own for w in built.words])
    fig = charts.word_map(built.words, built.coords, built.labels, built.cluster_names, is_own,
                          built.in_vocab, method)
    add_regions(fig, xs, ys, charts.group_regions(z))
    show_chart(fig, key=FM.map_chart.key, name="car-land",
               data=functools.partial(pd.DataFrame, {"word": built.words, "group": built.labels + 1, "x": built.coords[:, 0],
                                  "y": built.coords[:, 1], "your word": is_own}))
    _map_downloads(built, is_own, method)
    rows = _honest_distances(built, own, uploaded, method)
    takeaway(_takeaway(rows, method), key=FM.map_takeaway.key)
