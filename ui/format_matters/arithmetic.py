"""A section of Format matters: word arithmetic and averages on real vectors."""

from __future__ import annotations

import functools
from collections.abc import Sequence

import pandas as pd
import streamlit as st

from app_state import FM
from embedcore import encoding, wordlists, wordmap
from embedcore.expressions import ExpressionResult, evaluate
from ui.charts import show_chart
from ui.format_matters import charts, checks
from ui.format_matters.common import WORD_LIST_MAX_CHARS, neighbour_table, pieces_note, takeaway
from ui.text import md
from ui.upload import ExploredVectors
from ui.glossary import define
from ui.layout import more_controls


def _use_analogy() -> None:
    """The analogy menu's callback: fill the expression and its expected answer, then clear the menu."""
    analogy = wordlists.analogy_menu().get(st.session_state[FM.analogy.key])
    if analogy is not None:
        st.session_state[FM.expression.key] = analogy.expression
        st.session_state[FM.expected.key] = analogy.expected
    # Clear the menu, so picking the same analogy again (after editing the expression) works too.
    st.session_state[FM.analogy.key] = None


def _introduction(vectors: ExploredVectors) -> None:
    """What the section computes: on the bundled English words, or on an upload's own labels."""
    wv = vectors.wv
    if vectors.is_upload:
        st.markdown(
            f"Your upload: {len(wv.words):,} labels, each a {wv.dim:,}-number vector. Type an expression "
            "with `+`, `-`, numbers (`0.5*a`) and `mean(...)`, using the upload's own labels; put a label with "
            "spaces or digits in quotes (`\"row 1\"`). The answer is the label whose vector points most nearly "
            "the same way (highest cosine similarity)."
        )
    else:
        st.markdown(
            f"Now the real thing: {len(wv.words):,} English words, each a {wv.dim:,}-number vector "
            "learned from text (nobody chose the axes). Type an expression with `+`, `-`, numbers (`0.5*king`) "
            "and `mean(...)`; put a phrase in quotes (`\"ice cream\" - cold + hot`). Or pick a classic analogy. "
            "The answer is the word whose vector points most nearly "
            "the same way (highest cosine similarity)."
        )


def _expected_rank(vectors: ExploredVectors, ranking: encoding.Ranking, expected: str,
                   exclude: Sequence[str]) -> None:
    """The expected answer's rank and cosine (``exclude``: the inputs the list leaves out), or why it has none."""
    if expected not in vectors.wv:
        st.container(key=FM.expected_missing.key).warning(
            f"'{md(expected)}' is not in {vectors.set_name}, so it cannot be ranked.")
        return
    expected = vectors.as_labels([expected])[0]
    rank, cosine = ranking.rank(expected, exclude=exclude)
    st.metric(f"Rank of '{md(expected)}'", f"#{rank:,}", help="1 = the top result")
    st.metric(f"Cosine similarity of '{md(expected)}'", f"{cosine:.3f}")
    if expected in exclude:
        st.caption(f"'{md(expected)}' is an input word; it is ranked here although the list hides inputs.")


def _input_ranks(ranking: encoding.Ranking, inputs: Sequence[str]) -> None:
    """Where the input words rank when the list keeps them: often the nearest of all."""
    st.markdown("**Where the input words rank**")
    ranks = [(w, *ranking.rank(w)) for w in inputs]
    st.dataframe(pd.DataFrame(ranks, columns=["input word", "rank", "cosine"]).round(3), hide_index=True)
    best_word, best_rank, best_cosine = min(ranks, key=lambda r: r[1])
    st.container(key=FM.input_ranks.key).caption(
        f"Honest answer: the input words are often the nearest of all - here '{md(best_word)}' ranks "
        f"#{best_rank:,} (cosine {best_cosine:.3f}) to the computed point. Adding and subtracting moves "
        "the point away from its start word, but not all the way, which is why analogy tools hide the "
        "inputs."
    )


