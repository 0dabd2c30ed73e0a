"""The one list of pages, and the checks of a link's parameters against their settings."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from app_state.features_losses import FE
from app_state.format_matters import FM, HOME
from app_state.imperfect_information import II
from app_state.kinds import Action, Setting, Store, _Page
from app_state.live import APP, LIVE, LIVE_LINK_PARAMETERS

# --------------------------------------------------------------------------
# The pages: one list, read by dashboard.py, the tests and the benchmarks
# --------------------------------------------------------------------------
@dataclass(frozen=True)
class Page:
    """One page of the app: where its script is, how it is listed, and its state.

    Parameters
    ----------
    name : str
        A short name for tests and benchmarks ("format_matters").
    path : str
        The script, relative to the app's root.
    title : str
        Its name in the navigation.
    heading : str
        The page's own title (its first heading).
    icon : str
        A material icon for the navigation.
    url_path : str
        Its address: ``/<url_path>`` (the default page is served at ``/``).
    state : type
        The declarations of its settings and keys (``FM``, ``II``, ...).
    default : bool
        True for the page at ``/``.
    """

    name: str
    path: str
    title: str
    heading: str
    icon: str
    url_path: str
    state: type[_Page]
    default: bool = False

    @property
    def address(self) -> str:
        """The path after the server's address: ``""`` for the default page."""
        return "" if self.default else self.url_path


PAGES: tuple[Page, ...] = (
    # Streamlit serves the default page at "/" only; its own url_path is never routed.
    Page("home", "pages/home.py", "Home", "Why Embeddings", ":material/home:", "start", HOME, default=True),
    Page("format_matters", "pages/format_matters.py", "Format matters", "Format matters",
         ":material/calculate:", "format_matters", FM),
    Page("imperfect_information", "pages/imperfect_information.py", "Imperfect information",
         "Imperfect information", ":material/compress:", "imperfect_information", II),
    Page("features_losses", "pages/features_losses.py", "Features, embeddings & losses",
         "Features, embeddings & losses", ":material/hub:", "features_losses", FE),
    Page("live_class", "pages/live_class.py", "Live class", "Live class", ":material/co_present:", "live_class", LIVE),
)
# The lessons and the home page: what a student opens (the tests and benchmarks walk these).
STUDENT_PAGES: tuple[Page, ...] = tuple(page for page in PAGES if page.state is not LIVE)


def page_named(name: str) -> Page:
    """The page called ``name`` in :data:`PAGES`."""
    return next(page for page in PAGES if page.name == name)


ALL_PAGES: tuple[type[_Page], ...] = (APP, *(page.state for page in PAGES))


def all_settings() -> Iterator[Setting | Store]:
    """Every declared setting and store of every page."""
    for page in ALL_PAGES:
        yield from page.items()


def all_actions() -> Iterator[Action]:
    """Every declared action key of every page."""
    for page in ALL_PAGES:
        yield from page.actions()



def _url_checks(page: type[_Page], query: dict[str, list[str]]) -> Iterator[tuple[str, str, bool]]:
    """(parameter, problem, whether it is one of this page's bound settings) for each ignored parameter."""
    # Another page's bound settings may ride along in the URL: known, not ours to check.
    everywhere = {item.key for item in all_settings() if isinstance(item, Setting) and item.link}
    everywhere |= set(LIVE_LINK_PARAMETERS)  # a live class's code, seat and teacher key (ui.live_class)
    here = {item.key: item for item in (*APP.items(), *page.items()) if isinstance(item, Setting) and item.link}
    for name, values in query.items():
        if name not in everywhere:
            yield name, f"unknown parameter '{name[:40]}'", False
        elif name in here and len(values) > 1 and not isinstance(here[name].default, list):
            yield name, f"'{name}' is given {len(values)} times", True
        elif name in here and values and not here[name].accepts(values[-1]):  # Streamlit reads the last one
            yield name, f"'{name}' cannot be '{values[-1][:40]}'", True


def url_problems(page: type[_Page], query: dict[str, list[str]]) -> list[str]:
    """Describe the URL parameters that this page ignores.

    Unknown names, values that do not fit the setting (see
    :meth:`Setting.accepts`) and a setting given more than once are named,
    so the student gets a small notice instead of silently different
    settings. :func:`drop_ignored_url_values` makes sure the widgets really
    ignore them. The result is plain text: escape it for markdown.

    Parameters
    ----------
    query : dict of str to list of str
        The page's query parameters, e.g. ``st.query_params.to_dict()`` style
        but with every value as a list.
    """
    return [problem for _, problem, _ in _url_checks(page, query)]
