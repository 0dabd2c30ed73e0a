"""A toy plane whose words a student drags: the maths answers in the browser, Python hears the drop.

:func:`draggable_plane` mounts a Streamlit custom component (``st.components.v2``,
inline HTML, CSS and JS from this folder: no build step, nothing fetched).
The words are focusable points on an SVG plane (x gender, y royalty). While a
point moves, by pointer, finger or arrow keys, the browser recomputes the
expressions exactly as :mod:`embedcore.toyplane` does (the signed sum of
:func:`~embedcore.toyplane.arithmetic`, the mean of
:func:`~embedcore.toyplane.midpoint`, :func:`~embedcore.toyplane.compare`, the
nearest word of :meth:`~embedcore.toyplane.ToyPlane.nearest`) and redraws the
arrows, the result star and the readout; nothing goes to the server. When the
move ends (pointer up; arrow keys at rest for 0.3 s, or focus leaving) one
trigger carries the moved words' positions back, and the script reruns once.

What comes back is client input: :func:`read_moved` keeps known words and
finite numbers only, on the 0.1 grid, inside the table's range.

    moved = draggable_plane(plane.names, plane.coords, key=FM.toy_drag.key,
                            expression=signed_sum([(1, "king"), (-1, "man"), (1, "woman")]),
                            on_move=save_positions)
"""

from __future__ import annotations

import functools
import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

import numpy as np
import streamlit as st
from numpy.typing import ArrayLike

from embedcore import toyplane
from ui.charts import PALETTE, TEXT_GREY

_HERE = Path(__file__).parent
BOUNDS: tuple[float, float] = (-5.0, 5.0)  # the toy table's number columns (ui/format_matters/toy_plane.py)
STEP = 0.1  # the table's step: a point snaps to tenths
AXIS_TITLES = ("gender  (\u2190 female \u00b7 male \u2192)", "royalty")
BLUE, ORANGE, GREEN, PURPLE, _, VERMILLION, _, _, _, WINE = PALETTE
# Words and arrows reach 3:1 against white (WCAG 1.4.11) or carry a black outline; text is 7:1 or more.
COLOURS = {"point": BLUE, "highlight": ORANGE, "result": VERMILLION, "arrows": [GREEN, PURPLE, WINE],
           "mean": TEXT_GREY, "text": TEXT_GREY}

# Static markup only: every word and label is set from ``data`` by plane.js with textContent.
_HTML = """
<div class="plane" data-label="Toy plane: gender across, royalty up. Each word is a point you can move.">
  <p class="readout" aria-live="polite"></p>
  <p class="hint" id="plane-hint">Drag a word's point, or move it with the arrow keys once it has the focus
  (Shift and an arrow: a step of 1).</p>
</div>
"""


@dataclass(frozen=True)
class Expression:
    """What the plane computes from its words, live.

    Build one with :func:`signed_sum`, :func:`average` or :func:`comparison`.

    Attributes
    ----------
    kind : {"sum", "mean", "compare"}
    words : tuple of str
        The words it uses, in order (for "compare", exactly two).
    signs : tuple of float
        For "sum": each word's weight (+1 add, -1 subtract), as in
        ``toyplane.arithmetic``'s terms.
    label : str
        How the readout names it (``"king - man + woman"``); shown as text.
    exclude : tuple of str
        Words the nearest-word search leaves out (none by default, as
        ``toyplane.arithmetic`` and ``midpoint`` do).
    """

    kind: Literal["sum", "mean", "compare"]
    words: tuple[str, ...]
    signs: tuple[float, ...] = ()
    label: str = ""
    exclude: tuple[str, ...] = ()


def signed_sum(terms: Sequence[tuple[float, str]], label: str | None = None,
               exclude: Sequence[str] = ()) -> Expression:
    """``[(1, "king"), (-1, "man"), (1, "woman")]``: the running sum of ``toyplane.arithmetic``."""
    if not terms:
        raise ValueError("a sum needs at least one word")
    return Expression("sum", tuple(w for _, w in terms), tuple(float(s) for s, _ in terms),
                      toyplane.expression_text(terms) if label is None else label, tuple(exclude))


