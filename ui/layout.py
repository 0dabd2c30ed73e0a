"""Page furniture shared by every page: the title block and the sidebar.

The sidebar holds the two classroom tools:

* **Copy link to this view** - a URL carrying the page's main settings, so
  every student who opens it sees the same view and the same seeded results.
* **Presenter mode** - larger type and no sidebar, for projecting in class.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode, urlsplit, urlunsplit

import streamlit as st

import app_state
from ui import live_class, live_teacher
from ui.state import current_page, drop_ignored_url_values
from ui.text import md

# Our own fixed stylesheet (never user text), on every page; see docs/accessibility.md.
# * Captions: Streamlit's grey (#828180 on white, 3.9:1) is below WCAG AA's 4.5:1 for
#   small text (image captions are also faded to 60%); this grey, opaque, reaches 7:1.
# * A focus ring on everything a keyboard can reach, clearly visible on white.
# * Charts off screen are not rendered (content-visibility: auto; they keep their place and stay in the
#   accessibility tree). Chromium re-layers the whole page's painted content on every frame that moves a
#   chart's points: with a lesson's dozen charts that was 74 ms of each loss-mixer move, 23 ms with only
#   the charts on screen (benchmarks/bench_features_losses_browser.py).
_ACCESSIBLE_CSS = """
<style>
[data-testid="stPlotlyChart"] { content-visibility: auto; contain-intrinsic-size: auto 450px; }
[data-testid="stCaptionContainer"], [data-testid="stCaptionContainer"] p { color: #555867; opacity: 1; }
:is([data-testid="stMain"], [data-testid="stSidebar"]) :is(a, button, input, textarea, select, summary, [role="slider"], [tabindex="0"]):focus-visible {
  outline: 3px solid #0072B2; outline-offset: 2px;
}
</style>
"""

# Our own fixed stylesheet (never user text): larger type for the back row.
_PRESENTER_CSS = """
<style>
html { font-size: 20px; }
[data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"] { display: none; }
[data-testid="stMainBlockContainer"] { max-width: 100%; padding-left: 2rem; padding-right: 2rem; }
</style>
"""


def _url_value(value: Any) -> Any:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (list, tuple)):
        return [_url_value(v) for v in value]
    return str(value)


def view_link(page: type[app_state._Page]) -> str:
    """A link to the current page that carries its main settings."""
    state = st.session_state
    params = {
        item.key: _url_value(state[item.key])
        for item in (*app_state.APP.items(), *page.items())
        if isinstance(item, app_state.Setting) and item.link and item.key in state
    }
    query = urlencode(params, doseq=True)
    current = urlsplit(st.context.url or "")
    return urlunsplit((current.scheme, current.netloc, current.path or "/", query, ""))


@st.fragment
def _share_controls(page: type[app_state._Page]) -> None:
    # A fragment: the click reruns only this box, which reads the settings as
    # they are now (sections elsewhere may have changed them in their own reruns).
    if st.button("Copy link to this view", key=app_state.APP.share.key, icon=":material/link:", width="stretch"):
        st.code(view_link(page), language=None, wrap_lines=True)
        st.caption("Use the copy icon. Everyone who opens the link sees these settings and the same seeded results.")


def page_header(title: str, intro: str) -> None:
    """Show a page's title, its introduction, and the shared sidebar tools.

    Call it right after :func:`ui.state.init_page`.
    """
    page = current_page()
    # Read the link before any bound widget is drawn: drawing one drops its bad value.
    query = {name: st.query_params.get_all(name) for name in st.query_params}
    drop_ignored_url_values(page, query)
    presenter = st.session_state.get(app_state.APP.presenter.key, False)
    if not st.session_state.get(app_state.APP.header_drawn.key):
        # The first run of a session: the toggle has not read the link yet, so a link with
        # ?app.presenter=true would otherwise open in the normal layout until the next rerun.
        raw = st.query_params.get(app_state.APP.presenter.key)
        if raw is not None and app_state.APP.presenter.accepts(raw):
            presenter = raw.lower() == "true"
    st.session_state[app_state.APP.header_drawn.key] = True
    st.html(_ACCESSIBLE_CSS)
    if presenter:
        st.html(_PRESENTER_CSS)
        st.toggle("Presenter mode", **app_state.APP.presenter.widget)
        live_teacher.start_button()
    else:
        with st.sidebar:
            _share_controls(page)
            st.toggle(
                "Presenter mode",
                help="Larger type and no sidebar, for projecting in class. Switch it off at the top of the page.",
                **app_state.APP.presenter.widget,
            )

    st.title(title)
    live_class.student_bar()  # only with a class link (?class=...)
    problems = app_state.url_problems(page, query)
    if problems:
        st.caption(
            ":material/link_off: Some settings in this link were ignored: "
            + "; ".join(md(problem) for problem in problems[:5])
            + ("; ..." if len(problems) > 5 else "")
            + "."
        )
    st.markdown(intro)


def more_controls(section: str):  # type: ignore[no-untyped-def]
    """A section's advanced controls, folded away on first open (the guided path shows the key ones).

    Everything inside still runs, so a shared link that sets one of these
    controls restores it; the student opens the fold to see it.
    """
    return st.expander("More controls", icon=":material/tune:", key=app_state.APP.more.at(section))
