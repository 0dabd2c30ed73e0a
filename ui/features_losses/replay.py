"""Watch training happen: a model's embedding map, replayed epoch by epoch.

Training keeps the held-out pictures' embedding after every epoch
(:attr:`embedcore.experiments.Result.embedding_history`), so a replay works
even when the model came from the cache. The frames play in the browser
(plotly animation frames, a Play button and an epoch slider): moving through
them costs the server nothing, which matters with a class of 30.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from embedcore.experiments import Replay
from ui.charts import Chart, figure
from ui.features_losses.charts import _group_style


def _traces(Y: np.ndarray, labels: np.ndarray, names: Sequence[str], label: str) -> list[dict]:
    """One scatter trace per class (every class always present, so frames match trace for trace)."""
    return [
        dict(
            type="scatter",
            x=Y[labels == i, 0],
            y=Y[labels == i, 1],
            mode="markers",
            name=f"{label}: {name}",
            marker=_group_style(label, names, i),
            opacity=0.85,
            hovertemplate=f"{label}: {name}<extra></extra>",
        )
        for i, name in enumerate(names)
    ]


def replay_figure(
    replay: Replay, labels: np.ndarray, names: Sequence[str], *, label: str, title: str, height: int = 400
) -> Chart:
    """The replay as an animated map: the last epoch shows first; Play runs from the first epoch.

    Parameters
    ----------
    replay : Replay
        Frames of shape (n_frames, n_points, 2) on fixed axes.
    labels : ndarray of shape (n_points,)
        Class index of each point, into ``names``; the points are coloured by it.
    """
    pad = 0.05 * (np.ptp(replay.maps[..., 0]) + np.ptp(replay.maps[..., 1]) + 1e-12)
    x_range = [float(replay.maps[..., 0].min() - pad), float(replay.maps[..., 0].max() + pad)]
    y_range = [float(replay.maps[..., 1].min() - pad), float(replay.maps[..., 1].max() + pad)]
    frames = [
        dict(name=str(int(epoch)), data=_traces(Y, labels, names, label),
             layout=dict(title=dict(text=f"{title}: epoch {int(epoch)}")))
        for epoch, Y in zip(replay.epochs, replay.maps)
    ]
    steps = [
        dict(method="animate", label=str(int(epoch)),
             args=[[str(int(epoch))], dict(mode="immediate", frame=dict(duration=0, redraw=True),
                                           transition=dict(duration=0))])
        for epoch in replay.epochs
    ]
    last = len(replay.epochs) - 1
    # Built from plain dicts without plotly's validators, like every chart (tests validate it).
    return figure(
        _traces(replay.maps[-1], labels, names, label),
        frames=frames,
        layout=dict(
            title=dict(text=f"{title}: epoch {int(replay.epochs[-1])}", font=dict(size=15)),
            height=height,
            xaxis=dict(range=x_range, autorange=False, showticklabels=False),
            yaxis=dict(range=y_range, autorange=False, showticklabels=False),
            legend=dict(orientation="h", yanchor="top", y=-0.32, x=0),
            margin=dict(b=120),
            updatemenus=[dict(
                type="buttons", direction="left", x=0, y=-0.08, xanchor="left", yanchor="top",
                pad=dict(r=10, t=0), showactive=False,
                buttons=[
                    dict(label="Play", method="animate",
                         args=[None, dict(frame=dict(duration=250, redraw=True), fromcurrent=False,
                                          transition=dict(duration=0), mode="immediate")]),
                    dict(label="Pause", method="animate",
                         args=[[None], dict(frame=dict(duration=0, redraw=False), mode="immediate")]),
                ],
            )],
            sliders=[dict(
                active=last, steps=steps, x=0.22, len=0.78, y=-0.02, yanchor="top",
                currentvalue=dict(prefix="epoch ", font=dict(size=13)), pad=dict(t=10),
            )],
        ),
    )