def average(words: Sequence[str], label: str | None = None, exclude: Sequence[str] = ()) -> Expression:
    """The mean of ``words``: ``toyplane.midpoint``."""
    if not words:
        raise ValueError("an average needs at least one word")
    return Expression("mean", tuple(words), (), f"mean({', '.join(words)})" if label is None else label,
                      tuple(exclude))


def comparison(first: str, second: str, label: str | None = None) -> Expression:
    """Distance and cosine of two words: ``toyplane.compare``."""
    return Expression("compare", (first, second), (), f"{first} and {second}" if label is None else label)


def _as_coords(words: Sequence[str], coords: ArrayLike) -> np.ndarray:
    """``coords`` as a finite (n_words, 2) float array (only gender and royalty are drawn)."""
    array = np.asarray(coords, dtype=np.float64)
    if array.ndim != 2 or array.shape[0] != len(words) or array.shape[1] < 2:
        raise ValueError(f"coords must have shape ({len(words)}, 2), got {array.shape}")
    if not np.isfinite(array[:, :2]).all():
        raise ValueError("coordinates must be finite numbers")
    return array[:, :2]


def _expression_data(expr: Expression, index: Mapping[str, int]) -> dict[str, Any]:
    """An expression for plane.js: words as indices into the word list (a student's word is never a key)."""
    missing = [w for w in (*expr.words, *expr.exclude) if w not in index]
    if missing:
        raise KeyError(f"{missing[0]!r} is not on the plane")
    if expr.kind == "compare" and len(expr.words) != 2:
        raise ValueError("a comparison takes exactly two words")
    out: dict[str, Any] = {"kind": expr.kind, "label": expr.label,
                           "exclude": sorted({index[w] for w in expr.exclude})}
    if expr.kind == "sum":
        out["terms"] = [[sign, index[w]] for sign, w in zip(expr.signs, expr.words, strict=True)]
    else:
        out["words"] = [index[w] for w in expr.words]
    return out


def plane_data(words: Sequence[str], coords: ArrayLike, *, expression: Expression | None = None,
               readouts: Sequence[Expression] = (), bounds: tuple[float, float] = BOUNDS,
               area: bool = True) -> dict[str, Any]:
    """The JSON ``data`` the component draws: words, [x, y] per word, expressions and colours.

    Parameters
    ----------
    words : sequence of str, length n_words
        Unique names (a student's own words included; plane.js shows them as text).
    coords : array-like of shape (n_words, >= 2)
        Gender and royalty first; further columns (age) are not drawn.
    expression : Expression, optional
        The main expression: its arrows and result star are drawn, its line is the readout's first.
    readouts : sequence of Expression
        More lines under the plane that follow the drag (the takeaway's king - man + woman, say).
    bounds : (low, high)
        The range a point may be moved to, on both axes.
    area : bool
        Draw the royalty area (``toyplane.ROYAL_AREA_*``), as the plotly chart does.
    """
    words = [str(w) for w in words]
    if len(set(words)) != len(words):
        raise ValueError("words must be unique")
    xy = _as_coords(words, coords)
    index = {w: i for i, w in enumerate(words)}
    expressions = [e for e in (expression, *readouts) if e is not None]
    data: dict[str, Any] = {
        "words": words,
        "coords": xy.tolist(),
        "bounds": [float(bounds[0]), float(bounds[1])],
        "step": STEP,
        "axis_titles": list(AXIS_TITLES),
        "expressions": [_expression_data(e, index) for e in expressions],
        "draw_first": expression is not None,  # the main expression's arrows and star are drawn
        "highlight": sorted({index[w] for w in expression.words}) if expression is not None else [],
        "colours": COLOURS,
        "area": None,
    }
    if area:
        data["area"] = {"centre": list(toyplane.ROYAL_AREA_CENTRE), "half_widths": list(toyplane.ROYAL_AREA_HALF_WIDTHS),
                        "label": "royalty: the area around [0, 1]", "fill": "rgba(230, 159, 0, 0.15)",
                        "stroke": ORANGE}
    return data


