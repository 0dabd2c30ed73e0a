"""Streamlit-side helpers shared by the pages: caching, charts, layout.

Everything that touches streamlit but is not a lesson lives here, so the page
files stay short scripts and ``embedcore`` stays pure.
"""
