"""AppTest tests of the "Format matters" page: move each section's controls, check what is shown.

What a note or a takeaway says is checked through its values: the note is
found by its element key (declared in ``app_state.FM``), and the numbers and
words it quotes are compared with the ones recomputed here from embedcore.

The word vectors stay loaded across tests (``st.cache_resource``), but
``st.cache_data`` is cleared before each test, so most tests start the Car-Land
map on PCA: t-SNE would otherwise be recomputed in every test. One test
switches it to t-SNE on purpose.
"""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go
import pytest
from streamlit.proto.Metric_pb2 import Metric as MetricProto
from streamlit.testing.v1 import AppTest

from app_state import APP, FM
from embedcore import encoding, exercises, toyplane, wordlists, wordmap
from embedcore.expressions import evaluate
from embedcore.wordvectors import WordVectors, load_word_vectors
from tests.apptest_utils import (
    DASHBOARD,
    PAGES,
    assert_charts_pass_plotlys_validators,
    assert_no_exception,
    chart,
    chart_keys,
    metric,
    table,
    values,
)
from tests.quoted import has, keyed_text, numbers
from ui.editor import apply_editor_changes
from ui.format_matters.cache import NOISE_MAX


def open_fm(**state: object) -> AppTest:
    """Run the page with some session state set first (keys without the 'fm.' prefix)."""
    at = AppTest.from_file(DASHBOARD, default_timeout=120)
    at.switch_page(PAGES["format_matters"])
    at.session_state[FM.map_method.key] = "PCA"
    for name, value in state.items():
        at.session_state[f"fm.{name}"] = value
    at.run()
    assert_no_exception(at)
    return at


def toy_result(at: AppTest) -> tuple[float, float]:
    """Where the toy plane's result star is drawn."""
    star = chart(at, FM.toy_chart.key)["data"][1]
    return float(values(star["x"])[0]), float(values(star["y"])[0])


def plane_of(rows: list[dict]) -> toyplane.ToyPlane:
    """The 2-D plane embedcore makes of a toy table (what the page draws)."""
    return toyplane.clean_table([[r.get(c) for c in ("word", "gender", "royalty", "age")] for r in rows])[0]


@pytest.fixture(scope="module")
def wv() -> WordVectors:
    """The bundled word vectors, for recomputing what the page quotes."""
    return load_word_vectors()


@pytest.fixture(scope="module")
def page() -> AppTest:
    """One run of the page at its defaults, shared by the read-only checks."""
    return open_fm()


# -- the defaults: every section shows its result -----------------------------
def test_defaults_show_each_sections_answer(page: AppTest) -> None:
    assert metric(page, "Decodes to") == "cat"
    assert toy_result(page) == (-1.0, 1.0)  # king - man + woman
    nearest = table(page, "nearest word")
    assert (nearest["nearest word"][0], nearest["distance"][0]) == ("queen", 0.0)
    assert metric(page, "Rank of 'queen'") == "#1"
    assert float(metric(page, "Cosine between the axes")) == pytest.approx(-0.05, abs=0.05)
    bars = chart(page, FM.neighbours_chart.key)
    assert "1. queen" in [label for trace in bars["data"] for label in trace["y"]]
    for key in (FM.strip_chart.key, FM.noise_chart.key, FM.toy_chart.key, FM.onehot_chart.key, FM.analogy_chart.key,
                FM.average_chart.key, FM.axes_chart.key, FM.bias_chart.key, FM.map_chart.key):
        assert chart(page, key)["data"]


def test_every_chart_passes_plotlys_validators(page: AppTest) -> None:
    """The figures are built without validation, for speed; check them here instead."""
    assert assert_charts_pass_plotlys_validators(page)


