"""Pieces several Features, embeddings & losses sections share: the twin models, their probes and maps."""

from __future__ import annotations

import functools
from typing import Any

import numpy as np
import pandas as pd
import streamlit as st

from app_state import FE
from app_state.kinds import Setting, parse_url_value
from embedcore import experiments as ex
from ui import heavy
from ui.charts import selected_ids, show_chart
from ui.features_losses.charts import map_data, map_figure
from ui.training import train_live

# The twin models' names: "Model A (colour loss)", and "model A (colour)" in the live training chart.
TWIN_NAMES = {letter: f"Model {letter} ({loss} loss)" for letter, loss in ex.TWINS.items()}


def link_value(setting: Setting) -> Any:
    """A linked setting no widget binds (a slider inside a chart): the link's value if it has one, else the session's.

    The page has already dropped a link value ``app_state.url_problems`` refuses, with its notice.
    """
    raw = st.query_params.get(setting.key)
    if raw is not None and setting.accepts(raw):
        st.session_state[setting.key] = parse_url_value(raw, setting.default)
    return st.session_state[setting.key]


def takeaway(text: str, *, key: str) -> None:
    """A section's takeaway, computed from its numbers, in a container keyed ``key`` (tests read its numbers)."""
    st.container(key=key).info(text, icon=":material/lightbulb:")


def note_fallback(projection: heavy.Projected, *, key: str) -> None:
    """Say so when PCA stood in for the chosen projection (in a container keyed ``key``)."""
    if projection.note:
        st.container(key=key).info(projection.note, icon=":material/info:")


def twin_experiments(width: int) -> tuple[ex.Experiment, ex.Experiment]:
    """Model A's and model B's settings at embedding width ``width``."""
    return ex.twins(ex.Experiment(embedding_size=int(width)), *ex.TWINS.values())


def twin_results(width: int) -> dict[str, ex.Result]:
    """Model A and model B (by letter) at embedding width ``width``, trained side by side (or shared)."""
    experiments = twin_experiments(width)
    names = [f"model {letter} ({loss})" for letter, loss in ex.TWINS.items()]
    return dict(zip(ex.TWINS, train_live(experiments, names, what="Training the twins")))


def probe_table(results: dict[str, ex.Result]) -> None:
    """The probe table: accuracy of reading each attribute, next to chance."""
    st.dataframe(
        pd.DataFrame(ex.probe_rows(results)),
        hide_index=True,
        column_config={
            "accuracy": st.column_config.ProgressColumn("probe accuracy", format="percent", min_value=0, max_value=1),
            "chance": st.column_config.NumberColumn("chance", format="percent"),
            "above chance": st.column_config.NumberColumn("above chance", format="percent"),
        },
        key=FE.probes_table.at("-".join(results)),
    )


def _select_pictures(key: str) -> None:
    """A selection in one twin map becomes the pictures every twin map lights up (linked views)."""
    st.session_state[FE.twin_selection.key] = selected_ids(key)


def draw_map(result: ex.Result, Y, title: str, key: str) -> None:
    """Draw one twin's map twice: coloured by colour, and marked by shape.

    Every twin map is linked: pictures selected in one (click, box or lasso)
    light up in all four, so a student can see where model A's colour group
    lands in model B's map.
    """
    labels, names = result.test_labels, result.label_names
    numbers = functools.partial(map_data, Y, labels, names)  # built only if a CSV is asked for
    ids = np.arange(len(Y))  # both twins embed the same held-out pictures, in the same order
    for col, label, how in zip(st.columns(2), ("colour", "shape"), ("coloured by colour", "marked by shape")):
        with col:
            show_chart(
                map_figure(Y, labels[label], names[label], label=label, title=f"{title}: {how}", ids=ids,
                           selected=st.session_state[FE.twin_selection.key]),
                key=f"{key}.{label}",
                data=numbers,
                name=f"{title} map",
                on_select=functools.partial(_select_pictures, f"{key}.{label}"),
            )
