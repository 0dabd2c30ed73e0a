"""Shared fixtures for the whole suite."""

from __future__ import annotations

import os

import pytest

# Keep the model2vec / Hugging Face stack off the network, everywhere.
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")


@pytest.fixture(autouse=True)
def _fresh_data_cache():
    """Clear ``st.cache_data`` between tests so each test computes afresh.

    ``st.cache_resource`` is deliberately *kept*: it holds the loaded word
    vectors, which every page shares read-only, and reloading them in every
    test would only slow the suite down.
    """
    import streamlit as st

    st.cache_data.clear()
    yield