# -- 0. encode and decode ------------------------------------------------------
def test_noise_slider_eventually_changes_the_decoding(wv: WordVectors) -> None:
    at = open_fm()
    at.slider(key=FM.noise.key).set_value(5.0).run()
    assert_no_exception(at)
    trip = encoding.round_trip(wv, "cat", 5.0, at.session_state[FM.noise_seed.key], k=5)
    decoded = next(m for m in at.metric if m.label == "Decodes to")
    assert decoded.value == trip.decoded_noisy[0][0] != trip.decoded[0][0] == "cat"
    assert decoded.proto.color == MetricProto.MetricColor.RED  # the delta marks a change (green: the same word)
    now = chart(at, FM.noise_chart.key)["layout"]["shapes"][0]  # the line at the slider's value
    assert now["x0"] == now["x1"] == 5.0


def test_text_outside_the_vocabulary_is_flagged_and_empty_text_explained(wv: WordVectors) -> None:
    at = open_fm()
    at.text_input(key=FM.encode_text.key).input("skateboarding").run()
    assert "skateboarding" not in wv
    assert "'skateboarding'" in keyed_text(at, FM.encode_pieces.key)  # named as built from word pieces
    at.text_input(key=FM.encode_text.key).input("   ").run()
    assert_no_exception(at)
    assert at.error and FM.strip_chart.key not in chart_keys(at)


# -- 1. the toy plane ----------------------------------------------------------
def test_toy_operations_midpoint_and_compare() -> None:
    at = open_fm()
    at.radio(key=FM.toy_op.key).set_value("Average").run()
    assert toy_result(at) == (0.0, 1.0)  # the midpoint of king and queen
    at.radio(key=FM.toy_op.key).set_value("Compare").run()
    assert metric(at, "Euclidean distance") == "2.00"
    assert metric(at, "Cosine similarity") == "0.00"
    at.selectbox(key=FM.toy_compare_b.key).set_value("man").run()
    assert metric(at, "Euclidean distance") == "1.00"
    assert metric(at, "Cosine similarity") == "0.71"


def test_toy_arithmetic_draws_head_to_tail_arrows() -> None:
    at = open_fm()
    fig = chart(at, FM.toy_chart.key)
    arrows = [(a["ax"], a["ay"], a["x"], a["y"]) for a in fig["layout"]["annotations"] if "ax" in a]
    assert arrows == [(0, 0, 1, 1), (1, 1, 0, 1), (0, 1, -1, 1)]
    # Royalty is shaded as an area around [0, 1] that holds king and queen, not man and woman.
    (area,) = fig["layout"]["shapes"]
    assert (area["x0"] + area["x1"]) / 2 == 0 and (area["y0"] + area["y1"]) / 2 == 1
    assert area["x0"] <= -1 and area["x1"] >= 1 and 0 < area["y0"] <= 1 <= area["y1"]
    at.selectbox(key=FM.toy_sign_c.key).set_value("(none)").run()
    assert toy_result(at) == (0.0, 1.0)  # king - man


def test_age_toggle_adds_a_third_axis_with_preset_words() -> None:
    at = open_fm()
    at.toggle(key=FM.toy_3d.key).set_value(True).run()
    at.selectbox(key=FM.toy_c.key).set_value("boy").run()
    assert_no_exception(at)
    fig = chart(at, FM.toy_chart.key)
    assert fig["data"][0]["type"] == "scatter3d"
    go.Figure(fig)  # valid for plotly
    assert {"prince", "princess", "old king"} <= set(fig["data"][0]["text"])
    result = fig["data"][-1]  # the result star: king - man + boy
    assert [values(result[axis])[0] for axis in "xyz"] == [1.0, 1.0, -1.0]
    assert table(at, "nearest word")["nearest word"][0] == "prince"


