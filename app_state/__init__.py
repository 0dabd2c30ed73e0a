"""Every session-state and element key of the app, declared once, as plain data.

Like TensorFlow Playground's ``state.ts``, this module is the single list of
the app's state and of every element key. Pages never invent keys: they name
a declaration (``key=FM.expression.key``), and :func:`ui.state.init_page` gives each
setting and store its default the first time a session needs it, whichever
page is opened first.

Three kinds of declaration, the first two holding state:

* :class:`Setting` is the value of a widget (slider, select box, text input,
  toggle, ...). Its default lives here, so widgets are created *without*
  ``value=``; Streamlit then reads the value from session state. Create the
  widget with ``**setting.widget``: the value then survives page switches,
  and a page's main controls (``link=True``) are mirrored in the URL with
  Streamlit's ``bind="query-params"``, so a copied link reproduces the view.
* :class:`Store` is non-widget state a page keeps for the session: an
  experiment log, a student's vote, an edited table. Each session gets a
  fresh copy of the default from its ``factory``, so one student's list is
  never another's.
* :class:`Action` is the key of a button, form, data editor, table, download
  button, chart or container: it holds no value worth keeping (a click lasts
  one run), so it has no default and :func:`ui.state.init_page` leaves it alone. It is
  declared only so that every key lives here. Keys that a page extends (an
  editor renamed after each save, one chart per model) use
  :meth:`Action.at`: ``FM.toy_editor.at(version)`` is ``"fm.toy_editor.3"``.

Nothing in this package imports streamlit: ``ui.state`` binds the
declarations to ``st.session_state``, the widgets and the URL
(:func:`ui.state.init_page`), so the job runtime and the warm-up can read
the same declarations.

* ``kinds`` - :class:`Setting`, :class:`Store`, :class:`Action`;
* ``format_matters``, ``imperfect_information``, ``features_losses``,
  ``live`` - each page's declarations (``FM``, ``II``, ``FE``, ``LIVE``,
  ``APP``);
* ``pages`` - the one list of pages (:data:`PAGES`) and the link checks.
"""

from app_state.features_losses import FE
from app_state.format_matters import FM, HOME
from app_state.imperfect_information import II
from app_state.kinds import OWN_WORDS, PROJECTION_LABELS, Action, Setting, Store, _Page
from app_state.live import APP, LIVE, LIVE_LINK_PARAMETERS
from app_state.pages import (
    ALL_PAGES,
    PAGES,
    STUDENT_PAGES,
    Page,
    all_actions,
    all_settings,
    page_named,
    url_problems,
)

__all__ = [
    "ALL_PAGES", "APP", "FE", "FM", "HOME", "II", "LIVE", "LIVE_LINK_PARAMETERS", "OWN_WORDS", "PAGES",
    "PROJECTION_LABELS", "STUDENT_PAGES", "Action", "Page", "Setting", "Store", "_Page", "all_actions",
    "all_settings", "page_named", "url_problems",
]
