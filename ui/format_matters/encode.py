"""A section of Format matters: encode a word to a vector, decode it back, and push it with noise."""

from __future__ import annotations

import functools

import numpy as np
import pandas as pd
import streamlit as st

from app_state import FM
from embedcore import encoding
from embedcore.encoding import WordVectorsLike
from ui.charts import show_chart
from ui.format_matters import cache, checks
from ui.format_matters import charts
from ui.format_matters.common import neighbour_table, pieces_note, takeaway
from ui.layout import more_controls
from ui.text import md
from ui.upload import ExploredVectors


def _introduction(vectors: ExploredVectors) -> None:
    """What the section does: encode (the bundled words) or look up (an upload's labels), decode, push with noise."""
    label = "label" if vectors.is_upload else "word"
    dim = vectors.wv.dim
    st.markdown(
        "An embedding is a float vector **plus** a way to encode into it and decode out of it. "
        + (f"Your upload has vectors but no encoder, so type one of its labels: its {dim:,} numbers are the "
           "colour strip, **decoded** back to the nearest labels." if vectors.is_upload else
           f"Type a word or a phrase: it is **encoded** to {dim:,} numbers (the colour strip), then "
           "**decoded** back to the nearest words.")
        + f" The noise slider pushes the vector in a random direction: how far can it move before it decodes to a "
        f"different {label}?"
    )


def _decodings(trip: encoding.RoundTrip, dim: int, noise: float) -> None:
    """The vector's first numbers, clean and noisy, what each decodes to, and whether the noise changed it."""
    numbers, clean, noisy = st.columns([2, 2, 2])
    with numbers:
        st.markdown(f"**The first {min(8, dim)} of its {dim:,} numbers**")
        st.dataframe(
            pd.DataFrame({"dimension": range(min(8, dim)), "clean": trip.vector[:8].round(3),
                          "noisy": trip.noisy[:8].round(3)}),
            hide_index=True,
        )
    with clean:
        st.markdown("**Decoded (no noise)**")
        st.dataframe(neighbour_table(trip.decoded).drop(columns="input word"), hide_index=True)
    with noisy:
        st.markdown(f"**Decoded with noise {noise:.2f}**")
        st.dataframe(neighbour_table(trip.decoded_noisy).drop(columns="input word"), hide_index=True)

    same = trip.decoded_noisy[0][0] == trip.decoded[0][0]
    st.metric(
        "Decodes to", md(trip.decoded_noisy[0][0]),
        delta="same as without noise" if same else f"changed from '{md(trip.decoded[0][0])}'",
        delta_color="normal" if same else "inverse",
    )


def _flip_notes(wv: WordVectorsLike, sweep: encoding.NoiseSweep) -> None:
    """How far the random direction goes before the decoding flips, against a step towards the nearest neighbour."""
    if sweep.breakpoint is None:
        st.container(key=FM.noise_flip_note.key).caption(
            f"In this direction '{md(sweep.word)}' stays the nearest word up to noise {cache.NOISE_MAX:.0f}.")
    else:
        after = sweep.top_words[int(np.searchsorted(sweep.sizes, sweep.breakpoint))]
        st.container(key=FM.noise_flip_note.key).caption(
            f"In this direction '{md(sweep.word)}' stays the nearest word up to noise **{sweep.breakpoint:.2f}**, "
            f"where '{md(after)}' overtakes it."
        )
    if sweep.word in wv:
        toward = cache.toward_neighbour(wv, sweep.word)
        random_flip = f"{sweep.breakpoint:.2f}" if sweep.breakpoint is not None else f"more than {cache.NOISE_MAX:.0f}"
        st.container(key=FM.toward_note.key).caption(
            f"Straight towards its nearest neighbour '{md(toward.neighbour)}', the decoding changes after a step "
            f"of {toward.flip:.2f} at most (half the gap of {toward.distance:.2f} between the two), against "
            f"{random_flip} in the random direction above."
        )


@st.fragment
def encode_decode(vectors: ExploredVectors) -> None:
    """Encode a word into a vector, decode it back to the nearest word, and push it with noise until it flips."""
    wv = vectors.wv
    _introduction(vectors)
    if not vectors.is_upload:
        checks.noise_flip(wv, st.session_state[FM.noise_seed.key])
    left, middle = st.columns([2, 3])
    text = left.text_input("A word or phrase", max_chars=encoding.MAX_TEXT_LENGTH, **FM.encode_text.widget)
    noise = middle.slider("Noise (1 = as long as the vector itself)", **FM.noise.widget)
    right = more_controls("encode")
    # Seeds are sliders, not number boxes: they ride in shared links, and Streamlit 1.67's number
    # box crashes on a link value of "inf" (sliders drop it).
    seed = right.slider("Noise direction", help="A seed: each number is one random direction.",
                        **FM.noise_seed.widget)
    try:
        trip = cache.round_trip(wv, text, float(noise), int(seed))
    except ValueError as error:
        st.error(md(error))
        return
    if not trip.in_vocab:
        pieces_note([trip.text], key=FM.encode_pieces.key)
    sweep = cache.noise_sweep(wv, trip.text, int(seed))

    show_chart(
        charts.vector_strip(np.vstack([trip.vector, trip.noisy]), [f"'{trip.text}'", f"+ noise {noise:.2f}"]),
        key=FM.strip_chart.key, height=210, name="vector",
        data=functools.partial(pd.DataFrame, {"dimension": range(trip.vector.size), "clean": trip.vector, "noisy": trip.noisy}),
    )
    _decodings(trip, wv.dim, noise)
    show_chart(
        charts.noise_chart(sweep, noise), key=FM.noise_chart.key, height=340, name="noise-sweep",
        data=functools.partial(pd.DataFrame, {"noise": sweep.sizes, f"cosine with '{sweep.word}'": sweep.word_cosines,
                           "best other word": sweep.rivals, "its cosine": sweep.rival_cosines,
                           "decoded word": sweep.top_words}),
    )
    _flip_notes(wv, sweep)
    takeaway(
        "In a random direction a word's vector has room around it: in many dimensions a random step points "
        "away from every other word, so nearby points still decode to the same word. A step *towards* a "
        "neighbouring word is different: past half the gap between the two, the point decodes as the neighbour."
    )
