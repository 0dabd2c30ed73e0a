"""A section of Format matters: word arithmetic on real vectors (king - man + woman), and why the inputs are hidden.

The section's checkpoint asks which word is nearest to king - man + woman
*before* the input words are left out. Until it is revealed, the ranking
leaves them out (the toggle waits), and where the inputs rank is not shown.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence

import pandas as pd
import streamlit as st

from app_state import FM
from embedcore import checkpoints as cp
from embedcore import encoding, wordlists, wordmap
from embedcore.expressions import ExpressionResult, evaluate
from ui import checkpoint
from ui.charts import show_chart
from ui.format_matters import cache, charts, checks
from ui.format_matters.common import neighbour_table, pieces_note, takeaway
from ui.glossary import define
from ui.layout import more_controls
from ui.lesson import section
from ui.text import md
from ui.upload import ExploredVectors

SYNTAX = ("Use +, -, numbers (0.5*king) and mean(...); put a phrase in quotes (\"ice cream\" - cold + hot) "
          "and a label with spaces or digits too.")


def _use_analogy() -> None:
    """The analogy menu's callback: fill the expression and its expected answer, then clear the menu."""
    analogy = wordlists.analogy_menu().get(st.session_state[FM.analogy.key])
    if analogy is not None:
        st.session_state[FM.expression.key] = analogy.expression
        st.session_state[FM.expected.key] = analogy.expected
    # Clear the menu, so picking the same analogy again (after editing the expression) works too.
    st.session_state[FM.analogy.key] = None


def _introduction(vectors: ExploredVectors) -> None:
    """What the section computes: on the bundled English words (and where they come from), or on an upload."""
    wv = vectors.wv
    if vectors.is_upload:
        st.markdown(f"Your upload: {len(wv.words):,} labels of {wv.dim:,} numbers. Type an expression of its labels; "
                    "the answer is the label pointing most nearly the same way.")
        return
    model, tool = (md(part) for part in cache.provenance())
    st.container(key=FM.arithmetic_intro.key).markdown(
        f"Now real vectors: {len(wv.words):,} English words of {wv.dim:,} numbers, learned from text, so nobody chose "
        "the axes. king \u2212 man + woman \u2248 queen made *word2vec* famous (2013); these vectors come from the "
        f"{model} model, distilled by {tool}. The answer is the nearest word by cosine similarity."
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


def _input_ranks(ranking: encoding.Ranking, inputs: Sequence[str]) -> None:
    """Where the input words rank when nothing is left out: often the nearest of all (the checkpoint's evidence)."""
    ranks = [(w, *ranking.rank(w)) for w in inputs]
    st.dataframe(pd.DataFrame(ranks, columns=["input word", "rank", "cosine"]).round(3), hide_index=True)
    best_word, best_rank, best_cosine = min(ranks, key=lambda r: r[1])
    others = ranking.top(1, exclude=inputs)  # empty when every word is an input (a tiny upload)
    first = ""
    if others:
        rank, cosine = ranking.rank(others[0][0])
        first = f" and '{md(others[0][0])}', the first word that is no input, #{rank:,} ({cosine:.3f})"
    st.container(key=FM.input_ranks.key).caption(
        f"With nothing left out, '{md(best_word)}' is #{best_rank:,} (cosine {best_cosine:.3f}){first}. The sum moves "
        "away from its start word, but not all the way: so analogy tools hide the inputs.")


def _analogy_picture(vectors: ExploredVectors, result: ExpressionResult, ranking: encoding.Ranking,
                     inputs: Sequence[str], text: str) -> None:
    """The analogy on the PCA plane of its own words; for a - b + c, its two steps and the takeaway they support."""
    picture = wordmap.analogy_map(vectors.wv, result.terms, result.vector,
                                  [w for w, _ in ranking.top(6, exclude=inputs)],
                                  label="\u2605 " + " ".join(text.split())[:40])
    show_chart(
        charts.analogy_picture(picture.words, picture.coords, picture.roles, picture.arrows),
        key=FM.analogy_chart.key, name="analogy-map",
        data=functools.partial(pd.DataFrame, {"word": picture.words, "role": picture.roles,
                                              "pca_1": picture.coords[:, 0], "pca_2": picture.coords[:, 1]}),
    )
    top = next((word for word, _ in ranking.top(1, exclude=inputs)), "none: every word is an input")
    if picture.offset_cosine is None:
        takeaway(f"The computed point's nearest {'label' if vectors.is_upload else 'word'}, leaving out the inputs, "
                 f"is {md(top)}.", key=FM.arithmetic_takeaway.key)
        return
    (b, a), (c, d), _ = picture.arrows
    step_1, step_2 = (f"{md(picture.words[i])} \u2192 {md(picture.words[j])}" for i, j in ((b, a), (c, d)))
    st.container(key=FM.analogy_note.key).caption(
        f"Arrows: {step_1}, {step_2}, and in grey {step_1}'s step taken from {md(picture.words[c])}, ending at the "
        f"sum \u2605. This flat picture keeps {picture.variance_kept:.0%} of the four words' variance.")
    how = ("point almost the same way" if picture.offset_cosine >= 0.8 else
           "point partly the same way" if picture.offset_cosine >= 0.3 else "barely agree")
    takeaway(
        f"Directions carry some meaning, not a perfect parallelogram: {step_1} and {step_2} {how} (cosine "
        f"{picture.offset_cosine:.2f}; 1 = parallel), and the sum's nearest {'label' if vectors.is_upload else 'word'}"
        f", leaving out the inputs, is {md(top)}.",
        key=FM.arithmetic_takeaway.key,
    )


@section
def arithmetic(vectors: ExploredVectors) -> None:
    """Word arithmetic: an expression of words (king - man + woman) on real vectors, its nearest words and its picture."""
    wv = vectors.wv
    _introduction(vectors)
    define("nearest neighbour", "PCA", "explained variance")
    revealed = vectors.is_upload or checkpoint.revealed(cp.ANALOGY)
    if not vectors.is_upload:  # the checkpoint and the classic analogies are about English words
        checks.analogy(wv)
        st.selectbox("Classic analogies", on_change=_use_analogy,
                     placeholder="Pick one to fill in the expression", **FM.analogy.widget)
    text = st.text_input("Expression", placeholder="king - man + woman", max_chars=200, help=SYNTAX,
                         **FM.expression.widget)
    with more_controls("arithmetic"):
        expected = st.text_input("Expected answer (optional)", max_chars=30, **FM.expected.widget)
        exclude = st.toggle("Leave the input words out of the results", disabled=not revealed,
                            help=None if revealed else "After your prediction above.", **FM.exclude_inputs.widget)
    try:
        result = evaluate(text, wv)
    except ValueError as error:
        st.container(key=FM.expression_error.key).error(
            f"**Cannot compute this expression:** {md(error)}", icon=":material/error:")
        return
    pieces_note(result.oov_words, result.suggestions, key=FM.expression_pieces.key)
    inputs = vectors.as_labels([t for _, t in result.terms]) if vectors.is_upload else result.input_words
    ranking = encoding.rank_words(wv, result.vector)  # one pass over the vocabulary serves every list below
    left_out = inputs if exclude or not revealed else ()
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
        if revealed and inputs:
            _input_ranks(ranking, inputs)
    _analogy_picture(vectors, result, ranking, inputs, text)