def test_bad_table_rows_are_explained_and_left_out() -> None:
    rows = [
        {"word": "king", "gender": 1.0, "royalty": 1.0, "age": 0.0},
        {"word": "king", "gender": 2.0, "royalty": 2.0, "age": 0.0},
        {"word": "", "gender": 0.0, "royalty": 0.0, "age": 0.0},
        {"word": "duke", "gender": "abc", "royalty": 0.5, "age": 0.0},
        {"word": "queen", "gender": -1.0, "royalty": None, "age": 0.0},
        {"word": "woman", "gender": -1.0, "royalty": 0.0, "age": 0.0},
    ] + [{"word": f"w{i}", "gender": 0.1 * i, "royalty": 0.0, "age": 0.0} for i in range(60)]
    at = open_fm(toy_table=rows)
    problems = toyplane.clean_table([[r.get(c) for c in ("word", "gender", "royalty", "age")] for r in rows])[1]
    listed = [line[2:] for line in keyed_text(at, FM.toy_problems.key).splitlines() if line.startswith("- ")]
    assert listed == problems  # every problem embedcore found, as it says it
    assert [numbers(problem)[0] for problem in problems[:4]] == [2, 3, 4, 5]  # one per bad row
    # The menus fall back to words that are still on the plane.
    assert at.selectbox(key=FM.toy_b.key).value in ("king", "woman", "w0")
    points = chart(at, FM.toy_chart.key)["data"][0]["text"]
    assert len(points) == 50 and "duke" not in points


def test_an_empty_table_gets_a_message_not_an_error() -> None:
    at = open_fm(toy_table=[])
    assert has(at, FM.toy_empty.key) and has(at, FM.onehot_empty.key)  # one message for each section
    assert not {FM.toy_chart.key, FM.onehot_chart.key} & set(chart_keys(at))


def test_reset_restores_the_starter_table() -> None:
    at = open_fm(toy_table=[{"word": "duke", "gender": 1.0, "royalty": 0.5, "age": 0.0}])
    at.button(key=FM.toy_reset.key).click().run()
    assert [r["word"] for r in at.session_state[FM.toy_table.key]] == ["king", "queen", "man", "woman"]


def test_toy_takeaway_is_computed_from_the_table() -> None:
    # The starter table: king - man + woman lands exactly on queen, so only the midpoint [0, 1] is quoted.
    at = open_fm()
    classic = toyplane.classic_results(plane_of(FM.toy_table.factory()))
    assert classic.exact and classic.analogy.nearest[0][0] == "queen"
    np.testing.assert_allclose(numbers(keyed_text(at, FM.toy_takeaway.key)), classic.midpoint)
    np.testing.assert_allclose(classic.midpoint, [0, 1])

    moved = [{"word": "king", "gender": 1.0, "royalty": 1.0, "age": 0.0},
             {"word": "queen", "gender": -1.0, "royalty": 2.0, "age": 0.0},
             {"word": "man", "gender": 1.0, "royalty": 0.0, "age": 0.0},
             {"word": "woman", "gender": -0.5, "royalty": 0.0, "age": 0.0}]
    at = open_fm(toy_table=moved)
    # king - man + woman = (-0.5, 1): 1.5 from king, 1.12 from queen, 1.00 from woman (-0.5, 0).
    classic = toyplane.classic_results(plane_of(moved))
    assert not classic.exact and not classic.on_starter and classic.analogy.nearest[0] == ("woman", 1.0)
    quoted = numbers(keyed_text(at, FM.toy_takeaway.key))  # where it lands, its distance, the midpoint
    np.testing.assert_allclose(quoted, [*classic.analogy.point, classic.analogy.nearest[0][1], *classic.midpoint])
    np.testing.assert_allclose(quoted, [-0.5, 1, 1.0, 0, 1.5])

    at = open_fm(toy_table=moved[:3])  # no woman: the classic example cannot be computed on this table
    assert toyplane.classic_results(plane_of(moved[:3])).on_starter
    np.testing.assert_allclose(numbers(keyed_text(at, FM.toy_takeaway.key)), [0, 1])  # the starter table's


