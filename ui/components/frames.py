"""A slider over a finite family of results that answers in the browser: plotly frames.

When a control can take only a few values (a k, an epoch, a seed), every
result can be computed up front and sent once. :func:`slider_figure` puts
them in one plotly figure as animation frames, with a plotly slider whose
steps swap frames in the browser (``method="animate"``, ``mode="immediate"``,
no duration): moving it sends nothing to the server and reruns nothing. The
numbers shown beside the chart travel in each frame (an annotation), so they
follow the slider too. ``active`` picks the starting frame, so a shared link
can still set it.

    chart = slider_figure([Frame(f"k = {k}", traces_for(k), numbers=[f"accuracy {acc[k]:.2f}"]) for k in ks],
                          layout, active=ks.index(k_from_link), prefix="numbers kept: ")
    show_chart(chart, key=II.k_chart.key)

Reference: plotly.js animations, https://plotly.com/javascript/animations/
(frames, ``Plotly.animate`` and slider steps with ``method: "animate"``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from ui.charts import TEXT_GREY, Chart, figure
from ui.text import plot

# Frames switch at once: no transition, no frame duration (a jump, not an animation).
_INSTANT = {"mode": "immediate", "frame": {"duration": 0, "redraw": True}, "transition": {"duration": 0}}
# Without a redraw, plotly restyles the traces in place and leaves the rest of the figure alone: on the
# loss mixer (23 traces, four panels) a frame takes about half the time. It only works for SVG scatter
# traces, and it does not redraw annotations, so such a figure carries its numbers in a text trace.
_RESTYLE = {**_INSTANT, "frame": {**_INSTANT["frame"], "redraw": False}}
# Play steps through the frames at this pace, still without tweening between them (no motion to reduce).
PLAY_FRAME_MS = 700


@dataclass(frozen=True)
class Frame:
    """One value of the slider: what the chart shows there.

    Attributes
    ----------
    label : str
        The slider's label for this value (plain text; escaped here).
    traces : sequence of dict
        Plain plotly trace dicts (as :func:`ui.charts.figure` takes them).
        Every frame has the same traces in the same order: frame ``i``'s
        trace ``j`` replaces trace ``j``.
    numbers : sequence of str
        Lines of plain text shown beside the chart (escaped here), e.g.
        ``["accuracy 0.91", "recall@10 0.84"]``; they change with the frame.
    annotations : sequence of dict
        This frame's own annotations (arrows, labels), drawn with the layout's.
    """

    label: str
    traces: Sequence[dict[str, Any]]
    numbers: Sequence[str] = ()
    annotations: Sequence[dict[str, Any]] = field(default=())


def numbers_annotation(lines: Sequence[str]) -> dict[str, Any]:
    """The numbers box: top left inside the plot, on a white ground, in the charts' 7:1 grey."""
    return dict(text="<br>".join(plot(line) for line in lines), xref="paper", yref="paper", x=0.01, y=0.99,
                xanchor="left", yanchor="top", align="left", showarrow=False, bgcolor="rgba(255, 255, 255, 0.9)",
                bordercolor=TEXT_GREY, borderwidth=1, borderpad=4, font=dict(color=TEXT_GREY, size=13))


def numbers_trace(lines: Sequence[str], *, xaxis: str, yaxis: str) -> dict[str, Any]:
    """The numbers as a text trace at (0, 1) of the axes ``xaxis``/``yaxis``, for a figure switched without redraw.

    Give it hidden axes of its own (range 0 to 1 both ways) in a strip where nothing else is drawn.
    """
    text = "<br>".join(plot(line) for line in lines)
    return dict(type="scatter", x=[0], y=[1], mode="text", name="numbers", text=[text], textposition="bottom right",
                textfont=dict(color=TEXT_GREY, size=13), hoverinfo="skip", showlegend=False, xaxis=xaxis, yaxis=yaxis,
                cliponaxis=False)  # drawn whole, like an annotation, even where a phone makes the strip narrow


def _annotations(layout: dict[str, Any], frame: Frame) -> list[dict[str, Any]]:
    """A frame's annotations: plotly replaces the whole list per frame, so the layout's own come along."""
    fixed = [dict(a) for a in layout.get("annotations") or ()]
    numbers = [numbers_annotation(frame.numbers)] if frame.numbers else []
    return fixed + [dict(a) for a in frame.annotations] + numbers


