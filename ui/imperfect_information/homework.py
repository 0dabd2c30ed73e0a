"""A section of Imperfect information: homework question 1, is this a good embedding? (a vote, recorded in a live class)."""

from __future__ import annotations

import functools

import streamlit as st

from app_state import II
from embedcore.homework import MAP_GROUPS
from ui import live_class
from ui.charts import show_chart
from ui.imperfect_information import cache
from ui.imperfect_information import charts
from ui.imperfect_information.common import show_meters
from ui.lesson import section


@section
def homework() -> None:
    """Is this a good embedding? A vote on a regions map of ten concept groups, then the map's own evidence."""
    hw = cache.homework()
    data, found = hw.concepts, hw.map
    st.markdown(
        f"""{len(data.words)} real words from {len(MAP_GROUPS)} concept groups, squeezed from
{data.vectors.shape[1]:,} numbers to 2 by t-SNE: each group gets an area, and the axes mean nothing.
**Is this a good embedding?** Vote, and say why in one sentence."""
    )
    grid = cache.regions_of(found.points, data.labels)
    show_chart(
        charts.word_map(
            found.points, data.words, data.labels, MAP_GROUPS, grid=grid, title="Is this a good embedding?",
            show_text=True,
        ),
        key=II.homework_chart.key,
        data=functools.partial(charts.word_map_table, found.points, data.words, data.labels, MAP_GROUPS),
        name="homework-map",
    )
    show_meters(found.meters, key=II.meters_homework.key, linear=False)

    answer = st.session_state[II.answer.key]
    _vote(answer)
    if st.button("Reveal the answer", key=II.reveal.key, disabled=not answer.get("vote") or live_class.locked("ii.homework.vote"),
                 help="Save your vote and sentence first. In a live class, your teacher reveals it."):
        answer["revealed"] = True
    if answer.get("revealed") or live_class.revealed("ii.homework.vote"):
        live_class.class_result("ii.homework.vote")
        _reveal(hw)


def _vote(answer: dict) -> None:
    """The student's vote and one-sentence reason, saved into ``answer`` (the session's store) and sent to a live class.

    A missing vote or sentence is refused with a warning in a keyed container
    (``II.no_vote``, ``II.no_sentence``); a saved answer is shown back, the
    sentence as plain text.
    """
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
            st.container(key=II.no_vote.key).warning("Choose good, bad or it depends first.")
        elif not sentence:
            st.container(key=II.no_sentence.key).warning("Write one sentence that says why.")
        else:
            answer.update(vote=vote, sentence=sentence)
            st.success("Saved for this session.")
            live_class.record("ii.homework.vote", vote, reason=sentence)  # the sentence goes with the vote
    if answer.get("vote"):
        st.markdown(f"**Your answer:** {answer['vote']}")
        st.text(answer["sentence"])  # the student's own words, shown as plain text


def _reveal(hw: cache.Homework) -> None:
    """The reveal: there is no single right answer, and the homework map's own evidence.

    Each group's 5-NN accuracy, the groups that moved together and the worst
    false neighbours, every number read off ``hw`` (the cached homework map).
    """
    data, found = hw.concepts, hw.map
    pets_full, pets_map = found.accuracy_of("pets")
    odd = found.odd_pairs[0] if found.odd_pairs else None
    odd_text = (
        f" But **{odd.first}** and **{odd.second}** sit side by side: on the map they are the "
        f"{_ordinal(odd.map_rank + 1)} closest of the {found.n_pairs} pairs of groups, in the full space only the "
        f"{_ordinal(odd.full_rank + 1)}."
        if odd else ""
    )
    st.container(key=II.homework_reveal.key).success(
        f"""**There is no single right answer.** Some of the map makes sense: pets form their own region
({pets_map:.0%} of pet words are named right by their 5 nearest map neighbours).{odd_text} And two numbers cannot
hold everything: the map keeps {found.meters.recall:.0%} of each word's 10 nearest neighbours. Whether it is good
depends on the problem: for a pet shop's search box the pets region is what matters; for sorting news, groups
that sit together by accident would be a problem.""",
        icon=":material/school:",
    )
    st.markdown("**The evidence.** How often each group's words are guessed right from their 5 nearest words:")
    st.dataframe(
        {
            "group": list(MAP_GROUPS),
            "in the full space": [f"{v:.0%}" for v in found.accuracy_full],
            "on this map": [f"{v:.0%}" for v in found.accuracy_map],
        },
        hide_index=True,
    )
    st.markdown("Groups that moved together: pairs of groups whose centres are nearer on the map than in the "
                "full space (rank 1 = the closest pair).")
    st.dataframe(
        {
            "groups": [f"{p.first} and {p.second}" for p in found.odd_pairs],
            "rank on the map": [p.map_rank + 1 for p in found.odd_pairs],
            "rank in the full space": [p.full_rank + 1 for p in found.odd_pairs],
        },
        hide_index=True,
    )
    st.markdown("The worst **false neighbours**: pairs close on the map but far apart in the full space "
                "(rank = place among the word's nearest words; 1 = nearest).")
    group_of = [MAP_GROUPS[g] for g in data.labels]
    st.dataframe(charts.false_pairs_table(data.words, group_of, hw.false_pairs), hide_index=True)


def _ordinal(n: int) -> str:
    """1 -> "1st", 2 -> "2nd", 11 -> "11th", 23 -> "23rd"."""
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"
