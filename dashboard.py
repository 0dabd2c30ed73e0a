"""Why Embeddings: the entry point. It only configures the app and routes.

Run it with ``make run`` (or ``streamlit run dashboard.py``).
"""

import streamlit as st

from ui import heavy

st.set_page_config(
    page_title="Why Embeddings",
    page_icon=":material/scatter_plot:",
    layout="wide",
)

PAGES = [
    # Streamlit serves the default page at "/" only; its own url_path is never routed.
    st.Page("pages/home.py", title="Home", icon=":material/home:", url_path="start", default=True),
    st.Page(
        "pages/format_matters.py",
        title="Format matters",
        icon=":material/calculate:",
        url_path="format_matters",
    ),
    st.Page(
        "pages/imperfect_information.py",
        title="Imperfect information",
        icon=":material/compress:",
        url_path="imperfect_information",
    ),
    st.Page(
        "pages/features_losses.py",
        title="Features, embeddings & losses",
        icon=":material/hub:",
        url_path="features_losses",
    ),
    st.Page("pages/live_class.py", title="Live class", icon=":material/co_present:", url_path="live_class"),
    # So that /home opens Home too, instead of a "Page not found" dialog followed by Home.
    st.Page("pages/home.py", title="Home", icon=":material/home:", url_path="home", visibility="hidden"),
]

# Start the worker process (and, unless WHY_EMBEDDINGS_WARMUP=0, the background warm-up of
# every heavy result; ui/warmup.py) on the server's first run of any page, not on the first
# heavy one: a cold server's first t-SNE or training then does not wait for the worker to start.
heavy.pool()

st.navigation(PAGES).run()