def test_editor_changes_are_applied_in_order() -> None:
    rows = [{"word": "king", "gender": 1.0}, {"word": "queen", "gender": -1.0}]
    changed = apply_editor_changes(rows, {
        "edited_rows": {"1": {"gender": -0.5}},
        "added_rows": [{"word": "duke"}],
        "deleted_rows": [0],
    })
    assert changed == [{"word": "queen", "gender": -0.5}, {"word": "duke", "gender": None}]
    assert rows[1]["gender"] == -1.0  # the stored table is not edited in place


# -- 2. one-hot ----------------------------------------------------------------
def test_one_hot_distances_are_all_equal_and_embedding_ones_are_not(page: AppTest) -> None:
    one_hot = values(chart(page, FM.onehot_chart.key)["data"][0]["z"])
    embedded = values(chart(page, FM.embedded_chart.key)["data"][0]["z"])
    off = ~np.eye(4, dtype=bool)
    np.testing.assert_allclose(one_hot[off], np.sqrt(2))
    assert len(np.unique(embedded[off].round(6))) > 1


def test_one_hot_average_is_equally_far_from_both_words() -> None:
    at = open_fm()
    at.multiselect(key=FM.onehot_pair.key).set_value(["queen", "woman"]).run()
    table = next(df.value for df in at.dataframe if "distance (one-hot)" in df.value.columns)
    by_word = table.set_index("word")
    assert by_word.loc["queen", "distance (one-hot)"] == by_word.loc["woman", "distance (one-hot)"]
    assert by_word.loc["queen", "distance (embedding)"] == pytest.approx(0.5)
    # The note quotes the one-hot average's 0.5 per column and the embedding average's point.
    formats = toyplane.compare_formats(plane_of(FM.toy_table.factory()), "queen", "woman")
    quoted = numbers(keyed_text(at, FM.onehot_average.key))
    np.testing.assert_allclose(quoted, [0.5, *formats.embedding_average.point])
    np.testing.assert_allclose(quoted, [0.5, -1.0, 0.5])


# -- 3. word arithmetic ---------------------------------------------------------
def test_turning_off_exclusion_shows_where_the_inputs_rank() -> None:
    at = open_fm()
    at.toggle(key=FM.exclude_inputs.key).set_value(False).run()
    ranks = next(df.value for df in at.dataframe if "input word" in df.value.columns and "rank" in df.value.columns
                 and "cosine" in df.value.columns)
    assert set(ranks["input word"]) == {"king", "man", "woman"}
    assert ranks.set_index("input word").loc["king", "rank"] == 1
    names = [label for trace in chart(at, FM.neighbours_chart.key)["data"] for label in trace["y"]]
    assert "1. king" in names


def test_analogy_menu_fills_the_expression_and_expected_answer() -> None:
    at = open_fm()
    at.selectbox(key=FM.analogy.key).set_value("capitals: paris - france + italy").run()
    assert at.text_input(key=FM.expression.key).value == "paris - france + italy"
    assert at.text_input(key=FM.expected.key).value == "rome"
    assert metric(at, "Rank of 'rome'") == "#4"  # an honest miss: florence comes first
    assert at.selectbox(key=FM.analogy.key).value is None  # the menu clears, ready for the next pick
    at.text_input(key=FM.expression.key).input("paris - france").run()
    at.selectbox(key=FM.analogy.key).set_value("capitals: paris - france + italy").run()
    assert at.text_input(key=FM.expression.key).value == "paris - france + italy"


def test_a_quoted_phrase_is_encoded_and_flagged(wv: WordVectors) -> None:
    at = open_fm()
    at.text_input(key=FM.expression.key).input('"ice cream" - cold + hot').run()
    assert_no_exception(at)
    assert evaluate('"ice cream" - cold + hot', wv).oov_words == ['"ice cream"']
    assert "'\"ice cream\"'" in keyed_text(at, FM.expression_pieces.key)
    assert chart(at, FM.neighbours_chart.key)["data"]


