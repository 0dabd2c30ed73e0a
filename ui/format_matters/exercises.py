"""A section of Format matters: three checked challenges (recorded in a live class)."""

from __future__ import annotations

import streamlit as st

from app_state import FM
from embedcore import exercises
from ui import checkpoint, live_class
from ui.lesson import section
from ui.text import md
from ui.upload import ExploredVectors


def show_feedback(question_id: str, answer: str, feedback: exercises.Feedback, *, key: str) -> bool:
    """Show the checker's verdict in a container named ``key``, count it in the lesson's score, send it to a live class."""
    checkpoint.mark(question_id, answer, feedback.passed, feedback.message)
    live_class.record(question_id, answer, checked=feedback.passed)
    box = st.container(key=key)
    if feedback.passed:
        box.success(md(feedback.message), icon=":material/check_circle:")
    else:
        box.error(md(feedback.message), icon=":material/cancel:")
        box.caption(f":material/tips_and_updates: Hint: {md(feedback.hint)}")
    return feedback.passed


@section
def try_it_yourself(vectors: ExploredVectors) -> None:
    """Try it yourself: three exercises the vectors check (closer to queen, an expression giving aunt, an axis)."""
    wv = vectors.wv
    st.markdown("Three challenges, checked as you press Enter.")
    if vectors.is_upload:
        st.container(key=FM.ex_bundled.key).caption(
            ":material/info: The challenges are about English words (queen, aunt, nurse), so they use "
            "the bundled word vectors, not your upload.")
        wv = vectors.bundled

    st.markdown("**1. Find a word closer to 'queen' than 'king' is** (a higher cosine similarity with queen).")
    answer = st.text_input("Your word", max_chars=30, **FM.ex_queen.widget)
    if answer.strip():
        show_feedback("fm.exercise.queen", answer, exercises.check_closer_to_queen(wv, answer),
                      key=FM.ex_feedback.at("queen"))

    st.markdown("**2. Write an expression whose top result is 'aunt'** (without using 'aunt').")
    expression = st.text_input("Your expression", max_chars=200, placeholder="word - word + word",
                               **FM.ex_aunt.widget)
    if expression.strip():
        show_feedback("fm.exercise.aunt", expression, exercises.check_top_result(wv, expression, "aunt"),
                      key=FM.ex_feedback.at("aunt"))

    st.markdown("**3. Choose an axis that puts 'nurse' and 'engineer' on opposite sides** of its middle.")
    low, high = st.columns(2)
    negative = low.text_input("Axis from (words, commas)", max_chars=200, **FM.ex_axis_negative.widget)
    positive = high.text_input("Axis to (words, commas)", max_chars=200, **FM.ex_axis_positive.widget)
    if negative.strip() and positive.strip():
        show_feedback("fm.exercise.axis", f"{negative} -> {positive}",
                      exercises.check_opposite_sides(wv, negative, positive), key=FM.ex_feedback.at("axis"))
