"""A shared link is the first thing a fresh server sees: the page still comes out right.

Streamlit keeps an old mode for apps with a ``pages/`` folder: until some
session has run ``st.navigation``, a URL such as ``/format_matters`` runs
``pages/format_matters.py`` on its own, without ``dashboard.py`` - so no wide
layout and a sidebar listing raw file names ("dashboard", "format matters").
A teacher who restarts the server and sends a link would hand that to the
first students. ``ui.state.init_page`` leaves that mode; this test opens a
deep link as the very first request to a new server and checks the result.
"""

from __future__ import annotations

import socket

from tests.browser.conftest import _require_chromium, start_server, wait_until_rendered


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_a_deep_link_to_a_fresh_server_gets_the_real_navigation(browser_context, tmp_path) -> None:
    _require_chromium()
    port = _free_port()
    proc = start_server(port, tmp_path / "streamlit.log")
    page = browser_context.new_page()
    try:
        page.goto(f"http://127.0.0.1:{port}/imperfect_information?ii.k=3&ii.groups=6")
        wait_until_rendered(page, timeout_ms=180_000)
        nav = page.locator('[data-testid="stSidebarNav"]').inner_text()
        # The lesson titles of dashboard.py's st.navigation, not file names.
        assert "Features, embeddings & losses" in nav, nav
        assert "dashboard" not in nav.lower(), nav
        assert page.locator('[data-testid="stException"]').count() == 0
        # The link's settings were applied.
        assert page.get_by_role("slider", name="Numbers kept (k)").input_value() == "3"
        assert page.get_by_role("slider", name="Concept groups").input_value() == "6"
        # dashboard.py's wide layout: the main column uses most of the 1400 px window.
        width = page.locator('[data-testid="stMainBlockContainer"]').bounding_box()["width"]
        assert width > 900, width
    finally:
        page.close()
        proc.terminate()
        proc.wait(timeout=10)
