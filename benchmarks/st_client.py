"""A lightweight protocol-level Streamlit client, for load tests.

It speaks what the browser speaks - Streamlit's own protobuf ``BackMsg`` /
``ForwardMsg`` messages over the websocket at ``/_stcore/stream`` - but
renders nothing, so one 2-core machine can play thirty students and still
measure the *server*, not thirty browsers.

Usage::

    with StreamlitSession("http://127.0.0.1:8501") as s:
        first = s.open_page("format_matters")
        run = s.set_widget("fm.noise", 0.3)     # by the widget's user key
        print(run.seconds, run.exceptions)
"""

from __future__ import annotations

import contextlib
import time
from dataclasses import dataclass, field
from typing import Any

from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from streamlit.proto.WidgetStates_pb2 import WidgetState
from websockets.sync.client import ClientConnection, connect

# Element types that are widgets, and which WidgetState field carries their value.
_VALUE_FIELD = {
    "slider": "double_array_value",
    "select_slider": "string_array_value",
    "number_input": "double_value",
    "selectbox": "string_value",
    "radio": "string_value",
    "checkbox": "bool_value",  # st.toggle is a checkbox element too
    "text_input": "string_value",
    "text_area": "string_value",
    "multiselect": "string_array_value",
    "button_group": "string_array_value",  # st.segmented_control and st.pills
    "button": "trigger_value",
}

_FINISHED = {
    ForwardMsg.FINISHED_SUCCESSFULLY,
    ForwardMsg.FINISHED_FRAGMENT_RUN_SUCCESSFULLY,
}


@dataclass
class Widget:
    """A widget the server drew: its element id, type and fragment."""

    id: str
    kind: str
    fragment_id: str
    proto: Any


@dataclass
class RunResult:
    """What one rerun sent back."""

    seconds: float
    status: str
    exceptions: list[str] = field(default_factory=list)
    n_deltas: int = 0
    errors: list[str] = field(default_factory=list)  # st.error boxes (a refused or failed heavy job)


