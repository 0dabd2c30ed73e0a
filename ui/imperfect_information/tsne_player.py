"""The t-SNE knobs as one figure that answers in the browser: perplexity x iteration, and a play button.

Every picture the two knobs can ask for (one t-SNE run per perplexity, each
photographed at every iteration of ``II.iterations``) is sent once, as
plotly animation frames named ``"<row>-<column>"`` (row = perplexity,
column = iteration), each with its own numbers box
(:func:`ui.components.frames.numbers_annotation`). Plotly's own controls
switch them with nothing sent to the server:

* **the perplexity slider** (``sliders[0]``): each step shows that
  perplexity's finished map (its last column);
* **one iteration slider per perplexity** (``sliders[1 + row]``), only the
  current row's visible: each step shows that row's picture at that
  iteration. A frame's layout says which row's slider (and play button) is
  visible and where it stands, so the two knobs always agree;
* **play and pause** (``updatemenus[row]``, the current row's visible): play
  steps through the row's iterations from the start, without tweening
  (``transition.duration`` 0), so nothing glides across the screen; the
  student starts it and can pause it (WCAG 2.2.2).

This is :func:`ui.components.frames.slider_figure` in two dimensions: a frame's
layout may set ``sliders`` and ``updatemenus`` entries (plotly.js merges a
frame's layout containers entry by entry), which is what keeps the second
slider on the first one's row. tests/browser/test_browser_imperfect_information.py
moves both sliders and plays a run in chromium, counting the websocket frames sent.
Plain dicts, no streamlit.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from ui.charts import TEXT_GREY, Chart, figure
from ui.components.frames import Frame, numbers_annotation
from ui.text import plot

# A jump, not an animation: no frame duration, no transition.
INSTANT = {"mode": "immediate", "frame": {"duration": 0, "redraw": True}, "transition": {"duration": 0}}
PLAY_FRAME_MS = 250  # play: four pictures a second, 26 pictures in about 6.5 s


def frame_name(row: int, column: int) -> str:
    """The name of the picture at perplexity row ``row``, iteration column ``column``."""
    return f"{row}-{column}"


def _slider(steps: list[dict[str, Any]], active: int, prefix: str, *, pad: int, visible: bool = True,
            x: float = 0.0, length: float = 1.0) -> dict[str, Any]:
    return dict(active=active, steps=steps, visible=visible, x=x, len=length, y=0, yanchor="top", pad=dict(t=pad),
                currentvalue=dict(prefix=plot(prefix), visible=True, font=dict(color=TEXT_GREY)))


def _play_menu(row: int, n_columns: int, visible: bool) -> dict[str, Any]:
    play = {"mode": "immediate", "frame": {"duration": PLAY_FRAME_MS, "redraw": True},
            "transition": {"duration": 0}}
    names = [frame_name(row, column) for column in range(n_columns)]
    return dict(type="buttons", direction="left", showactive=False, visible=visible, x=0, xanchor="left", y=0,
                yanchor="top", pad=dict(t=270), buttons=[
                    dict(label="\u25b6 Play the optimisation", method="animate", args=[names, play]),
                    dict(label="\u275a\u275a Pause", method="animate", args=[[None], INSTANT]),
                ])


def _layout_for(row: int, column: int, n_rows: int, n_columns: int) -> dict[str, Any]:
    """The slider and play-button entries a frame sets: row ``row``'s iteration slider at ``column``, shown."""
    sliders: list[dict[str, Any]] = [{}]  # the perplexity slider: left as it is
    sliders += [dict(visible=True, active=column) if r == row else dict(visible=False) for r in range(n_rows)]
    return dict(sliders=sliders, updatemenus=[dict(visible=r == row) for r in range(n_rows)])


def knob_figure(grid: Sequence[Sequence[Frame]], rows: Sequence[str], columns: Sequence[str],
                layout: dict[str, Any], *, active: tuple[int, int], row_prefix: str, column_prefix: str) -> Chart:
    """One figure holding every picture of a (row, column) grid, with two sliders and a play button.

    Parameters
    ----------
    grid : sequence of n_rows sequences of n_columns Frame
        ``grid[row][column]``: the traces and numbers of that picture. Every picture has the same
        traces in the same order; only the numbers of a Frame are used, not its label.
    rows, columns : sequence of str
        The slider labels (plain text; escaped here): the perplexities and the iterations.
    layout : dict
        The figure's layout (plotly's full nested form), with fixed axis ranges: a frame cannot move them.
    active : (row, column)
        The picture shown first, where a link or a setting put the sliders.
    row_prefix, column_prefix : str
        Shown before each slider's current value (plain text).

    Returns
    -------
    Chart
        Frame ``active``'s traces and numbers; ``frames`` holding all n_rows x n_columns pictures;
        ``layout.sliders`` = [the row slider, one column slider per row]; ``layout.updatemenus`` = one
        play/pause pair per row.
    """
    n_rows, n_columns = len(rows), len(columns)
    if n_rows == 0 or n_columns == 0 or len(grid) != n_rows or any(len(line) != n_columns for line in grid):
        raise ValueError(f"grid must be {n_rows} rows of {n_columns} pictures")
    row, column = active
    if not (0 <= row < n_rows and 0 <= column < n_columns):
        raise ValueError(f"active must index the grid, got {active}")
    last = n_columns - 1
    row_steps = [dict(method="animate", label=plot(label), args=[[frame_name(r, last)], INSTANT])
                 for r, label in enumerate(rows)]
    sliders = [_slider(row_steps, row, row_prefix, pad=60)]  # under the legend
    for r in range(n_rows):
        steps = [dict(method="animate", label=plot(label), args=[[frame_name(r, c)], INSTANT])
                 for c, label in enumerate(columns)]
        sliders.append(_slider(steps, column if r == row else last, column_prefix, pad=165, visible=r == row))
    fixed = [dict(a) for a in layout.get("annotations") or ()]

    def notes(frame: Frame) -> list[dict[str, Any]]:
        return fixed + ([numbers_annotation(frame.numbers)] if frame.numbers else [])

    frames = [dict(name=frame_name(r, c), data=list(grid[r][c].traces),
                   layout=dict(annotations=notes(grid[r][c]), **_layout_for(r, c, n_rows, n_columns)))
              for r in range(n_rows) for c in range(n_columns)]
    out_layout = {**layout, "annotations": notes(grid[row][column]), "sliders": sliders,
                  "updatemenus": [_play_menu(r, n_columns, r == row) for r in range(n_rows)]}
    return figure(list(grid[row][column].traces), out_layout, frames)
