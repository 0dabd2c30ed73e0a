"""Helpers for AppTest page tests.

Pages are run through ``dashboard.py`` so that ``st.navigation`` is set up
exactly as in the real app (page links, page config), then switched to the
page under test - which also proves any page works as the first one opened.
"""

from __future__ import annotations

import base64
import json
import re
from pathlib import Path, PurePosixPath

import numpy as np
import plotly.graph_objects as go
from streamlit.runtime.state.common import user_key_from_element_id
from streamlit.testing.v1 import AppTest

import app_state

ROOT = Path(__file__).resolve().parent.parent
DASHBOARD = str(ROOT / "dashboard.py")

# The pages a student opens (app_state.PAGES is the one list), by name: their scripts and their titles.
PAGES = {page.name: page.path for page in app_state.STUDENT_PAGES}
TITLES = {page.name: page.heading for page in app_state.STUDENT_PAGES}


def open_page(name: str, timeout: float = 60) -> AppTest:
    """Run the app, switch to page ``name`` and return the finished AppTest."""
    at = AppTest.from_file(DASHBOARD, default_timeout=timeout)
    at.switch_page(PAGES[name])
    at.run()
    return at


def assert_no_exception(at: AppTest) -> None:
    """Fail with the app's own error text if the page raised."""
    errors = [e.value for e in at.exception]
    assert not errors, f"page raised: {errors}"


def download(at: AppTest, media: dict[str, bytes], label: str) -> str:
    """The text behind the download button labelled ``label`` (``media``: the conftest fixture)."""
    buttons = [b.proto for b in at.get("download_button") if b.proto.label == label]
    assert len(buttons) == 1, [b.proto.label for b in at.get("download_button")]
    return media[PurePosixPath(buttons[0].url).stem].decode("utf-8")


def chart_keys(at: AppTest) -> list[str]:
    """The element keys (as app_state declares them) of the page's plotly charts, in page order."""
    return [user_key_from_element_id(element.proto.id) for element in at.get("plotly_chart")]


def chart(at: AppTest, key: str) -> dict:
    """The figure JSON of the plotly chart whose element key is ``key`` (``FM.toy_chart.key``)."""
    for element in at.get("plotly_chart"):
        if user_key_from_element_id(element.proto.id) == key:
            return json.loads(element.proto.spec)
    raise AssertionError(f"no chart {key}: {chart_keys(at)}")


def chart_alt(at: AppTest, key: str) -> str:
    """The text alternative (the accessible summary) of the plotly chart whose element key is ``key``."""
    for element in at.get("plotly_chart"):
        if user_key_from_element_id(element.proto.id) == key:
            return element.proto.alt
    raise AssertionError(f"no chart {key}: {chart_keys(at)}")


def table(at: AppTest, column: str):
    """The first table (a pandas DataFrame) on the page with a column named ``column``."""
    for frame in at.dataframe:
        if column in frame.value.columns:
            return frame.value
    raise AssertionError(f"no table with a column {column!r}")


def values(array: object) -> np.ndarray:
    """A plotly array, plain or base64-packed (``{"dtype", "bdata", "shape"}``)."""
    if isinstance(array, dict) and "bdata" in array:
        flat = np.frombuffer(base64.b64decode(array["bdata"]), array["dtype"])
        shape = [int(n) for n in str(array.get("shape", len(flat))).split(",")]
        return flat.reshape(shape)
    return np.asarray(array)


def frame_data(spec: dict, frame: dict) -> list[dict]:
    """The traces a figure shows on ``frame``: the figure's own, with the frame's replacing those it lists.

    A frame lists the indices it replaces in ``traces`` (a slider that restyles only what changes);
    without ``traces`` it replaces the first ``len(data)`` traces, as plotly.js does.
    """
    data = list(spec["data"])
    for j, trace in zip(frame.get("traces", range(len(frame["data"]))), frame["data"]):
        data[j] = trace
    return data


def shown(markdown: str) -> str:
    """Markdown source as a student reads it: ``ui.text.md``'s escapes and word joiners undone (other markup kept)."""
    return re.sub(r"\\([!-/:-@\[-`{-~])", r"\1", markdown).replace("\u2060", "")


def texts(elements) -> str:
    """The values of a list of text elements (errors, infos, markdown), one per line, escapes undone."""
    return "\n".join(shown(str(e.value)) for e in elements)


def metric(at: AppTest, label_start: str) -> str:
    """The value of the first metric whose label starts with ``label_start``."""
    for m in at.metric:
        if shown(m.label).startswith(label_start):
            return shown(m.value)
    raise AssertionError(f"no metric starting {label_start!r}: {[m.label for m in at.metric]}")


def assert_charts_pass_plotlys_validators(at: AppTest) -> list[str]:
    """Check every plotly chart on the page against plotly's validators; return the charts' element ids.

    The chart modules build figures from plain dicts without validation (for
    speed), so the tests validate them instead: ``go.Figure(spec)`` raises on
    any invalid property, and the spec must come back from the validators
    unchanged - which also catches what only the validators would rewrite,
    such as a bare string title (``xaxis_title="..."``) or a named colour scale.
    """
    ids = []
    for element in at.get("plotly_chart"):
        spec = json.loads(element.proto.spec)
        validated = go.Figure(spec)  # raises ValueError on any invalid property
        assert json.loads(validated.to_json()) == spec, f"{element.proto.id}: not in plotly's full form"
        # Python-only names (RdBu_r) pass the validators but not plotly.js: scales must be explicit stops.
        scales = [trace["colorscale"] for trace in spec["data"] if "colorscale" in trace]
        scales += [trace["marker"]["colorscale"] for trace in spec["data"] if "colorscale" in trace.get("marker", {})]
        assert all(isinstance(scale, list) for scale in scales), (element.proto.id, scales)
        ids.append(element.proto.id)
    return ids


def button(at: AppTest, label: str):
    """The button labelled ``label``."""
    return next(b for b in at.button if b.label == label)
