"""Format matters: server time of the rerun after moving each control.

Every section of the page is an ``st.fragment``, so in the browser moving a
control reruns only its own section. This script times exactly that: for
each section it builds a script of the page's header plus that one section
(in Streamlit's AppTest, on the bundled word vectors), moves each of the
section's controls back and forth between two values, and times the rerun.
Caches are warm (the first move to each value is not counted), as they are
for every student but the first on a hosted server. Cold costs (the first
t-SNE of Car-Land, the first noise sweep of a word) are printed separately.
The lesson's three predictions are taken as locked in and revealed, so every
section draws its evidence (the noise chart's 51 frames included).

The noise slider is not timed: it lives inside the noise chart and answers in
the browser (ui.components.frames), so moving it reruns nothing.

    python benchmarks/bench_format_matters.py [--repeat 5]

Columns (milliseconds, median of the repeats):

* ``section`` - the section function itself, timed inside the script: its
  compute and render (building every chart, table and message), which is
  the fragment rerun's server time;
* ``budget`` - ``section`` as a share of the 150 ms budget;
* ``apptest`` - the whole AppTest run around it (page header, AppTest's own
  script-runner start-up and message handling), for context.

``full page`` is a complete run of all sections, timed inside the script
(what a browser's first load costs, and what AppTest - which has no
fragments - repeats on every change).

Two controls are not a fragment rerun: an **edit of the toy table** (a data
editor) and a **drop on the draggable plane** are saved by their callbacks
(``_save_toy_edits``, ``_save_moves``), and the toy section then calls
``st.rerun()`` so the one-hot section below shows the same words: the toy
section's own rerun, then the whole page. Their rows (``table edit``,
``plane drop``) time both, from the start of the fragment's rerun to the end
of the page, against the same 150 ms budget. AppTest cannot type into a data
editor or drag a point, so the script does what the callbacks do (fold the
edit or the drop into the stored table, rename the editor, flag the change)
before each run.

Timings on a shared machine are noisy.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT)]
os.environ.setdefault("HF_HUB_OFFLINE", "1")

from streamlit.testing.v1 import AppTest  # noqa: E402

from app_state import APP, FM  # noqa: E402
from embedcore.checkpoints import lesson_checkpoints  # noqa: E402
from ui.editor import apply_editor_changes  # noqa: E402

BUDGET_MS = 150.0
# What pages/format_matters.py sets up before its sections (the page header is left out:
# it is not part of any section's rerun).
HEAD = """\
import streamlit as st
from app_state import FM
from ui.state import init_page
from ui.cache import word_vectors
from ui.upload import ExploredVectors
from ui.format_matters.arithmetic import arithmetic
from ui.format_matters.averages import averages
from ui.format_matters.axes import word_axes
from ui.format_matters.car_land import car_land
from ui.format_matters.encode import encode_decode
from ui.format_matters.exercises import try_it_yourself
from ui.format_matters.one_hot import one_hot
from ui.format_matters.toy_plane import toy_plane
init_page(FM)
"""

# section function -> list of (widget kind, setting key, value A, value B)
CONTROLS: dict[str, list[tuple[str, str, object, object]]] = {
    "encode_decode(wv)": [
        ("text_input", FM.encode_text.key, "king", "cat"),
        ("slider", FM.noise_seed.key, 1, 0),
    ],
    "toy_plane(table)": [
        ("radio", FM.toy_op.key, "Average", "Add and subtract"),
        ("selectbox", FM.toy_b.key, "queen", "man"),
        ("toggle", FM.toy_3d.key, True, False),
    ],
    "one_hot(table)": [
        ("multiselect", FM.onehot_pair.key, ["queen", "woman"], ["king", "man"]),
    ],
    "arithmetic(wv)": [
        ("text_input", FM.expression.key, "paris - france + italy", "king - man + woman"),
        ("toggle", FM.exclude_inputs.key, False, True),
        ("text_input", FM.expected.key, "monarch", "queen"),
        ("selectbox", FM.analogy.key, "tenses: walking - walk + swim", "gender: king - man + woman"),
        ("text_input", FM.expression.key, '"ice cream" - cold + hot', "king - man + woman"),
    ],
    "averages(wv)": [
        ("text_input", FM.average_words.key, "cat, dog, puppy", "cat, dog"),
    ],
    "word_axes(wv)": [
        ("selectbox", FM.x_preset.key, "size: small, tiny -> big, huge", "gender: man -> woman"),
        ("text_input", FM.y_positive.key, "king, queen", "royal, monarch"),
        ("selectbox", FM.word_list.key, "professions", "royalty and family"),
    ],
    "car_land(wv)": [
        ("slider", FM.map_k.key, 6, 4),
        ("radio", FM.map_method.key, "PCA", "t-SNE"),
        ("radio", FM.map_groups.key, "in the full space", "on the map"),
        ("slider", FM.map_seed.key, 1, 0),
        ("text_input", FM.map_extra.key, "rocket, horse", ""),
    ],
    "try_it_yourself(wv)": [
        ("text_input", FM.ex_queen.key, "monarch", "prince"),
        ("text_input", FM.ex_aunt.key, "uncle - he + she", "uncle - man + woman"),
        ("text_input", FM.ex_axis_positive.key, "care, patient", "woman"),
    ],
}


# A toy-table edit, and the edit that puts the starter table back (queen's royalty).
TABLE_EDITS = ({"edited_rows": {"1": {"royalty": 0.5}}}, {"edited_rows": {"1": {"royalty": 1.0}}})
# A drop of woman on the plane, and the drop that puts her back.
DROPS = ({"woman": (0.5, 0.0)}, {"woman": (-1.0, 0.0)})
# The lesson's predictions, locked in and revealed: every section draws its evidence.
REVEALED = {c.id: {"choice": c.choices[0], "answer": c.choices[0], "correct": True, "evidence": ""}
            for c in lesson_checkpoints("format_matters")}
# In the browser a saved edit reruns the toy section (a fragment), which ends in
# st.rerun(): then the whole page runs.
TABLE_EDIT_CALL = (
    f"if st.session_state['{FM.toy_changed.key}']:\n"
    "    toy_plane(table)  # the fragment's rerun; it ends in st.rerun()\n"
    + "\n".join(CONTROLS)
)


def section_script(call: str | None) -> str:
    """The page's set-up, then the section call(s), timed (on the bundled vectors, as the page opens).

    The start time is kept in session state until the script completes, so a
    run that ``st.rerun()`` restarts is timed from its first start.
    """
    body = (
        "import time as _time\n"
        "wv = ExploredVectors(word_vectors())\n"
        f"table = st.session_state['{FM.toy_table.key}']  # the toy table, read once as the page does\n"
        "_start = st.session_state.setdefault('bench.start', _time.perf_counter())\n"
        + (call + "\n" if call else "")
        + "st.session_state['bench.section_ms'] = (_time.perf_counter() - _start) * 1000\n"
        "del st.session_state['bench.start']\n"
    )
    return HEAD + body


def set_widget(at: AppTest, kind: str, key: str, value: object) -> None:
    state = at.session_state
    if kind in ("table_edit", "drop"):
        # What the editor's on_change callback (_save_toy_edits) does with an edit, or the plane's
        # on_move callback (_save_moves) with a drop.
        rows = state[FM.toy_table.key]
        if kind == "table_edit":
            rows = apply_editor_changes(rows, value)
        else:
            rows = [dict(r, gender=value[r["word"]][0], royalty=value[r["word"]][1]) if r["word"] in value else r
                    for r in rows]
        state[FM.toy_table.key] = rows
        state[FM.toy_version.key] = state[FM.toy_version.key] + 1
        state[FM.toy_changed.key] = True
        return
    widget = getattr(at, kind)(key=key)
    if kind in ("text_input", "text_area"):
        widget.input(value)
    else:
        widget.set_value(value)


def timed_run(at: AppTest) -> tuple[float, float]:
    """Run once; return (section ms timed inside the script, whole AppTest run ms)."""
    start = time.perf_counter()
    at.run()
    elapsed = (time.perf_counter() - start) * 1000
    if at.exception:
        raise RuntimeError(at.exception[0].value)
    return at.session_state["bench.section_ms"], elapsed


def new_app(call: str | None, **state: object) -> AppTest:
    at = AppTest.from_string(section_script(call), default_timeout=600)
    at.session_state[APP.checks.key] = {k: dict(v) for k, v in REVEALED.items()}
    for key, value in state.items():
        at.session_state[key] = value
    return at


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()

    # Cold costs first, on fresh caches (the word vectors themselves are loaded here too).
    timed_run(new_app(None))
    cold_map, _ = timed_run(new_app("car_land(wv)"))
    cold_sweep, _ = timed_run(new_app("encode_decode(wv)", **{FM.encode_text.key: "zebra"}))

    print(f"{'section':16}{'control':22}{'section ms':>11}{'budget':>8}{'apptest ms':>12}")
    worst = 0.0
    measured = [(call.split("(")[0], call, control) for call, controls in CONTROLS.items() for control in controls]
    measured.append(("toy_plane", TABLE_EDIT_CALL, ("table_edit", "table edit (page)", *TABLE_EDITS)))
    measured.append(("toy_plane", TABLE_EDIT_CALL, ("drop", "plane drop (page)", *DROPS)))
    at, current = None, None
    for section, call, (kind, key, first, second) in measured:
        if call != current:
            at, current = new_app(call), call
            timed_run(at)
        inside, outside = [], []
        moves = args.repeat + 2 + args.repeat % 2  # even: end on the second value, the default
        for i in range(moves):
            set_widget(at, kind, key, first if i % 2 == 0 else second)
            section_ms, run_ms = timed_run(at)
            if i >= 2:  # both values have been seen once: caches are warm
                inside.append(section_ms)
                outside.append(run_ms)
        ms = statistics.median(inside)
        worst = max(worst, ms)
        print(f"{section:16}{key:22}{ms:>11.0f}{ms / BUDGET_MS:>8.0%}{statistics.median(outside):>12.0f}")

    full = new_app("\n".join(CONTROLS))
    timed_run(full)
    full_ms = statistics.median(timed_run(full)[0] for _ in range(args.repeat))
    print()
    print(f"worst rerun after a move                {worst:8.0f} ms  ({worst / BUDGET_MS:.0%} of {BUDGET_MS:.0f} ms)")
    print(f"full page, all sections (first load)    {full_ms:8.0f} ms")
    print(f"cold: first Car-Land map (t-SNE)        {cold_map:8.0f} ms  (then cached, for every session)")
    print(f"cold: first noise sweep of a new word   {cold_sweep:8.0f} ms  (then cached)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
