"""A page for the components' browser tests and bench_drag.py: the draggable plane and a frames slider.

Run with ``streamlit run tests/browser/component_demo_page.py``. It shows,
as ``st.text`` lines a test reads back:

* ``received: {...}``: what :func:`ui.components.plane.draggable_plane`'s
  ``on_move`` got (the table below it follows);
* ``python: [x, y] nearest word (distance)``: embedcore's own sum on the
  table, to compare with what the browser computed;
* ``runs: N``: how many times the script ran.

The positions also go into the URL (``?pos=king:1,1;...``), as a shared link
carries a table.
"""

from __future__ import annotations

import json

import streamlit as st

from embedcore import toyplane
from ui.components.frames import Frame, slider_figure
from ui.components.plane import average, draggable_plane, signed_sum
from ui.charts import show_chart

TERMS = [(1.0, "king"), (-1.0, "man"), (1.0, "woman")]
state = st.session_state
state.setdefault("table", {w: [g, r] for w, g, r, _ in toyplane.STARTER_WORDS} | {"<b>my word</b>": [0.0, -1.0]})
state.setdefault("received", None)
state["runs"] = state.get("runs", 0) + 1


def save(moved: dict[str, tuple[float, float]]) -> None:
    """Write the settled positions into the table, before the run draws anything."""
    state["received"] = {w: list(xy) for w, xy in moved.items()}
    for word, xy in moved.items():
        state["table"][word] = list(xy)


st.title("Components")
words = list(state["table"])
coords = [state["table"][w] for w in words]
returned = draggable_plane(words, coords, key="demo.plane", expression=signed_sum(TERMS),
                           readouts=[average(["king", "queen"])], on_move=save)
plane = toyplane.ToyPlane(tuple(words), coords)
result = toyplane.arithmetic(plane, TERMS)
nearest, distance = result.nearest[0]
st.text(f"received: {json.dumps(state['received'], sort_keys=True)}")
st.text(f"returned: {json.dumps(returned, sort_keys=True)}")
st.text(f"python: {json.dumps(result.point.tolist())} {nearest} ({distance:.2f})")
st.text(f"runs: {state['runs']}")
st.query_params["pos"] = ";".join(f"{w}:{x:g},{y:g}" for w, (x, y) in state["table"].items())

frames = [Frame(f"k = {k}", [dict(type="scatter", mode="markers", x=[0, 1, 2], y=[k, k * k / 4, 1])],
                numbers=[f"k is {k}", f"k squared over 4: {k * k / 4:.2f}"]) for k in range(1, 6)]
show_chart(slider_figure(frames, dict(xaxis=dict(range=[-0.5, 2.5]), yaxis=dict(range=[0, 7]),
                                      title=dict(text="A slider over five frames")), active=2, prefix="k: ", play=True),
           key="demo.frames", summary="Three points; the slider picks k.")