@pytest.mark.parametrize(("text", "match"),
                         [("king - * woman", r"'-' at position \d+"), ("king - king", "zero vector")])
def test_parser_errors_show_the_parsers_message(wv: WordVectors, text: str, match: str) -> None:
    with pytest.raises(ValueError, match=match) as caught:
        evaluate(text, wv)
    at = open_fm()
    at.text_input(key=FM.expression.key).input(text).run()
    assert_no_exception(at)
    assert keyed_text(at, FM.expression_error.key).endswith(str(caught.value))
    assert FM.neighbours_chart.key not in chart_keys(at)
    if "*" in text:  # the position it names is the dangling '-' (counted from 1)
        assert numbers(str(caught.value)) == [text.index("-") + 1]


def test_words_outside_the_vocabulary_get_a_note_with_suggestions(wv: WordVectors) -> None:
    at = open_fm()
    at.text_input(key=FM.expression.key).input("kingg - man + woman").run()
    assert_no_exception(at)
    result = evaluate("kingg - man + woman", wv)
    assert result.oov_words == ["kingg"] and result.suggestions["kingg"]
    note = keyed_text(at, FM.expression_pieces.key)
    assert "'kingg'" in note and all(word in note for word in result.suggestions["kingg"])


def test_expected_answer_outside_the_vocabulary_is_explained(wv: WordVectors) -> None:
    at = open_fm()
    at.text_input(key=FM.expected.key).input("qqzx").run()
    assert "qqzx" not in wv
    assert "'qqzx'" in keyed_text(at, FM.expected_missing.key)
    assert not any(m.label.startswith("Rank of") for m in at.metric)  # nothing to rank


def test_averages_list_neighbours_and_bound_the_input() -> None:
    at = open_fm()
    bars = chart(at, FM.average_chart.key)
    assert "pet" in " ".join(bars["data"][0]["y"])
    at.text_input(key=FM.average_words.key).input("cat, skateboarding").run()
    assert "'skateboarding'" in keyed_text(at, FM.average_pieces.key)  # averaged from word pieces
    too_many = ", ".join(f"w{i}" for i in range(11))
    with pytest.raises(ValueError) as caught:
        wordlists.parse_word_list(too_many, max_words=10)
    at.text_input(key=FM.average_words.key).input(too_many).run()
    assert keyed_text(at, FM.average_error.key) == str(caught.value)
    assert numbers(str(caught.value)) == [11, 10]  # the words typed, and the limit
    assert FM.average_chart.key not in chart_keys(at)


# -- 4. axes made of words -----------------------------------------------------
def test_axis_presets_and_typed_axes() -> None:
    at = open_fm()
    at.selectbox(key=FM.x_preset.key).set_value("size: small, tiny -> big, huge").run()
    assert at.text_input(key=FM.x_negative.key).value == "small, tiny"
    fig = chart(at, FM.axes_chart.key)
    assert fig["layout"]["xaxis"]["title"]["text"] == "small, tiny \u2192 big, huge"
    at.text_input(key=FM.x_positive.key).input("giant").run()
    assert at.selectbox(key=FM.x_preset.key).value == "my own words"
    assert chart(at, FM.axes_chart.key)["layout"]["xaxis"]["title"]["text"] == "small, tiny \u2192 giant"
    at.text_input(key=FM.y_negative.key).input(" , ").run()
    assert at.error and FM.axes_chart.key not in chart_keys(at)


def test_word_list_presets_and_own_words() -> None:
    at = open_fm()
    at.selectbox(key=FM.word_list.key).set_value("professions").run()
    placed = chart(at, FM.axes_chart.key)["data"][0]["text"]
    assert "nurse" in placed and "engineer" in placed
    at.selectbox(key=FM.word_list.key).set_value("my own words").run()
    at.text_area(key=FM.own_words.key).input("apple, skateboarding").run()
    assert "'skateboarding'" in keyed_text(at, FM.axes_pieces.key)
    assert not has(at, FM.axes_error.key)
    assert chart(at, FM.axes_chart.key)["data"][0]["text"] == ["apple"]  # skateboarding: from word pieces


