"""A section of Imperfect information: from 64 numbers to a few (digit pictures encoded to k numbers and decoded).

The checkpoint asks how few numbers still name the digit 90% of the time;
until it is revealed, the section shows what the pixels lose (the rebuilt
pictures, the variance lost) but no accuracy: not the metric, not the
accuracy curve, not the takeaway's verdict.
"""

from __future__ import annotations

import functools

import streamlit as st

from app_state import II
from embedcore import checkpoints as cp
from embedcore.compression import CompressionCurve, code_verdict
from ui import checkpoint
from ui.charts import show_chart
from ui.glossary import define
from ui.imperfect_information import cache, charts, checks
from ui.lesson import section

TASK = "digit"  # the section's task: name the digit (10 answers)


@section
def digits() -> None:
    """Section: a digit picture is 64 numbers; squeeze them into k, rebuild the picture, and see what survives."""
    st.markdown(
        """A digit picture here is 64 numbers: an 8 × 8 grid of grey levels. **Encode** it into k numbers with
PCA, then **decode** those k back into 64 pixels."""
    )
    define("compression", "PCA", "k-NN", "chance")
    left, right = st.columns([2, 3])
    with left:
        index = st.slider("Which digit picture", help="One held-out picture of each digit.", **II.digit.widget)
        images = cache.gallery(64)
        show_chart(
            charts.digit_numbers(images.original[index], int(images.labels[index])),
            key=II.digit_chart.key,
            data=functools.partial(charts.digit_table, images.original[index]),
            name=f"digit-{images.labels[index]}-64-numbers",
            height=340,
        )
    with right:
        checks.smallest_code()
    revealed = checkpoint.revealed(cp.SMALLEST_CODE)
    k = st.slider("Numbers kept (k)", help="64 = the whole picture; 1 = a single number.", **II.k.widget)
    rec = cache.gallery(k)
    curve = cache.compression_curve(TASK)
    show_chart(charts.gallery(rec, k), key=II.gallery_chart.key, data=functools.partial(charts.gallery_table, rec),
               name=f"gallery-k{k}")
    _numbers(curve, k, revealed)
    show_chart(
        charts.compression_curves(curve, k, accuracy=revealed),
        key=II.curves_chart.key,
        data=functools.partial(charts.compression_table, curve, accuracy=revealed),
        name="compression-curve",
    )
    _takeaway(curve, k, revealed)


def _numbers(curve: CompressionCurve, k: int, revealed: bool) -> None:
    """The code size and the pixel variance lost; once the prediction is revealed, the accuracy beside its baseline."""
    at = int(k) - 1
    tiles = st.container(key=II.compression_numbers.key).columns(4)
    tiles[0].metric("Numbers kept", f"{k} of 64", help="The size of each picture's code.")
    tiles[1].metric(
        "Pixel variance lost", f"{curve.variance_lost[at]:.0%}",
        help=f"Mean squared error per pixel of the rebuilt held-out pictures: {curve.mse[at]:.2f} grey levels².",
    )
    if not revealed:
        return
    tiles[2].metric(
        "Held-out accuracy", f"{curve.accuracy[at]:.0%}", delta=f"{curve.accuracy[at] - curve.accuracy[-1]:+.0%} vs all 64",
        delta_color="normal", help=f"A 5-nearest-neighbour classifier names the digit from the {k}-number codes.",
    )
    # Every accuracy next to its baseline: a score means something only above it.
    tiles[3].metric("Always the most common digit", f"{curve.baseline:.0%}",
                    help="The accuracy of a 'classifier' that never looks at the picture.")


def _takeaway(curve: CompressionCurve, k: int, revealed: bool) -> None:
    """What k numbers keep: of the pixels always; of the task (read by ``code_verdict``) once revealed."""
    at = int(k) - 1
    lost, accuracy, full = curve.variance_lost[at], curve.accuracy[at], curve.accuracy[-1]
    pixels = f"With {k} of 64 numbers the rebuilt pictures have lost {lost:.0%} of their pixel variance."
    if not revealed:
        text = pixels
    else:
        verdict = code_verdict(accuracy, full, curve.baseline)
        text = {
            "enough": f"**The task needs far less than the input holds.** {pixels} Yet the digit is named right "
                      f"{accuracy:.0%} of the time (all 64: {full:.0%}).",
            "part": f"**{k} numbers keep part of what the task needs.** {pixels} The digit is named right "
                    f"{accuracy:.0%} of the time: above the {curve.baseline:.0%} of always guessing the most "
                    f"common digit, below the {full:.0%} of all 64.",
            "baseline": f"**{k} numbers have lost what the task needs.** {pixels} The digit is named right "
                        f"{accuracy:.0%} of the time, no better than always guessing the most common digit "
                        f"({curve.baseline:.0%}).",
        }[verdict]
    st.container(key=II.compression_takeaway.key).info(text, icon=":material/lightbulb:")