def _number(value: object) -> float | None:
    """``value`` as a finite float, or None (booleans, text, NaN and infinities are not numbers here)."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    number = float(value)
    return number if math.isfinite(number) else None


def _snap(value: float, lo: float, hi: float) -> float:
    """``value`` on the 0.1 grid, inside [lo, hi], as plane.js snaps it (a hand-made payload cannot leave the range)."""
    per = round(1 / STEP)
    return min(hi, max(lo, round(value * per) / per)) + 0.0  # + 0.0: never -0.0


def read_moved(payload: object, words: Sequence[str],
               bounds: tuple[float, float] = BOUNDS) -> dict[str, tuple[float, float]] | None:
    """The positions the browser sent, checked: ``{word: (x, y)}`` for known words, or None.

    ``payload`` is plane.js's ``moved`` trigger, ``[[word, x, y], ...]``, and
    comes from the client: an entry is kept only if its word is one of
    ``words`` and x and y are finite numbers. They are snapped to the 0.1 grid
    and clamped to ``bounds``. The first entry of a word wins.
    """
    if not isinstance(payload, list):
        return None
    known, (lo, hi) = set(words), bounds
    moved: dict[str, tuple[float, float]] = {}
    for entry in payload[: len(known)]:
        if not isinstance(entry, list) or len(entry) != 3 or not isinstance(entry[0], str):
            continue
        word, x, y = entry[0], _number(entry[1]), _number(entry[2])
        if word not in known or word in moved or x is None or y is None:
            continue
        moved[word] = (_snap(x, lo, hi), _snap(y, lo, hi))
    return moved or None


def _moved_callback(key: str, words: tuple[str, ...], bounds: tuple[float, float],
                    on_move: Callable[[dict[str, tuple[float, float]]], None]) -> None:
    """Streamlit calls this before the rerun a drop causes: hand ``on_move`` the checked positions."""
    state = st.session_state.get(key)
    moved = read_moved(state.get("moved") if isinstance(state, Mapping) else None, words, bounds)
    if moved:
        on_move(moved)


def _ignore() -> None:
    """A trigger is reported only to a component given its ``on_<name>_change`` callback."""


@functools.cache
def _component() -> Callable[..., Any]:
    """The registered component (registered once per process; Streamlit re-registers it on a new runtime)."""
    return st.components.v2.component(
        "why_embeddings_toy_plane", html=_HTML, css=(_HERE / "plane.css").read_text(encoding="utf-8"),
        js=(_HERE / "plane.js").read_text(encoding="utf-8"),
    )


def draggable_plane(words: Sequence[str], coords: ArrayLike, *, key: str, expression: Expression | None = None,
                    readouts: Sequence[Expression] = (), bounds: tuple[float, float] = BOUNDS, area: bool = True,
                    on_move: Callable[[dict[str, tuple[float, float]]], None] | None = None,
                    ) -> dict[str, tuple[float, float]] | None:
    """Draw the plane; return the positions a drop just settled, ``{word: (x, y)}``, or None.

    Parameters
    ----------
    words, coords, expression, readouts, bounds, area
        As :func:`plane_data`.
    key : str
        The element key (declared in ``app_state``). It keeps the plane, and
        the focused point, across reruns while its data changes.
    on_move : callable, optional
        Called with the same positions *before* the rerun the drop causes, so
        a caller can write them into its table before anything above the plane
        is drawn (no second rerun).

    Returns
    -------
    dict or None
        Only the words that moved, in the run right after the drop (a
        trigger: None on every other run).
    """
    data = plane_data(words, coords, expression=expression, readouts=readouts, bounds=bounds, area=area)
    callback = (functools.partial(_moved_callback, key, tuple(data["words"]), bounds, on_move)
                if on_move is not None else _ignore)
    result = _component()(key=key, data=data, on_moved_change=callback)
    return read_moved(result.get("moved"), data["words"], bounds)