def test_bias_note_puts_nurse_on_the_she_side(page: AppTest) -> None:
    bias = chart(page, FM.bias_chart.key)["data"][0]
    scores = dict(zip(bias["y"], values(bias["x"])))
    assert scores["nurse"] > 0 > scores["carpenter"]


# -- 5. Car-Land -----------------------------------------------------------------
def test_car_land_groups_follow_k_and_distances_compare_pairs() -> None:
    at = open_fm()
    groups = [t["name"] for t in chart(at, FM.map_chart.key)["data"] if t["type"] == "scatter"]
    assert len(groups) == 4
    at.slider(key=FM.map_k.key).set_value(6).run()
    groups = [t["name"] for t in chart(at, FM.map_chart.key)["data"] if t["type"] == "scatter"]
    assert len(groups) == 6
    table = next(df.value for df in at.dataframe if "pair" in df.value.columns).set_index("pair")
    bmw, bus = table.loc["mercedes \u2013 bmw"], table.loc["mercedes \u2013 bus"]
    assert bmw["cosine similarity"] > bus["cosine similarity"]
    assert bmw["distance in 256-D"] < bus["distance in 256-D"]
    assert bmw["distance on the PCA map"] < bus["distance on the PCA map"]


def test_car_land_takes_own_words_and_bounds_them() -> None:
    at = open_fm()
    at.text_input(key=FM.map_extra.key).input("rocket, skateboarding").run()
    assert_no_exception(at)
    words = [w for t in chart(at, FM.map_chart.key)["data"] if t["type"] == "scatter" for w in t["text"]]
    assert "rocket" in words and "skateboarding" in words
    assert "'skateboarding'" in keyed_text(at, FM.map_pieces.key)
    table = next(df.value for df in at.dataframe if "pair" in df.value.columns)
    assert "mercedes \u2013 rocket" in set(table["pair"])
    too_many = ", ".join(f"w{i}" for i in range(11))
    with pytest.raises(ValueError) as caught:
        wordlists.parse_word_list(too_many, max_words=10)
    at.text_input(key=FM.map_extra.key).input(too_many).run()
    assert keyed_text(at, FM.map_words_error.key) == str(caught.value)
    assert numbers(str(caught.value)) == [11, 10]


def test_car_land_on_tsne_with_groups_from_either_space() -> None:
    at = open_fm()
    at.radio(key=FM.map_method.key).set_value("t-SNE").run()
    assert_no_exception(at)
    assert chart(at, FM.map_chart.key)["layout"]["xaxis"]["title"]["text"] == "t-SNE 1"

    def grouping() -> set[frozenset[str]]:
        traces = chart(at, FM.map_chart.key)["data"]
        return {frozenset(t["text"]) for t in traces if t["type"] == "scatter"}

    on_map = grouping()
    at.radio(key=FM.map_groups.key).set_value("in the full space").run()
    in_space = grouping()
    assert len(on_map) == len(in_space) == 4
    assert on_map != in_space  # the map distorts: its blobs are not the space's groups


