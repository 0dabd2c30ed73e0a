"""The declarations of ``app_state`` bound to Streamlit: session state, the page, the URL.

``app_state`` is plain data. This module is the glue: :func:`init_page`
gives a page's settings and stores their defaults in ``st.session_state``,
:func:`current_page` says which page this run belongs to, and
:func:`drop_ignored_url_values` keeps a bad link value out of the widgets.
"""

from __future__ import annotations

import copy
import logging

import streamlit as st

from app_state import ALL_PAGES, APP, HOME, Store, _Page
from app_state.pages import _url_checks

# Which page class the current run belongs to (set by init_page).
_CURRENT_PAGE = "app.page"
# Whether this session has been sent through dashboard.py (see _leave_pages_directory_mode).
_REROUTED = "app.rerouted"


def current_page() -> type[_Page]:
    """The page class passed to :func:`init_page` in this run (HOME if none)."""
    name = st.session_state.get(_CURRENT_PAGE, "HOME")
    return {page.__name__: page for page in ALL_PAGES}.get(name, HOME)



def _leave_pages_directory_mode() -> None:
    """Make sure this run went through ``dashboard.py``'s ``st.navigation``.

    Streamlit keeps an old mode for apps that have a ``pages/`` folder: until
    *some* session in the server process has called ``st.navigation``, a URL
    such as ``/format_matters`` runs ``pages/format_matters.py`` on its own,
    without ``dashboard.py`` - no page config (wide layout) and a sidebar of
    raw file names. On a freshly started server that is exactly what the
    first students who open a teacher's shared link would get. Leaving that
    mode and rerunning sends this run, query parameters and all, through
    ``dashboard.py`` like every later one. (Streamlit 1.67,
    ``PagesManager.uses_pages_directory``; ``st.navigation`` itself clears
    the same flag.) tests/browser/test_browser_deep_link.py checks it.
    """
    from streamlit.runtime.pages_manager import PagesManager

    if PagesManager.uses_pages_directory:
        PagesManager.uses_pages_directory = False
        # Once per session: AppTest sets the flag back before each of its runs,
        # and a second rerun there would swallow a button click.
        if not st.session_state.get(_REROUTED):
            st.session_state[_REROUTED] = True
            st.rerun()


def init_page(page: type[_Page]) -> None:
    """Give each of ``page``'s settings its default if this session lacks it.

    Call it at the top of every page, so that any page works when it is the
    first one a student opens.
    """
    _leave_pages_directory_mode()
    state = st.session_state
    state[_CURRENT_PAGE] = page.__name__
    for item in (*APP.items(), *page.items()):
        if item.key in state:
            continue
        if isinstance(item, Store):
            state[item.key] = item.factory()
        else:
            # deepcopy: a list default must never be shared between sessions.
            state[item.key] = copy.deepcopy(item.default)



def drop_ignored_url_values(page: type[_Page], query: dict[str, list[str]]) -> None:
    """Take the values :func:`url_problems` reports for this page's settings out of the link.

    Call it before any bound widget is drawn. Streamlit would otherwise
    still read some of them: ``float("\u0665")`` is 5 and ``1_0`` is 10, and a
    repeated parameter gives a list. Streamlit 1.67 seeds a bound widget
    from the query string the page was opened with
    (``QueryParams._initial_query_params``) and offers no public way to drop
    a bound parameter, so this edits that copy, as Streamlit's own
    ``SessionState._clear_url_param`` does (``remove_param`` also takes it
    out of the browser's address bar). tests/test_links.py checks that
    such values leave the setting at its default.
    """
    ignored = [name for name, _, bound in _url_checks(page, query) if bound]
    if not ignored:
        return
    from streamlit.runtime.state.session_state_proxy import get_session_state

    try:
        with get_session_state().query_params() as params:
            for name in ignored:
                params._initial_query_params.pop(name, None)
                params.remove_param(name)
    except AttributeError:  # a Streamlit other than 1.67: the notice still shows; tests/test_links.py fails
        logging.getLogger(__name__).warning("could not drop ignored link values %s", ignored, exc_info=True)