def _analogy_picture(vectors: ExploredVectors, result: ExpressionResult, ranking: encoding.Ranking,
                     inputs: Sequence[str], text: str) -> None:
    """The analogy on the PCA plane of its own words; for a - b + c, its two steps and the takeaway they support."""
    st.markdown("**The analogy as a picture.** The input words, the result and its neighbours, on the PCA plane "
                "fitted to the analogy's own words.")
    picture = wordmap.analogy_map(vectors.wv, result.terms, result.vector,
                                  [w for w, _ in ranking.top(6, exclude=inputs)],
                                  label="\u2605 " + " ".join(text.split())[:40])
    show_chart(
        charts.analogy_picture(picture.words, picture.coords, picture.roles, picture.arrows),
        key=FM.analogy_chart.key, name="analogy-map",
        data=functools.partial(pd.DataFrame, {"word": picture.words, "role": picture.roles,
                           "pca_1": picture.coords[:, 0], "pca_2": picture.coords[:, 1]}),
    )
    if picture.offset_cosine is None:
        return
    (b, a), (c, d), _ = picture.arrows
    st.container(key=FM.analogy_note.key).caption(
        f"Coloured arrows: {md(picture.words[b])} \u2192 {md(picture.words[a])} and {md(picture.words[c])} \u2192 "
        f"{md(picture.words[d])}. The grey arrow is the same step as {md(picture.words[b])} \u2192 "
        f"{md(picture.words[a])}, taken from {md(picture.words[c])}: it ends at the computed point \u2605. "
        "In the full space the two "
        f"coloured offsets have cosine {picture.offset_cosine:.2f} (1 = exactly parallel), so the analogy "
        f"is only roughly a parallelogram. The answer is the word whose *direction* is closest to \u2605's "
        "(cosine ignores length), not the nearest point in this picture. This plane keeps "
        f"{picture.variance_kept:.0%} of the variance of the four words it was fitted on."
    )
    # What this analogy's own numbers say: how parallel the two steps are, and where the sum landed.
    top = ranking.top(1, exclude=inputs)[0][0]
    how = ("point almost the same way" if picture.offset_cosine >= 0.8 else
           "point partly the same way" if picture.offset_cosine >= 0.3 else "barely agree")
    takeaway(
        f"Directions carry some meaning, not a perfect parallelogram: the steps {md(picture.words[b])} → "
        f"{md(picture.words[a])} and {md(picture.words[c])} → {md(picture.words[d])} {how} (cosine "
        f"{picture.offset_cosine:.2f}), and the computed point's nearest {'label' if vectors.is_upload else 'word'}"
        f", leaving out the inputs, is {md(top)}.",
        key=FM.arithmetic_takeaway.key,
    )


@st.fragment
def word_arithmetic(vectors: ExploredVectors) -> None:
    """Word arithmetic: an expression of words (king - man + woman) on real vectors, its nearest words and its picture."""
    wv = vectors.wv
    define("cosine similarity", "nearest neighbour")
    _introduction(vectors)
    if not vectors.is_upload:  # the checkpoint and the classic analogies are about English words
        checks.analogy(wv)
        st.selectbox("Classic analogies", on_change=_use_analogy,
                     placeholder="Pick one to fill in the expression: capitals, gender, plurals, tenses, "
                     "comparatives", **FM.analogy.widget)
    text = st.text_input("Expression", placeholder="king - man + woman", max_chars=200, **FM.expression.widget)
    with more_controls("arithmetic"):
        expected = st.text_input("Expected answer (optional)", max_chars=30, **FM.expected.widget)
        exclude = st.toggle("Exclude the input words from the results", **FM.exclude_inputs.widget)
    try:
        result = evaluate(text, wv)
    except ValueError as error:
        st.container(key=FM.expression_error.key).error(
            f"**Cannot compute this expression:** {md(error)}", icon=":material/error:")
        return
    pieces_note(result.oov_words, result.suggestions, key=FM.expression_pieces.key)
    inputs = vectors.as_labels([t for _, t in result.terms]) if vectors.is_upload else result.input_words
    ranking = encoding.rank_words(wv, result.vector)  # one pass over the vocabulary serves every list below
    left_out = inputs if exclude else ()
    neighbours = ranking.top(10, exclude=left_out)
    expected = " ".join(expected.split()).lower()

    chart, side = st.columns([3, 2])
    with chart:
        show_chart(
            charts.neighbour_bars([w for w, _ in neighbours], [c for _, c in neighbours], inputs=inputs,
                                  expected=vectors.as_labels([expected])[0]),
            key=FM.neighbours_chart.key, data=functools.partial(neighbour_table, neighbours, inputs), name="neighbours",
        )
    with side:
        if expected:
            _expected_rank(vectors, ranking, expected, left_out)
        if not exclude and inputs:
            _input_ranks(ranking, inputs)
    _analogy_picture(vectors, result, ranking, inputs, text)


@st.fragment
def averages(vectors: ExploredVectors) -> None:
    """Averages: the mean of a few words' vectors, and the words nearest to it (the inputs left out)."""
    wv = vectors.wv
    st.markdown("### Averages")
    st.markdown("The mean of several vectors is a vector too. Which words sit near the middle of these?")
    text = st.text_input("Words to average (separate with commas)", max_chars=WORD_LIST_MAX_CHARS, **FM.average_words.widget)
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
    st.caption(f"mean({md(', '.join(words))}): nearest words, the inputs left out.")


def arithmetic(vectors: ExploredVectors) -> None:
    """Section: word arithmetic on real vectors (king - man + woman), then averages of words.

    Two fragments, so that typing an expression reruns the arithmetic only
    and a list of words to average reruns the averages only.
    """
    word_arithmetic(vectors)
    averages(vectors)
