"""Keep an ``st.data_editor`` table in session state across reruns and pages.

A data editor's edits live in its widget state, which Streamlit forgets when
the student switches page, and which cannot be written back. So the page
keeps the table itself in a :class:`app_state.Store` and, in the editor's
``on_change`` callback, folds each batch of edits into it
(:func:`apply_editor_changes`). Renaming the editor after each save (a
version number in its key) makes it start afresh from the saved table,
so an edit is never applied twice.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any


def apply_editor_changes(rows: Sequence[Mapping[str, Any]], changes: Mapping[str, Any]) -> list[dict[str, Any]]:
    """Apply a data editor's change set to the table it was showing.

    Parameters
    ----------
    rows : sequence of dict
        The table the editor was given, one dict per row.
    changes : dict
        ``st.session_state[editor_key]``: ``{"edited_rows": {position: {column:
        value}}, "added_rows": [{column: value}], "deleted_rows": [position]}``.
        Positions index ``rows``; deletions apply last.

    Returns
    -------
    list of dict
        A new table; ``rows`` is not modified.
    """
    columns = list(rows[0]) if rows else []
    table = [dict(row) for row in rows]
    for position, edits in (changes.get("edited_rows") or {}).items():
        i = int(position)
        if 0 <= i < len(table):
            table[i].update(edits)
    for added in changes.get("added_rows") or []:
        row = {column: None for column in columns}
        row.update(added)
        table.append(row)
    deleted = {int(i) for i in changes.get("deleted_rows") or []}
    return [row for i, row in enumerate(table) if i not in deleted]
