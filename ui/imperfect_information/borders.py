"""A section of Imperfect information: one bit needs only the borders (the article's hotdog classifier).

Each held-out digit picture becomes 2 numbers, a point on a map, and a
classifier trained on the map answers *is it a zero?* in every patch of it.
The map does not keep the pictures; it keeps the border between the two
answers in the right place, and a new picture takes the answer of the patch
it lands in: a model reading its map back.
"""

from __future__ import annotations

import functools

import streamlit as st

from app_state import II
from embedcore import checkpoints as cp
from embedcore.compression import TASKS
from ui import checkpoint
from ui.charts import show_chart
from ui.imperfect_information import cache, charts
from ui.lesson import section

TASK = "zero"  # one bit: is it a zero?


@section
def borders() -> None:
    """Section: thousands of pixels in, one bit out; the 2-number map keeps the border, and reads back."""
    st.markdown(
        """Thousands of pixels in, one bit out: a *hotdog or not?* classifier needs no picture, only the
**border** between its two answers in the right place. Here each held-out digit picture is squeezed to
**2 numbers**, a point on a map, and the question is *is it a zero?* The shading is what a classifier trained on
the map answers in each patch."""
    )
    result = cache.digits_map(TASK)
    names = TASKS[TASK][2]
    show_chart(
        charts.decision_regions(result.map, names),
        key=II.regions_chart.key,
        data=functools.partial(charts.digits_map_table, result.map, names),
        name="digits-2d-zero",
    )
    baseline = cache.compression_curve(TASK).baseline
    _numbers(result.map.accuracy, baseline)
    st.container(key=II.borders_takeaway.key).info(
        f"""**A model reads its map back.** A new picture is encoded to its 2 numbers, lands in a patch and takes
that patch's answer: right for {result.map.accuracy:.0%} of held-out pictures (always "no": {baseline:.0%}).
A network draws such a map at every layer while it trains, and reads it back the same way when it answers.""",
        icon=":material/lightbulb:",
    )


def _numbers(accuracy: float, baseline: float) -> None:
    """The one-bit map's accuracy beside "always no"; once section 1's prediction is revealed, the ten-answer task's
    accuracy on the same 2 numbers beside its own baseline (before, it would give that prediction away)."""
    tiles = st.container(key=II.borders_numbers.key).columns(4)
    tiles[0].metric("Zero or not? Right", f"{accuracy:.0%}",
                    help="A 15-nearest-neighbour classifier trained on the training pictures' 2-number codes.")
    tiles[1].metric('Always "no"', f"{baseline:.0%}", help=f"{baseline:.0%} of the held-out pictures are not a zero.")
    if checkpoint.revealed(cp.SMALLEST_CODE):
        digit = cache.digits_map("digit").map.accuracy
        tiles[2].metric("Which digit? Right", f"{digit:.0%}",
                        help="Ten answers need more than 2 numbers: compare section 1.")
        tiles[3].metric("Always the most common digit", f"{cache.compression_curve('digit').baseline:.0%}")