# -- 6. exercises -----------------------------------------------------------------
def test_exercises_give_immediate_feedback(wv: WordVectors) -> None:
    def shown_verdict(name: str, answer: str, feedback: exercises.Feedback) -> None:
        """The page kept the checker's verdict for the score, and shows its message (and hint) in the exercise's box."""
        saved = at.session_state[APP.checks.key][f"fm.exercise.{name}"]
        assert (saved["choice"], saved["correct"], saved["evidence"]) == (answer, feedback.passed, feedback.message)
        box = keyed_text(at, FM.ex_feedback.at(name))
        assert box.startswith(feedback.message) and (feedback.passed or box.endswith(feedback.hint))
        assert (len(at.get_by_key(FM.ex_feedback.at(name)).success) == 1) == feedback.passed

    at = open_fm()
    at.text_input(key=FM.ex_queen.key).input("prince").run()
    prince = exercises.check_closer_to_queen(wv, "prince")
    assert not prince.passed and prince.hint
    shown_verdict("queen", "prince", prince)
    at.text_input(key=FM.ex_queen.key).input("monarch").run()
    at.text_input(key=FM.ex_aunt.key).input("uncle - he + she").run()
    at.text_input(key=FM.ex_axis_negative.key).input("machine, technology")
    at.text_input(key=FM.ex_axis_positive.key).input("care, patient").run()
    right = {
        "queen": ("monarch", exercises.check_closer_to_queen(wv, "monarch")),
        "aunt": ("uncle - he + she", exercises.check_top_result(wv, "uncle - he + she")),
        "axis": ("machine, technology -> care, patient",
                 exercises.check_opposite_sides(wv, "machine, technology", "care, patient")),
    }
    for name, (answer, feedback) in right.items():
        assert feedback.passed, name
        shown_verdict(name, answer, feedback)
    at.text_input(key=FM.ex_aunt.key).input("uncle - man +").run()
    unreadable = exercises.check_top_result(wv, "uncle - man +")
    with pytest.raises(ValueError) as caught:
        evaluate("uncle - man +", wv)
    assert not unreadable.passed and unreadable.message.endswith(str(caught.value))  # the parser's own message
    shown_verdict("aunt", "uncle - man +", unreadable)


# -- links -------------------------------------------------------------------------
def test_a_shared_link_reproduces_the_view() -> None:
    at = AppTest.from_file(DASHBOARD, default_timeout=120)
    at.query_params[FM.expression.key] = "walking - walk + swim"
    at.query_params[FM.x_negative.key] = "cheap"
    at.query_params[FM.x_positive.key] = "expensive"
    at.query_params[FM.map_method.key] = "PCA"
    at.query_params[FM.map_k.key] = "3"
    at.switch_page(PAGES["format_matters"])
    at.run()
    assert_no_exception(at)
    assert at.text_input(key=FM.expression.key).value == "walking - walk + swim"
    assert "1. swimming" in [y for t in chart(at, FM.neighbours_chart.key)["data"] for y in t["y"]]
    # The x-axis words came from the link, so the preset menu must not claim "gender: man -> woman".
    assert at.selectbox(key=FM.x_preset.key).value == "my own words"
    assert chart(at, FM.axes_chart.key)["layout"]["xaxis"]["title"]["text"] == "cheap \u2192 expensive"
    assert len([t for t in chart(at, FM.map_chart.key)["data"] if t["type"] == "scatter"]) == 3


# -- notes checked against the numbers they quote ------------------------------------------------


def test_the_input_words_note_quotes_the_best_ranked_input_from_its_table(wv: WordVectors) -> None:
    """It used to say the offset woman - man is small next to king (false: |woman - man| is about 1.3)."""
    at = open_fm(exclude_inputs=False)
    table = next(df.value for df in at.dataframe if "input word" in df.value.columns)
    best = table.sort_values("rank").iloc[0]
    ranking = encoding.rank_words(wv, evaluate("king - man + woman", wv).vector)
    rank, cosine = ranking.rank(best["input word"])
    assert (best["rank"], round(cosine, 3)) == (rank, best["cosine"]) == (1, best["cosine"])
    note = keyed_text(at, FM.input_ranks.key)
    assert f"'{best['input word']}'" in note
    np.testing.assert_allclose(numbers(note), [rank, cosine], atol=5e-4)  # "#1 (cosine 0.xxx)", nothing else


