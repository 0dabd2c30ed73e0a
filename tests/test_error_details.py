"""Finding 7 of issue 11: an unexpected error shows no traceback or server path to a student.

``client.showErrorDetails = "none"`` in ``.streamlit/config.toml``: the page
shows Streamlit's generic notice, and the traceback goes to the server's log.
AppTest reads the same config file (the suite runs from the repository root).
"""

from __future__ import annotations

import logging
import tomllib

from streamlit import config
from streamlit.testing.v1 import AppTest

from tests.apptest_utils import ROOT

SECRET = "/srv/secret/place/app.py"


def test_the_config_turns_error_details_off() -> None:
    settings = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text())
    value = settings["client"]["showErrorDetails"]
    assert value == config.ShowErrorDetailsConfigOptions.NONE  # a value Streamlit 1.67 knows: full/stacktrace/type/none


def test_an_uncaught_error_shows_no_details_and_is_logged_on_the_server() -> None:
    records: list[logging.LogRecord] = []
    handler = logging.Handler()
    handler.emit = records.append  # type: ignore[method-assign]
    logger = logging.getLogger("streamlit.error_util")
    logger.addHandler(handler)
    try:
        at = AppTest.from_string(f"raise ValueError({SECRET!r})", default_timeout=30).run()
    finally:
        logger.removeHandler(handler)
    (shown,) = at.exception
    assert SECRET not in shown.message and "ValueError" not in shown.message
    assert not shown.stack_trace and not shown.proto.type
    logged = [r for r in records if r.exc_info and SECRET in str(r.exc_info[1])]
    assert logged, [r.getMessage() for r in records]