def _same(a: Any, b: Any) -> bool:
    """Whether two plain trace values are equal (dicts, lists and numpy arrays, compared by value)."""
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(_same(a[k], b[k]) for k in a)
    if isinstance(a, np.ndarray) or isinstance(b, np.ndarray):
        return bool(np.shape(a) == np.shape(b) and np.array_equal(np.asarray(a), np.asarray(b)))
    if isinstance(a, (list, tuple)) and isinstance(b, (list, tuple)):
        return len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b))
    return bool(a == b)


def _changing(frames: Sequence[Frame]) -> list[int]:
    """The indices of the traces that differ between frames (a restyle need not touch the others)."""
    first = frames[0].traces
    return [j for j in range(len(first)) if any(not _same(f.traces[j], first[j]) for f in frames[1:])]


def _play_buttons(switch: dict[str, Any]) -> dict[str, Any]:
    """Play and pause (plotly's ``updatemenus``): the student starts it, and can stop it (WCAG 2.2.2)."""
    play = {**switch, "fromcurrent": True, "frame": {**switch["frame"], "duration": PLAY_FRAME_MS}}
    # Under the slider (its tick labels end about 125 px below the plot), so the slider keeps the full width.
    return dict(type="buttons", direction="left", showactive=False, x=0, xanchor="left", y=0, yanchor="top",
                pad=dict(t=135), buttons=[
                    dict(label="\u25b6 Play", method="animate", args=[None, play]),
                    dict(label="\u275a\u275a Pause", method="animate", args=[[None], switch]),
                ])


def slider_figure(frames: Sequence[Frame], layout: dict[str, Any], *, active: int = 0, prefix: str = "",
                  play: bool = False, redraw: bool = True) -> Chart:
    """One figure holding every frame, with a slider that switches between them in the browser.

    Parameters
    ----------
    frames : sequence of Frame, length n >= 1
        In slider order. Frame ``i`` is named ``str(i)`` (labels may repeat or carry student text; names do not).
    layout : dict
        The figure's layout in plotly's full nested form; fix the axes' ``range`` so frames do not rescale them.
    active : int
        The frame shown first and the slider's position: the value a link or a widget asked for.
    prefix : str
        Shown before the current label above the slider (``"numbers kept: "``); plain text.
    play : bool
        Add play and pause buttons. Play steps through the frames without
        tweening (``transition.duration`` 0), so nothing slides across the screen.
    redraw : bool
        False: the slider restyles the traces in place instead of redrawing the figure (about twice as fast
        on a large figure). Every trace must then be an SVG ``scatter``, and no frame may carry numbers or
        annotations (plotly would not redraw them): put the numbers in :func:`numbers_trace`.

    Returns
    -------
    Chart
        ``data`` and annotations of frame ``active``; ``frames`` with every frame's traces and annotations;
        ``layout.sliders[0]`` with one ``animate`` step per frame.
    """
    if not frames:
        raise ValueError("a slider needs at least one frame")
    if not 0 <= active < len(frames):
        raise ValueError(f"active must index the frames (0..{len(frames) - 1}), got {active}")
    n_traces = {len(f.traces) for f in frames}
    if len(n_traces) != 1:
        raise ValueError(f"every frame needs the same number of traces, got {sorted(n_traces)}")
    if not redraw:
        kinds = {t.get("type", "scatter") for f in frames for t in f.traces}
        if kinds != {"scatter"} or any(f.numbers or f.annotations for f in frames):
            raise ValueError("a slider without redraw needs SVG scatter traces only (got "
                             f"{sorted(kinds)}) and frames without numbers or annotations (use numbers_trace)")
    switch = _INSTANT if redraw else _RESTYLE
    steps = [dict(method="animate", label=plot(f.label), args=[[str(i)], switch]) for i, f in enumerate(frames)]
    slider = dict(active=active, steps=steps, x=0, len=1, pad=dict(t=40),
                  currentvalue=dict(prefix=plot(prefix), visible=True, font=dict(color=TEXT_GREY)))
    out_layout = {**layout, "annotations": _annotations(layout, frames[active]), "sliders": [slider]}
    if play:
        out_layout["updatemenus"] = [_play_buttons(switch)]
    if redraw:
        out_frames = [dict(name=str(i), data=list(f.traces), layout=dict(annotations=_annotations(layout, f)))
                      for i, f in enumerate(frames)]
    else:  # each frame restyles only the traces that change (the network's connections, say, never do)
        changing = _changing(frames)
        out_frames = [dict(name=str(i), data=[f.traces[j] for j in changing], traces=changing)
                      for i, f in enumerate(frames)]
    return figure(list(frames[active].traces), out_layout, out_frames)
