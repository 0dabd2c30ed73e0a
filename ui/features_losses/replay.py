"""Watch training happen: the twins' embedding maps, replayed epoch by epoch, side by side.

Training keeps the held-out pictures' embedding after every epoch
(:attr:`embedcore.experiments.Result.embedding_history`), so a replay works
even when the model came from the cache. The frames play in the browser
(plotly animation frames, Play and Pause buttons and an epoch slider):
moving through them costs the server nothing, which matters with a class of 30.
Both twins share one figure, one slider and one Play button, so they move
in step. The section starts the replay once, on first open, unless the
browser asks for reduced motion (``ui.features_losses.twins``).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from embedcore.experiments import Replay
from ui.charts import Chart, figure
from ui.features_losses.charts import _group_style

#: Milliseconds per epoch frame when the replay plays (13 frames: about 5 s).
FRAME_MS = 400


def _traces(Y: np.ndarray, labels: np.ndarray, names: Sequence[str], label: str, panel: int) -> list[dict]:
    """One scatter trace per class (every class always present, so frames match trace for trace)."""
    axes = {"xaxis": "x" if panel == 1 else f"x{panel}", "yaxis": "y" if panel == 1 else f"y{panel}"}
    return [
        dict(
            type="scatter",
            x=Y[labels == i, 0],
            y=Y[labels == i, 1],
            mode="markers",
            name=f"{label}: {name}",
            legendgroup=name,
            showlegend=panel == 1,
            marker=_group_style(label, names, i),
            opacity=0.85,
            hovertemplate=f"{label}: {name}<extra></extra>",
            **axes,
        )
        for i, name in enumerate(names)
    ]


def _range(maps: np.ndarray, column: int) -> list[float]:
    pad = 0.05 * (np.ptp(maps[..., 0]) + np.ptp(maps[..., 1]) + 1e-12)
    return [float(maps[..., column].min() - pad), float(maps[..., column].max() + pad)]


def _buttons() -> dict:
    """Play (from the first epoch) and Pause: the student can stop it (WCAG 2.2.2)."""
    # redraw=False: the points move by a restyle, not a full redraw (SVG scatter allows it), so a frame is
    # cheap and a Pause pressed mid-replay is not lost behind a redraw in flight.
    play = dict(frame=dict(duration=FRAME_MS, redraw=False), fromcurrent=False, transition=dict(duration=0),
                mode="immediate")
    pause = dict(frame=dict(duration=0, redraw=False), mode="immediate")
    return dict(type="buttons", direction="left", x=0, y=-0.04, xanchor="left", yanchor="top",
                pad=dict(r=10, t=0), showactive=False,
                buttons=[dict(label="Play", method="animate", args=[None, play]),
                         dict(label="Pause", method="animate", args=[[None], pause])])


def replay_figure(replays: Sequence[Replay], titles: Sequence[str], labels: np.ndarray, names: Sequence[str], *,
                  label: str, height: int = 540) -> Chart:
    """The twins' replays as one animated figure, one panel per model; the last epoch shows first.

    Parameters
    ----------
    replays : sequence of Replay
        One per panel, with the same epochs; frames of shape (n_frames, n_points, 2).
    titles : sequence of str
        Each panel's title.
    labels : ndarray of shape (n_points,)
        Class index of each point, into ``names`` (the same pictures in every panel).
    """
    epochs = replays[0].epochs
    if any(not np.array_equal(r.epochs, epochs) for r in replays):
        raise ValueError("the panels must replay the same epochs")

    def traces(i: int) -> list[dict]:
        return [t for panel, r in enumerate(replays, start=1) for t in _traces(r.maps[i], labels, names, label, panel)]

    n = len(replays)
    layout: dict = dict(
        height=height,
        # Under the plot, in rows a phone can hold: Play and Pause, the epoch slider, the legend.
        legend=dict(orientation="h", yanchor="top", y=-0.42, x=0),
        margin=dict(b=200),
        updatemenus=[_buttons()],
        annotations=[dict(text=title, xref="paper", yref="paper", x=(p + 0.5) / n, y=1.0, xanchor="center",
                          yanchor="bottom", showarrow=False) for p, title in enumerate(titles)],
    )
    for panel, replay in enumerate(replays, start=1):
        suffix = "" if panel == 1 else str(panel)
        domain = [(panel - 1) / n + (0.03 if panel > 1 else 0), panel / n - (0.03 if panel < n else 0)]
        layout[f"xaxis{suffix}"] = dict(range=_range(replay.maps, 0), autorange=False, showticklabels=False,
                                        domain=domain)
        layout[f"yaxis{suffix}"] = dict(range=_range(replay.maps, 1), autorange=False, showticklabels=False,
                                        anchor=f"x{suffix}")
    last = len(epochs) - 1
    frames = [dict(name=str(int(epoch)), data=traces(i)) for i, epoch in enumerate(epochs)]
    steps = [dict(method="animate", label=str(int(epoch)),
                  args=[[str(int(epoch))], dict(mode="immediate", frame=dict(duration=0, redraw=False),
                                                transition=dict(duration=0))])
             for epoch in epochs]
    layout["sliders"] = [dict(active=last, steps=steps, x=0, len=1, y=-0.14, yanchor="top",
                              currentvalue=dict(prefix="epoch ", font=dict(size=13)), pad=dict(t=10))]
    # Built from plain dicts without plotly's validators, like every chart (tests validate it).
    return figure(traces(last), layout, frames)
