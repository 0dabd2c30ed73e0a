"""Format matters' predict-then-reveal checkpoints, judged from the lesson's own numbers.

Each function asks its question before anything that answers it
(``ui.checkpoint.predict``) and hands over a judge that measures with the
same calls the lesson draws with, so the reveal quotes what the student is
about to see.
"""

from __future__ import annotations

import numpy as np
import streamlit as st

from embedcore import checkpoints as cp
from embedcore import encoding, toyplane
from embedcore.encoding import WordVectorsLike
from ui import checkpoint
from ui.format_matters import cache

#: How many of cat's nearest words count as its "close neighbours" in the noise checkpoint.
CLOSE_NEIGHBOURS = 10


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

    checkpoint.predict(cp.TOY_SUM, judge)


def noise_verdict(choice: str, wv: WordVectorsLike, seed: int, word: str = "cat") -> cp.Verdict:
    """The noise checkpoint's verdict along seed ``seed``'s direction, from the section's own sweep.

    The sweep's grid is the slider's, so the push of ``cp.NOISE_PUSH`` is one of its steps.
    """
    sweep = cache.noise_sweep(wv, word, int(seed))
    at = int(np.argmin(np.abs(sweep.sizes - cp.NOISE_PUSH)))
    neighbours = [w for w, _ in encoding.decode(wv, wv.vector(word), k=CLOSE_NEIGHBOURS, exclude=[word])]
    return cp.judge_noise_flip(choice, sweep.top_words[at], neighbours, float(sweep.word_cosines[at]),
                               sweep.breakpoint, word)


def noise_flip(wv: WordVectorsLike, seed: int) -> None:
    """What cat decodes to once pushed as far as it is long, along this seed's direction."""
    if "cat" not in wv:
        return
    checkpoint.predict(cp.NOISE_FLIP, lambda choice: noise_verdict(choice, wv, seed))


def analogy(wv: WordVectorsLike) -> None:
    """The nearest word to king - man + woman on the real vectors, the input words included."""
    if not all(w in wv for w in ("king", "man", "woman")):
        return

    def judge(choice: str) -> cp.Verdict:
        """The ranking's top three for king - man + woman, nothing left out."""
        king, man, woman = encoding.encode_texts(wv, ["king", "man", "woman"]).vectors
        return cp.judge_analogy(choice, encoding.decode(wv, king - man + woman, k=3))

    checkpoint.predict(cp.ANALOGY, judge)
