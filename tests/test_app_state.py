"""app_state: every key is declared once, and pages use the declarations."""

from __future__ import annotations

import re
from collections import Counter

import app_state
from tests.apptest_utils import ROOT


def test_every_declared_key_is_unique() -> None:
    keys = [item.key for item in app_state.all_settings()] + [action.key for action in app_state.all_actions()]
    assert [key for key, n in Counter(keys).items() if n > 1] == []


def test_actions_are_not_state() -> None:
    """init_page fills settings and stores only: an action has no default to give."""
    for page in app_state.ALL_PAGES:
        assert all(isinstance(item, (app_state.Setting, app_state.Store)) for item in page.items())
        assert all(isinstance(action, app_state.Action) for action in page.actions())
    assert any(action is app_state.FE.taxi_run for action in app_state.FE.actions())
    assert not any(item is app_state.FE.taxi_run for item in app_state.FE.items())


def test_extended_action_keys() -> None:
    assert app_state.FM.toy_editor.at(3) == "fm.toy_editor.3"
    assert app_state.FE.twin_map.at("A", "colour") == "fe.twin_map.A.colour"
    assert app_state.FE.taxi_run.at() == "fe.taxi_run"


# A key written as a literal: key="fe.x", key=f"fe.{n}", st.form("fe.x"). Keys built from a
# declared key inside a helper (key=f"{key}.csv") start with "{" and are fine.
LITERAL_KEY = re.compile(r"""(\bkey=f?["'][^{"']|\bst\.form\(\s*f?["'])""")


def test_pages_and_ui_use_declared_keys() -> None:
    sources = [*ROOT.glob("pages/**/*.py"), *ROOT.glob("ui/**/*.py"), ROOT / "dashboard.py"]
    offenders = [
        f"{path.relative_to(ROOT)}:{n}: {line.strip()}"
        for path in sources
        for n, line in enumerate(path.read_text().splitlines(), 1)
        if LITERAL_KEY.search(line)
    ]
    assert offenders == []


def test_one_list_of_pages() -> None:
    """Every page in app_state.PAGES has a script, its own state class and its own address."""
    for page in app_state.PAGES:
        assert (ROOT / page.path).is_file(), page.path
    assert [p.state for p in app_state.PAGES] == list(app_state.ALL_PAGES[1:])
    assert len({p.url_path for p in app_state.PAGES}) == len(app_state.PAGES)
    assert [p.name for p in app_state.PAGES if p.default] == ["home"]
    # pages/__init__.py only makes the folder a package for the import contracts (pyproject.toml).
    assert set(ROOT.glob("pages/*.py")) - {ROOT / "pages" / "__init__.py"} == {ROOT / p.path for p in app_state.PAGES}


def test_the_key_guard_sees_the_lesson_folders() -> None:
    """The guard below must read every module under ui/, the lessons' folders included, and must be able to fail."""
    scanned = set(ROOT.glob("ui/**/*.py"))
    assert ROOT / "ui" / "format_matters" / "toy_plane.py" in scanned
    assert {path.parent.name for path in scanned} >= {"ui", *(p.name for p in app_state.STUDENT_PAGES[1:])}
    assert LITERAL_KEY.search('st.button("Go", key="fm.go")')
    assert LITERAL_KEY.search("with st.form('fe.x'):")
    assert not LITERAL_KEY.search("st.button('Go', key=FM.go.key)")


def test_widget_hands_over_bounds_step_and_options() -> None:
    """Every control is declared once: the widget gets its range, step and options from the Setting."""
    assert {"min_value": 4, "max_value": 128, "step": 4}.items() <= app_state.FE.exp_hidden.widget.items()
    assert app_state.II.method.widget["options"] == app_state.PROJECTION_LABELS
    assert app_state.FM.word_list.widget["options"][-1] == app_state.OWN_WORDS
    assert "options" not in app_state.FE.map_layer.widget  # options that depend on the model: the page passes them


def test_alternative_is_a_valid_other_value() -> None:
    """The value the benchmarks flip a control to: valid, and never the default."""
    assert app_state.II.k.alternative() == 32  # middle of 1..64
    assert app_state.FE.width.alternative() == 4  # the first other choice of 2, 4, 8, 16, 32
    assert app_state.FM.exclude_inputs.alternative() is False
    assert app_state.II.method.alternative() == app_state.II.method.choices[1]
    assert app_state.FM.expression.alternative() is None  # free text
    for setting in app_state.all_settings():
        if isinstance(setting, app_state.Setting) and setting.link:
            other = setting.alternative()
            if other is not None:
                assert other != setting.default and setting.accepts(str(other)), setting.key


def test_a_control_that_answers_in_the_browser_is_started_by_a_link() -> None:
    """``in_browser`` settings have no widget on the server: a link is the only way to set where they start."""
    in_browser = [s for s in app_state.all_settings() if isinstance(s, app_state.Setting) and s.in_browser]
    assert in_browser, "the noise slider and the toy plane answer in the browser"
    assert all(s.link for s in in_browser)