class StreamlitSession:
    """One simulated student: a websocket session with the app."""

    def __init__(self, base_url: str, *, headers: dict[str, str] | None = None, timeout: float = 120) -> None:
        self.base_url = base_url.rstrip("/")
        self.headers = headers or {}
        self.timeout = timeout
        self.widgets: dict[str, Widget] = {}  # by user key
        self._submit_buttons: dict[str, Widget] = {}  # form submit buttons, by element id
        self.charts: dict[str, str] = {}  # plotly figure JSON by element id, as last drawn
        self._states: dict[str, WidgetState] = {}  # by element id
        self._page_hash = ""
        self._page_name = ""
        self._query = ""
        self.page_query = ""  # the query string as the app last set it (st.query_params), as the address bar shows it
        self._ws: ClientConnection | None = None
        self._connection = contextlib.ExitStack()  # websockets 17.1+ wants connect() used as a context manager

    # -- connection ---------------------------------------------------------
    def __enter__(self) -> StreamlitSession:
        self.connect()
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def connect(self) -> None:
        ws_url = self.base_url.replace("http://", "ws://").replace("https://", "wss://") + "/_stcore/stream"
        self._ws = self._connection.enter_context(connect(
            ws_url,
            subprotocols=["streamlit"],
            additional_headers=self.headers,
            open_timeout=self.timeout,
            max_size=None,
        ))

    @property
    def response_headers(self) -> dict[str, str]:
        """Headers of the websocket handshake (e.g. a load balancer's)."""
        assert self._ws is not None and self._ws.response is not None
        return dict(self._ws.response.headers)

    def close(self) -> None:
        if self._ws is not None:
            self._connection.close()  # closes the websocket
            self._ws = None

    # -- runs ---------------------------------------------------------------
    def open_page(self, page_name: str = "", query_string: str = "") -> RunResult:
        """Load a page (by its URL path), as a browser does on navigation."""
        self.widgets.clear()
        self._states.clear()
        self._page_name, self._page_hash, self._query = page_name, "", query_string
        return self._rerun(fragment_id="")

    def set_widget(self, key: str, value: Any) -> RunResult:
        """Move the widget with user key ``key`` to ``value`` and wait for the rerun."""
        widget = self.stage_widget(key, value)
        result = self._rerun(fragment_id=widget.fragment_id)
        if _VALUE_FIELD[widget.kind] == "trigger_value":
            # Triggers are one-shot: the browser does not resend them.
            self._states.pop(widget.id, None)
        return result

    def stage_widget(self, key: str, value: Any):  # -> the widget staged
        """Set a widget's value without a rerun, as a browser does for a widget inside a form."""
        widget = self.widgets.get(key)
        if widget is None:
            raise KeyError(f"no widget with key {key!r} on this page; have {sorted(self.widgets)}")
        state = WidgetState(id=widget.id)
        value_field = _VALUE_FIELD[widget.kind]
        if widget.kind == "slider" and widget.proto.options:
            # st.select_slider shares the slider element but sends its options as text.
            value_field = "string_array_value"
        if value_field in ("double_array_value", "string_array_value"):
            values = list(value) if isinstance(value, (list, tuple)) else [value]
            getattr(state, value_field).data[:] = [str(v) for v in values] if value_field.startswith("string") else values
        else:
            setattr(state, value_field, value)
        self._states[widget.id] = state
        return widget

    def submit_form(self, form_key: str) -> RunResult:
        """Press the submit button of the form ``form_key`` (with the values staged in it)."""
        button = next(
            (w for w in self._submit_buttons.values() if getattr(w.proto, "form_id", "") == form_key), None
        )
        if button is None:
            raise KeyError(f"no submit button for form {form_key!r}")
        self._states[button.id] = WidgetState(id=button.id, trigger_value=True)
        result = self._rerun(fragment_id=button.fragment_id)
        self._states.pop(button.id, None)
        return result

    def rerun_fragment(self, fragment_id: str) -> RunResult:
        """Rerun one fragment, as the browser does for ``st.fragment(run_every=...)``."""
        return self._rerun(fragment_id=fragment_id)

    def _rerun(self, *, fragment_id: str) -> RunResult:
        assert self._ws is not None, "connect() first"
        if not fragment_id:
            self.widgets.clear()  # a full run redraws every widget
            self._submit_buttons.clear()
        msg = BackMsg()
        client_state = msg.rerun_script
        client_state.query_string = self._query
        client_state.page_script_hash = self._page_hash
        client_state.page_name = self._page_name
        client_state.fragment_id = fragment_id
        client_state.widget_states.widgets.extend(self._states.values())
        started = time.perf_counter()
        self._ws.send(msg.SerializeToString())
        result = RunResult(seconds=0.0, status="timeout")
        deadline = started + self.timeout
        while time.perf_counter() < deadline:
            raw = self._ws.recv(timeout=max(deadline - time.perf_counter(), 0.01))
            fwd = ForwardMsg()
            fwd.ParseFromString(raw)
            kind = fwd.WhichOneof("type")
            if kind == "new_session":
                self._page_hash = fwd.new_session.page_script_hash
            elif kind == "navigation":
                self._page_hash = fwd.navigation.page_script_hash or self._page_hash
            elif kind == "page_info_changed":
                self.page_query = fwd.page_info_changed.query_string
            elif kind == "delta":
                result.n_deltas += 1
                error = self._record(fwd)
                if error:
                    result.exceptions.append(error)
                element = fwd.delta.new_element
                if element.WhichOneof("type") == "alert" and element.alert.format == element.alert.ERROR:
                    result.errors.append(element.alert.body)
            elif kind == "script_finished":
                status = fwd.script_finished
                if status == ForwardMsg.FINISHED_EARLY_FOR_RERUN:
                    continue
                result.status = "ok" if status in _FINISHED else ForwardMsg.ScriptFinishedStatus.Name(status)
                break
        result.seconds = time.perf_counter() - started
        return result

    def _record(self, fwd: ForwardMsg) -> str | None:
        """Remember widgets by their user key; return an exception's text, if any."""
        delta = fwd.delta
        if delta.WhichOneof("type") != "new_element":
            return None
        element = delta.new_element
        kind = element.WhichOneof("type")
        if kind == "exception":
            return f"{element.exception.type}: {element.exception.message}"
        if kind == "plotly_chart":
            self.charts[element.plotly_chart.id] = element.plotly_chart.spec
        if kind == "button" and element.button.is_form_submitter:
            proto = element.button
            self._submit_buttons[proto.id] = Widget(id=proto.id, kind=kind, fragment_id=delta.fragment_id, proto=proto)
        if kind in _VALUE_FIELD:
            proto = getattr(element, kind)
            user_key = proto.id.split("-", maxsplit=2)[-1]
            self.widgets[user_key] = Widget(id=proto.id, kind=kind, fragment_id=delta.fragment_id, proto=proto)
        return None
