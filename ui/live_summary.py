"""The end-of-class summary on the teacher's view, and its download as one self-contained HTML page.

Per question answered: how many answered, the share right at the first answer
and after the reveal (a student may try again then), the most common wrong
first answer and the number of reasons (``ClassStore.report``). The download
(``classroom.report_html``) has the same numbers with inline SVG charts and
the reasons shown on the projector, and no script or external file: the
teacher keeps it after the class and its answers are deleted.
"""

from __future__ import annotations

import streamlit as st

from app_state import LIVE
from classroom.report_html import render
from classroom.store import ClassReport
from ui.live_session import get_store


def _table(report: ClassReport) -> dict[str, list]:
    """The summary's columns (shares as numbers from 0 to 1; None where a question has no right answer)."""
    questions = report.questions
    return {
        "question": [q.prompt for q in questions],
        "section": [q.section for q in questions],
        "answered": [q.answered for q in questions],
        "right at the first answer": [q.share_first for q in questions],
        "right after the reveal": [q.share_latest for q in questions],
        "most common wrong first answer": [q.common_wrong or "" for q in questions],
        "reasons": [q.reasons for q in questions],
    }


def summary(code: str, key: str) -> None:
    """The summary table (refreshed with the view) and *Download the summary (HTML)*, made when clicked."""
    report = get_store().report(code, key)
    with st.container(border=True, key=LIVE.summary_box.key):
        st.markdown(":material/summarize: **End-of-class summary**")
        if report.questions:
            share = st.column_config.ProgressColumn(format="percent", min_value=0.0, max_value=1.0)
            st.dataframe(
                _table(report),
                hide_index=True,
                key=LIVE.summary_table.key,
                column_config={"right at the first answer": share, "right after the reveal": share},
            )
        else:
            st.caption("No answers yet.")
        st.download_button(
            "Download the summary (HTML)",
            data=lambda: render(get_store().report(code, key)).encode("utf-8"),
            file_name=f"class-{code}-summary.html",
            mime="text/html",
            key=LIVE.summary_html.key,
            on_click="ignore",
            icon=":material/download:",
            help="One page with the charts, no script, no external file: keep it after the class is deleted.",
        )
