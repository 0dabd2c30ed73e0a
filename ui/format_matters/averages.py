"""A section of Format matters: the average of a few words' vectors, and the words nearest to it."""

from __future__ import annotations

import functools

import streamlit as st

from app_state import FM
from embedcore import encoding, wordlists
from ui.charts import show_chart
from ui.format_matters import charts
from ui.format_matters.common import WORD_LIST_MAX_CHARS, neighbour_table, pieces_note, takeaway
from ui.lesson import section
from ui.text import md
from ui.upload import ExploredVectors


def _takeaway(mean: encoding.Average, words: list[str]) -> str:
    """Where the mean sits: nearer each input than they sit to each other, and the word nearest to it."""
    top, cosine = mean.neighbours[0]
    listed = md(", ".join(words))
    if mean.between is None:
        return f"The mean of one word is that word's own direction: its nearest other word is {md(top)} ({cosine:.2f})."
    return (f"mean({listed}) sits nearer to each of them (cosine {mean.to_mean:.2f} on average) than they sit to each "
            f"other ({mean.between:.2f}); its nearest word is {md(top)} ({cosine:.2f}).")


@section
def averages(vectors: ExploredVectors) -> None:
    """Averages: the mean of a few words' vectors, and the words nearest to it (the inputs left out)."""
    wv = vectors.wv
    st.markdown("The mean of several vectors is a vector too. Which words sit near the middle of these?")
    text = st.text_input("Words to average (separate with commas)", max_chars=WORD_LIST_MAX_CHARS,
                         **FM.average_words.widget)
    try:
        words = vectors.as_labels(wordlists.parse_word_list(text, max_words=10))
        mean = encoding.average(wv, words, k=10)
    except ValueError as error:
        st.container(key=FM.average_error.key).error(md(error))
        return
    pieces_note(mean.encoded.out_of_vocab, key=FM.average_pieces.key)
    show_chart(
        charts.neighbour_bars([w for w, _ in mean.neighbours], [c for _, c in mean.neighbours]),
        key=FM.average_chart.key, data=functools.partial(neighbour_table, mean.neighbours), name="average-neighbours",
    )
    takeaway(_takeaway(mean, words), key=FM.average_takeaway.key)
