"""A section of Imperfect information: from thousands of numbers to one bit (digit images compressed)."""

from __future__ import annotations

import functools

import streamlit as st

from app_state import II
from embedcore.compression import TASKS, CompressionCurve
from ui.charts import show_chart
from ui.imperfect_information import cache, checks
from ui.imperfect_information import charts
from ui.imperfect_information.common import TASK_OF, show_meters
from ui.glossary import define


@st.fragment
def one_image() -> None:
    """A digit image is nothing but numbers: one held-out image as its 8 x 8 grid of 64 grey levels."""
    st.markdown(
        """A photo is millions of numbers; these tiny handwritten digits are 64 each: an 8 × 8 grid of grey
levels from 0 to 16. To a computer, this is all the image *is*."""
    )
    index = st.slider("Which digit image", help="One held-out image of each digit.", **II.digit.widget)
    images = cache.gallery(64)
    left, right = st.columns(2)
    with left:
        show_chart(
            charts.digit_numbers(images.original[index], int(images.labels[index])),
            key=II.digit_chart.key,
            data=functools.partial(charts.digit_table, images.original[index]),
            name=f"digit-{images.labels[index]}-64-numbers",
            height=420,
        )
    with right:
        st.dataframe(charts.digit_table(images.original[index]), hide_index=True)
        st.caption("The same 64 numbers, row by row.")


@st.fragment
def compress_digits() -> None:
    """Compression: squeeze each image into k numbers, rebuild it, and see what a task still gets from the code.

    Controls (k, the task) -> the cached compression curve (``embedcore.compression``) -> the gallery and the
    curves -> the takeaway; then the same task on a 2-number map (:func:`_two_number_map`).
    """
    st.subheader("Squeeze 64 numbers into k, then rebuild the image")
    st.markdown(
        """**Encode** each image to k numbers with PCA (the k directions along which the images vary most),
then **decode** those k numbers back into 64 pixels. Slide k from 64 down to 1: the rebuilt images blur.
Then ask what the k numbers are *for*: a classifier trained only on the k numbers of each image
still has to answer a question about held-out images it never saw."""
    )
    define("compression", "PCA", "k-NN", "chance")
    checks.smallest_code()
    c1, c2 = st.columns([3, 2])
    k = c1.slider("Numbers kept (k)", help="64 = the whole image; 1 = a single number.", **II.k.widget)
    task = TASK_OF[c2.selectbox("The task", **II.task.widget)]
    rec = cache.gallery(k)
    curve = cache.compression_curve(task)
    show_chart(charts.gallery(rec, k), key=II.gallery_chart.key, data=functools.partial(charts.gallery_table, rec), name=f"gallery-k{k}")
    _compression_numbers(curve, k)
    show_chart(
        charts.compression_curves(curve, k),
        key=II.curves_chart.key,
        data=functools.partial(charts.compression_table, curve),
        name=f"compression-curve-{task}",
    )
    _compression_takeaway(curve, k)
    _two_number_map(task, curve)


def _compression_numbers(curve: CompressionCurve, k: int) -> None:
    """The code size, the pixel variance lost and the held-out accuracy at ``k``, beside the majority baseline."""
    at_k = int(k) - 1
    m1, m2, m3, m4 = st.container(key=II.compression_numbers.key).columns(4)
    m1.metric("Numbers kept", f"{k} of 64", help="The size of each image's code.")
    m2.metric(
        "Pixel variance lost",
        f"{curve.variance_lost[at_k]:.0%}",
        help=f"Mean squared error per pixel of the rebuilt held-out images: {curve.mse[at_k]:.2f} grey levels².",
    )
    m3.metric(
        "Held-out accuracy",
        f"{curve.accuracy[at_k]:.0%}",
        delta=f"{curve.accuracy[at_k] - curve.accuracy[-1]:+.0%} vs all 64",
        delta_color="normal",
        help=f"A 5-nearest-neighbour classifier on the {k}-number codes.",
    )
    # Every accuracy next to its baseline: a score means something only above it.
    m4.metric("Always the most common answer", f"{curve.baseline:.0%}",
              help="The accuracy of a 'classifier' that never looks at the picture.")


def _compression_takeaway(curve: CompressionCurve, k: int) -> None:
    """The takeaway: the task needs far less than the input holds (quoting the curve at ``k`` and the one-bit task)."""
    at_k = int(k) - 1
    accuracy = curve.accuracy[at_k]
    zero = cache.compression_curve("zero")
    verdict = (
        f"That is no better than always giving the most common answer ({curve.baseline:.0%}): at k = {k} the code "
        "has lost what this task needs."
        if accuracy <= curve.baseline else
        f"Always giving the most common answer would score {curve.baseline:.0%}."
    )
    st.container(key=II.compression_takeaway.key).info(
        f"""**The task needs far less than the input holds.** With {k} of 64 numbers the pictures have lost
{curve.variance_lost[at_k]:.0%} of their pixel variance, yet the classifier is right {accuracy:.0%} of the time
(with all 64: {curve.accuracy[-1]:.0%}). {verdict} The one-bit task, *is it a zero?*, starts high: always
answering "no" scores {zero.baseline:.0%}, and 2 numbers reach {zero.accuracy[1]:.0%}.""",
        icon=":material/lightbulb:",
    )


def _two_number_map(task: str, curve: CompressionCurve) -> None:
    """Borders, not every tree: each held-out image as 2 numbers, over the classifier's regions, with its meters."""
    st.subheader("The map needs the borders in the right place, not every tree")
    st.markdown(
        """Picture a classifier that answers one question about a photo: *hotdog or not?* Thousands of
pixels go in, one bit comes out. It does not need the whole picture: it needs the
**borders** between answers in the right place. Here every held-out image is just **2 numbers**: a point on a
map. The shading shows what a classifier trained on the 2-number codes answers in each patch of the map."""
    )
    define("recall@10", "trustworthiness", "explained variance")
    result = cache.digits_map(task)
    names = TASKS[task][2]
    show_chart(
        charts.decision_regions(result.map, names),
        key=II.regions_chart.key,
        data=functools.partial(charts.digits_map_table, result.map, names),
        name=f"digits-2d-{task}",
    )
    st.metric(
        "Held-out accuracy on the 2-number map",
        f"{result.map.accuracy:.0%}",
        delta=f"{result.map.accuracy - curve.baseline:+.0%} vs always the most common answer ({curve.baseline:.0%})",
        delta_color="off",
        help="15-nearest-neighbour classifier trained on the training images' 2-number codes.",
    )
    show_meters(result.meters, key=II.meters_digits.key)
    st.caption(
        "The meters compare the 2-D map with the 64-pixel images: the map keeps few neighbourhoods, "
        "but where the task is simple (is it a zero?) the borders it keeps are enough."
    )


def digits() -> None:
    """Section: a digit image is 64 numbers; squeeze them into k and see what survives.

    Two fragments: the one-image slider reruns the first only, the code-size
    controls the second.
    """
    one_image()
    compress_digits()
