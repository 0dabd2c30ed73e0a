"""Section 4 of Imperfect information: homework question 1, is this a good embedding? (a vote, recorded in a live class)."""

from __future__ import annotations

import streamlit as st

from app_state import II
from embedcore.concepts import HOMEWORK_AXES, HOMEWORK_GROUPS
from ui import live_class
from ui.charts import show_chart
from ui.imperfect_information import cache
from ui.imperfect_information import charts
from ui.imperfect_information.common import show_meters


@st.fragment
def homework() -> None:
    st.header("4. Homework question 1: is this a good embedding?")
    st.markdown(
        """Here is a 2-D map of real word vectors. Dogs, cats and puppies sit close together, and so do the
foods. But the navigation words sit right on top of the politics words. **Is this a good embedding?**"""
    )
    hw = cache.homework()
    data = hw.concepts
    grid = cache.regions_of(hw.points, data.labels)
    show_chart(
        charts.word_map(
            hw.points, data.words, data.labels, HOMEWORK_GROUPS, grid=grid, title="Is this a good embedding?",
            show_text=True,
        ),
        key=II.homework_chart.key,
        data=charts.word_map_table(hw.points, data.words, data.labels, HOMEWORK_GROUPS),
        name="homework-map",
    )
    show_meters(hw.meters, key=II.meters_homework.key, linear=False)

    answer = st.session_state[II.answer.key]
    c1, c2 = st.columns([1, 3])
    c1.radio("Your vote", **II.vote.widget)
    c2.text_input(
        "Your reason, in one sentence", max_chars=200, placeholder="It is good (or bad) because ...",
        **II.sentence.widget,
    )
    if st.button("Save my answer", key=II.save_answer.key, icon=":material/save:"):
        vote = st.session_state[II.vote.key]
        sentence = (st.session_state[II.sentence.key] or "").strip()
        if vote is None:
            st.warning("Choose good, bad or it depends first.")
        elif not sentence:
            st.warning("Write one sentence that says why.")
        else:
            answer.update(vote=vote, sentence=sentence)
            st.success("Saved for this session.")
            live_class.record("ii.homework.vote", vote)
    if answer.get("vote"):
        st.markdown(f"**Your answer:** {answer['vote']}")
        st.text(answer["sentence"])  # the student's own words, shown as plain text

    if st.button("Reveal the answer", key=II.reveal.key, disabled=not answer.get("vote") or live_class.locked("ii.homework.vote"),
                 help="Save your vote and sentence first. In a live class, your teacher reveals it."):
        answer["revealed"] = True
    if answer.get("revealed") or live_class.revealed("ii.homework.vote"):
        live_class.class_result("ii.homework.vote")
        st.success(
            """**There is no single right answer.** Some regions are coherent (pets, foods) and some are not
(navigation and politics share one patch). Whether that is good depends on the problem: for a pet shop's
search box it is a fine map; for sorting news into "politics" and "maps and travel" it is a bad one.""",
            icon=":material/school:",
        )
        st.markdown(
            f"""**How the map was made.** Real {data.vectors.shape[1]:,}-number word vectors, projected onto two
concept axes: x = how pet-like a word is, y = how food-like (the cosine with the centre of the *{HOMEWORK_AXES[0]}* and
*{HOMEWORK_AXES[1]}* words). It is the map a pet shop might build: it keeps what a pet shop needs and drops the
rest. Navigation and politics have no axis of their own, so they fall together in the middle."""
        )
        st.markdown("**The evidence.** How often each group's words are guessed right from their 5 nearest words:")
        st.dataframe(
            {
                "group": list(HOMEWORK_GROUPS),
                "in the full space": [f"{v:.0%}" for v in hw.accuracy_full],
                "on this map": [f"{v:.0%}" for v in hw.accuracy_map],
            },
            hide_index=True,
        )
        st.markdown("The worst **false neighbours**: pairs close on the map but far apart in the full space "
                    "(rank = place among the word's nearest words; 1 = nearest).")
        group_of = [HOMEWORK_GROUPS[g] for g in data.labels]
        st.dataframe(charts.false_pairs_table(data.words, group_of, hw.false_pairs), hide_index=True)
