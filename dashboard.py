"""Why Embeddings: the entry point. It only configures the app and routes.

Run it with ``make run`` (or ``streamlit run dashboard.py``). The pages are
listed once, in ``app_state.PAGES``.
"""

import streamlit as st

from app_state import PAGES
from ui import heavy

st.set_page_config(
    page_title="Why Embeddings",
    page_icon=":material/scatter_plot:",
    layout="wide",
)

NAVIGATION = [
    st.Page(page.path, title=page.title, icon=page.icon, url_path=page.url_path, default=page.default)
    for page in PAGES
]
# So that /home opens Home too, instead of a "Page not found" dialog followed by Home.
home = next(page for page in PAGES if page.default)
NAVIGATION.append(st.Page(home.path, title=home.title, icon=home.icon, url_path="home", visibility="hidden"))

# Start the worker process (and, unless WHY_EMBEDDINGS_WARMUP=0, the background warm-up of
# every heavy result; runtime/warmup.py) on the server's first run of any page, not on the first
# heavy one: a cold server's first t-SNE or training then does not wait for the worker to start.
heavy.pool()

st.navigation(NAVIGATION).run()