def test_the_axes_note_compares_the_toy_words_with_the_toy_plane_from_the_chart() -> None:
    """It used to claim that real vectors recover the toy plane; now it gives the gaps the chart shows."""
    at = open_fm()
    placed = next(df.value for df in at.dataframe if list(df.value.columns) == ["word", "x", "y"])
    spec = chart(at, FM.axes_chart.key)
    xs = np.concatenate([values(t["x"]) for t in spec["data"] if t.get("text") is not None])
    ys = np.concatenate([values(t["y"]) for t in spec["data"] if t.get("text") is not None])
    words = [w for t in spec["data"] if t.get("text") is not None for w in t["text"]]
    x, y = ({w: float(axis[i]) for i, w in enumerate(words)} for axis in (xs, ys))
    royalty = (y["king"] + y["queen"]) / 2 - (y["man"] + y["woman"]) / 2
    # The note quotes, in order: royalty's gap (toy plane: +1), queen - king and woman - man on x
    # (toy plane: -2), and male's +1.
    np.testing.assert_allclose(numbers(keyed_text(at, FM.axes_toy_check.key)),
                               [royalty, 1, x["queen"] - x["king"], x["woman"] - x["man"], -2, 1], atol=0.0051)
    assert set(placed["word"]) >= {"king", "queen", "man", "woman"}


def test_the_noise_notes_compare_a_step_towards_the_neighbour_with_the_random_direction(wv: WordVectors) -> None:
    at = open_fm()
    word = metric(at, "Decodes to")
    seed = at.session_state[FM.noise_seed.key]
    sweep = encoding.noise_sweep(wv, wv.vector(word), max_size=NOISE_MAX, n_steps=51, random_state=seed)
    toward = encoding.toward_neighbour(wv, wv.vector(word), word)
    assert sweep.breakpoint is not None and toward.flip < sweep.breakpoint  # the neighbour is the shorter way
    np.testing.assert_allclose(numbers(keyed_text(at, FM.noise_flip_note.key)), [sweep.breakpoint], atol=0.0051)
    note = keyed_text(at, FM.toward_note.key)
    assert f"'{toward.neighbour}'" in note
    np.testing.assert_allclose(numbers(note), [toward.flip, toward.distance, sweep.breakpoint], atol=0.0051)


def test_arithmetic_takeaway_states_this_analogys_own_numbers(page: AppTest, wv: WordVectors) -> None:
    unit = {w: wv.vector(w) / np.linalg.norm(wv.vector(w)) for w in ("king", "man", "woman", "queen")}
    step_a, step_b = unit["king"] - unit["man"], unit["queen"] - unit["woman"]
    cosine = float(step_a @ step_b / np.linalg.norm(step_a) / np.linalg.norm(step_b))
    assert cosine < 0.6  # the two steps are far from equal: a claim of "the same step" would be false
    takeaway = keyed_text(page, FM.arithmetic_takeaway.key)
    np.testing.assert_allclose(numbers(takeaway), [cosine], atol=0.0051)
    result = evaluate("king - man + woman", wv)
    ranking = encoding.rank_words(wv, result.vector)
    top = ranking.top(1, exclude=result.input_words)[0][0]
    assert takeaway.rstrip(".").endswith(top) and top == "queen"  # it names the nearest word, inputs left out
    # The note under the picture: the same cosine (1 = parallel), and the share of variance its plane keeps.
    neighbours = [w for w, _ in ranking.top(6, exclude=result.input_words)]
    picture = wordmap.analogy_map(wv, result.terms, result.vector, neighbours)
    quoted = numbers(keyed_text(page, FM.analogy_note.key))
    np.testing.assert_allclose(quoted[:2], [picture.offset_cosine, 1], atol=0.0051)  # to 2 decimals
    np.testing.assert_allclose(quoted[2:], [100 * picture.variance_kept], atol=0.51)  # a whole per cent
    assert picture.offset_cosine == pytest.approx(cosine)
