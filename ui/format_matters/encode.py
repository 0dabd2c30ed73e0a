"""A section of Format matters: encode a word to a vector, decode it back, and push it with noise.

The noise slider answers in the browser: every value of it is one frame of
the noise chart (``charts.noise_frames``), computed for the word and seed
shown, so moving it reruns nothing. It answers the noise checkpoint, so the
chart waits for the prediction (on the bundled words; an upload has no
checkpoint).
"""

from __future__ import annotations

import functools

import numpy as np
import pandas as pd
import streamlit as st

from app_state import FM
from embedcore import checkpoints as cp
from embedcore import encoding
from embedcore.encoding import WordVectorsLike
from ui import checkpoint
from ui.charts import show_chart
from ui.format_matters import cache, charts, checks
from ui.format_matters.common import link_value, neighbour_table, pieces_note, takeaway
from ui.layout import more_controls
from ui.lesson import section
from ui.text import md
from ui.upload import ExploredVectors


def _introduction(vectors: ExploredVectors) -> None:
    """What the section does: encode (the bundled words) or look up (an upload's labels), decode, push."""
    dim = vectors.wv.dim
    way_in = ("Your upload has no encoder: type one of its labels to look up its" if vectors.is_upload else
              "Type a word: it is **encoded** to")
    st.markdown(
        "An embedding is a float vector **plus** a way in and a way out. "
        f"{way_in} {dim:,} numbers (the colour strip), **decoded** back to the nearest "
        f"{'labels' if vectors.is_upload else 'words'}. Then push the vector with noise."
    )


def _noise(wv: WordVectorsLike, trip: encoding.RoundTrip, seed: int) -> None:
    """The noise chart, its slider answering in the browser from the link's starting value, and the takeaway."""
    sweep = cache.noise_sweep(wv, trip.text, seed)
    lo, _ = FM.noise.bounds
    start = int(round((float(link_value(FM.noise)) - lo) / FM.noise.step))
    summary = (f"The cosine of the pushed vector with '{sweep.word}' and with the best other word, for pushes from "
               f"0 to {sweep.sizes[-1]:g}; a slider picks the push.")
    show_chart(
        charts.noise_frames(sweep, min(max(start, 0), len(sweep.sizes) - 1)), key=FM.noise_chart.key, height=470,
        name="noise-sweep", summary=summary,
        data=functools.partial(pd.DataFrame, {"push": sweep.sizes, f"cosine with '{sweep.word}'": sweep.word_cosines,
                               "best other word": sweep.rivals, "its cosine": sweep.rival_cosines,
                               "decoded word": sweep.top_words}),
    )
    takeaway(_noise_takeaway(wv, sweep), key=FM.encode_takeaway.key)


def _noise_takeaway(wv: WordVectorsLike, sweep: encoding.NoiseSweep) -> str:
    """How far a random push goes before the decoding changes, against a step towards the nearest word."""
    word = md(sweep.word)
    holds = (f"'{word}' holds past a push of {sweep.sizes[-1]:g}" if sweep.breakpoint is None else
             f"'{word}' holds up to a push of {sweep.breakpoint:.2f}")
    if sweep.word not in wv:
        return f"In this random direction {holds}."
    toward = cache.toward_neighbour(wv, sweep.word)
    return (f"In this random direction {holds}; straight towards '{md(toward.neighbour)}' it changes after "
            f"{toward.flip:.2f} at most (half their gap of {toward.distance:.2f}). In {wv.dim:,} dimensions a random "
            "direction points away from every word, so each word has wide room around it, and narrow room towards "
            "its neighbours.")


@section
def encode_decode(vectors: ExploredVectors) -> None:
    """Encode a word into a vector, decode it back to the nearest word, and push it with noise until it flips."""
    wv = vectors.wv
    _introduction(vectors)
    if not vectors.is_upload:
        checks.noise_flip(wv, st.session_state[FM.noise_seed.key])
    text = st.text_input("A word or phrase", max_chars=encoding.MAX_TEXT_LENGTH, **FM.encode_text.widget)
    with more_controls("encode"):
        # Seeds are sliders, not number boxes: they ride in shared links, and Streamlit 1.67's number
        # box crashes on a link value of "inf" (sliders drop it).
        seed = st.slider("Noise direction", help="A seed: each number is one random direction.",
                         **FM.noise_seed.widget)
    link_value(FM.noise)  # read on every run: a link's push is where the chart's slider starts
    try:
        trip = cache.round_trip(wv, text, 0.0, int(seed))
    except ValueError as error:
        st.error(md(error))
        return
    if not trip.in_vocab:
        pieces_note([trip.text], key=FM.encode_pieces.key)
    strip, decoded = st.columns([3, 2])
    with strip:
        show_chart(charts.vector_strip(trip.vector[None, :], [f"'{trip.text}'"]), key=FM.strip_chart.key,
                   height=170, name="vector",
                   data=functools.partial(pd.DataFrame, {"dimension": np.arange(trip.vector.size), "value": trip.vector}))
    with decoded:
        st.dataframe(neighbour_table(trip.decoded).drop(columns="input word"), hide_index=True, height=220)
    if vectors.is_upload or checkpoint.revealed(cp.NOISE_FLIP):
        _noise(wv, trip, int(seed))
        return
    (top, cosine), (second, second_cosine) = trip.decoded[:2]
    takeaway(f"'{md(trip.text)}' becomes {wv.dim:,} numbers and decodes back to '{md(top)}' (cosine {cosine:.2f}); "
             f"the next word, '{md(second)}', is at {second_cosine:.2f}.", key=FM.encode_takeaway.key)
