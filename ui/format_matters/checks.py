"""Format matters' predict-then-reveal checkpoints, judged from the lesson's own numbers.

Each function asks its question just before the control that answers it
(``ui.checkpoint.predict``) and hands over a judge that measures with the
same calls the lesson draws with, so the reveal quotes what the student is
about to see.
"""

from __future__ import annotations

import streamlit as st

from embedcore import checkpoints as cp
from embedcore import encoding, toyplane
from embedcore.encoding import WordVectorsLike
from ui import checkpoint
from ui.format_matters import cache


def toy_sum(plane: toyplane.ToyPlane) -> None:
    """Where king - man + woman lands on the student's own toy table."""
    if not all(w in plane for w in ("king", "man", "woman")):
        st.caption("Put king, man and woman back in the table to try the prediction about them.")
        return

    def judge(choice: str) -> cp.Verdict:
        """Where the sum lands on this table, against the words it could land on."""
        result = toyplane.arithmetic(plane, [(1, "king"), (-1, "man"), (1, "woman")]).point
        points = {w: plane.vector(w) for w in ("queen", "king", "woman") if w in plane}
        return cp.judge_toy_sum(choice, result, points)

    checkpoint.predict(cp.TOY_SUM, judge, hint="Then compute it below with Add and subtract.")


def noise_flip(wv: WordVectorsLike, seed: int) -> None:
    """How big a random push before cat stops decoding as cat (along this seed's direction)."""
    if "cat" not in wv:
        return

    def judge(choice: str) -> cp.Verdict:
        """The noise at which cat's decoding flips along this seed's direction (the section's own sweep)."""
        return cp.judge_noise_flip(choice, cache.noise_sweep(wv, "cat", int(seed)).breakpoint)

    checkpoint.predict(cp.NOISE_FLIP, judge, hint="Then type cat below and drag the noise slider to check.")


def analogy(wv: WordVectorsLike) -> None:
    """The nearest word to king - man + woman on the real vectors (inputs left out)."""
    if not all(w in wv for w in ("king", "man", "woman")):
        return

    def judge(choice: str) -> cp.Verdict:
        """The top word for king - man + woman, the inputs left out, and its cosine."""
        king, man, woman = encoding.encode_texts(wv, ["king", "man", "woman"]).vectors
        (top, cosine), = encoding.decode(wv, king - man + woman, k=1, exclude=["king", "man", "woman"])
        return cp.judge_analogy(choice, top, cosine)

    checkpoint.predict(cp.ANALOGY, judge, hint="Then type king - man + woman below to check.")
