"""AppTest tests of the "Format matters" page: move each section's controls, check what is shown.

The word vectors stay loaded across tests (``st.cache_resource``), but
``st.cache_data`` is cleared before each test, so most tests start the Car-Land
map on PCA: t-SNE would otherwise be recomputed in every test. One test
switches it to t-SNE on purpose.
"""

from __future__ import annotations

import json

import numpy as np
import plotly.graph_objects as go
import pytest
from streamlit.testing.v1 import AppTest

from app_state import FM
from tests.apptest_utils import (
    DASHBOARD,
    PAGES,
    assert_charts_pass_plotlys_validators,
    assert_no_exception,
    chart,
    chart_keys,
    metric,
    table,
    texts,
    values,
)
from ui.editor import apply_editor_changes


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


def toy_takeaway(at: AppTest) -> str:
    """The toy plane's takeaway, the one line computed from the table's numbers."""
    return next(m.value for m in at.markdown if "king - man" in m.value and "midpoint" in m.value)


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
def test_noise_slider_eventually_changes_the_decoding() -> None:
    at = open_fm()
    at.slider(key=FM.noise.key).set_value(5.0).run()
    assert_no_exception(at)
    decoded = next(m for m in at.metric if m.label == "Decodes to")
    assert decoded.value != "cat" and "changed from 'cat'" in decoded.delta
    assert "now: 5.00" in json.dumps(chart(at, FM.noise_chart.key)["layout"]["annotations"])


def test_text_outside_the_vocabulary_is_flagged_and_empty_text_explained() -> None:
    at = open_fm()
    at.text_input(key=FM.encode_text.key).input("skateboarding").run()
    assert "'skateboarding'" in texts(at.info)  # named as built from word pieces
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
    warning = texts(at.warning)
    assert "Row 2: 'king' is already in the table" in warning
    assert "Row 3: the word is empty" in warning
    assert "Row 4 ('duke'): gender must be a number" in warning
    assert "Row 5 ('queen'): royalty must be a number" in warning
    # The menus fall back to words that are still on the plane.
    assert at.selectbox(key=FM.toy_b.key).value in ("king", "woman", "w0")
    points = chart(at, FM.toy_chart.key)["data"][0]["text"]
    assert len(points) == 50 and "duke" not in points


def test_an_empty_table_gets_a_message_not_an_error() -> None:
    at = open_fm(toy_table=[])
    assert len(at.info) >= 2  # one message for the plane, one for the one-hot section
    assert not {FM.toy_chart.key, FM.onehot_chart.key} & set(chart_keys(at))


def test_reset_restores_the_starter_table() -> None:
    at = open_fm(toy_table=[{"word": "duke", "gender": 1.0, "royalty": 0.5, "age": 0.0}])
    at.button(key=FM.toy_reset.key).click().run()
    assert [r["word"] for r in at.session_state[FM.toy_table.key]] == ["king", "queen", "man", "woman"]


def test_toy_takeaway_is_computed_from_the_table() -> None:
    at = open_fm()
    takeaway = toy_takeaway(at)
    assert "queen" in takeaway and "[0, 1]" in takeaway

    moved = [{"word": "king", "gender": 1.0, "royalty": 1.0, "age": 0.0},
             {"word": "queen", "gender": -1.0, "royalty": 2.0, "age": 0.0},
             {"word": "man", "gender": 1.0, "royalty": 0.0, "age": 0.0},
             {"word": "woman", "gender": -0.5, "royalty": 0.0, "age": 0.0}]
    at = open_fm(toy_table=moved)
    takeaway = toy_takeaway(at)
    # king - man + woman = (-0.5, 1): 1.5 from king, 1.12 from queen, 1.00 from woman (-0.5, 0).
    assert "[-0.5, 1]" in takeaway and "woman" in takeaway and "1.00" in takeaway
    assert "[0, 1.5]" in takeaway  # the midpoint of king and queen on this table

    at = open_fm(toy_table=moved[:3])  # no woman: the classic example cannot be computed on this table
    takeaway = toy_takeaway(at)
    assert "[0, 1]" in takeaway and "[0, 1.5]" not in takeaway  # computed on the starter table instead


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
    assert "[-1.00, 0.50]" in texts(at.caption)  # the embedding average


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


def test_a_quoted_phrase_is_encoded_and_flagged() -> None:
    at = open_fm()
    at.text_input(key=FM.expression.key).input('"ice cream" - cold + hot').run()
    assert_no_exception(at)
    assert "'\"ice cream\"'" in texts(at.info)
    assert chart(at, FM.neighbours_chart.key)["data"]


def test_parser_errors_show_a_message_with_the_position() -> None:
    at = open_fm()
    at.text_input(key=FM.expression.key).input("king - * woman").run()
    assert_no_exception(at)
    assert "position" in texts(at.error)
    at.text_input(key=FM.expression.key).input("king - king").run()
    assert "zero vector" in texts(at.error)


def test_words_outside_the_vocabulary_get_a_note_with_suggestions() -> None:
    at = open_fm()
    at.text_input(key=FM.expression.key).input("kingg - man + woman").run()
    assert_no_exception(at)
    note = texts(at.info)
    assert "'kingg'" in note and "did you mean" in note and "word pieces" in note


def test_expected_answer_outside_the_vocabulary_is_explained() -> None:
    at = open_fm()
    at.text_input(key=FM.expected.key).input("qqzx").run()
    assert "'qqzx'" in texts(at.warning)


def test_averages_list_neighbours_and_bound_the_input() -> None:
    at = open_fm()
    bars = chart(at, FM.average_chart.key)
    assert "pet" in " ".join(bars["data"][0]["y"])
    at.text_input(key=FM.average_words.key).input(", ".join(f"w{i}" for i in range(11))).run()
    assert "the limit is 10" in texts(at.error)


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
    assert "'skateboarding'" in texts(at.info)
    assert "professions" not in texts(at.error)


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
    assert "'skateboarding'" in texts(at.info)
    table = next(df.value for df in at.dataframe if "pair" in df.value.columns)
    assert "mercedes \u2013 rocket" in set(table["pair"])
    at.text_input(key=FM.map_extra.key).input(", ".join(f"w{i}" for i in range(11))).run()
    assert "the limit is 10" in texts(at.error)


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
def test_exercises_give_immediate_feedback() -> None:
    at = open_fm()
    at.text_input(key=FM.ex_queen.key).input("prince").run()
    assert "cos(prince, queen)" in texts(at.error)
    assert "Hint:" in texts(at.caption)
    at.text_input(key=FM.ex_queen.key).input("monarch").run()
    at.text_input(key=FM.ex_aunt.key).input("uncle - he + she").run()
    at.text_input(key=FM.ex_axis_negative.key).input("machine, technology")
    at.text_input(key=FM.ex_axis_positive.key).input("care, patient").run()
    successes = texts(at.success)
    assert "Yes: cos(monarch, queen)" in successes
    assert "Yes: the top result is aunt" in successes
    assert "opposite sides" in successes
    at.text_input(key=FM.ex_aunt.key).input("uncle - man +").run()
    assert "could not be read" in texts(at.error) and "position" in texts(at.error)


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


# -- sentences checked against the numbers they stand next to ------------------------------------


def test_the_input_words_note_quotes_the_best_ranked_input_from_its_table() -> None:
    """It used to say the offset woman - man is small next to king (false: |woman - man| is about 1.3)."""
    at = open_fm(exclude_inputs=False)
    table = next(df.value for df in at.dataframe if "input word" in df.value.columns)
    best = table.sort_values("rank").iloc[0]
    captions = texts(at.caption)
    assert f"'{best['input word']}' ranks #{int(best['rank']):,} (cosine {best['cosine']:.3f})" in captions
    assert "small next to" not in captions


def test_the_axes_note_compares_the_toy_words_with_the_toy_plane_from_the_chart() -> None:
    """It used to claim that real vectors recover the toy plane; now it gives the gaps the chart shows."""
    at = open_fm()
    placed = next(df.value for df in at.dataframe if list(df.value.columns) == ["word", "x", "y"])
    spec = chart(at, FM.axes_chart.key)
    xs = np.concatenate([values(t["x"]) for t in spec["data"] if t.get("text") is not None])
    ys = np.concatenate([values(t["y"]) for t in spec["data"] if t.get("text") is not None])
    words = [w for t in spec["data"] if t.get("text") is not None for w in t["text"]]
    at_ = {w: i for i, w in enumerate(words)}
    royalty = (ys[at_["king"]] + ys[at_["queen"]]) / 2 - (ys[at_["man"]] + ys[at_["woman"]]) / 2
    captions = texts(at.caption)
    assert f"king and queen sit {royalty:+.2f} above man and woman" in captions
    assert f"queen sits {xs[at_['queen']] - xs[at_['king']]:+.2f} from king" in captions
    assert set(placed["word"]) >= {"king", "queen", "man", "woman"}


def test_the_noise_note_compares_a_step_towards_the_neighbour_with_the_random_direction() -> None:
    from embedcore.encoding import toward_neighbour
    from ui.cache import word_vectors

    at = open_fm()
    wv = word_vectors()
    word = metric(at, "Decodes to")
    toward = toward_neighbour(wv, wv.vector(word), word)
    captions = texts(at.caption)
    assert f"towards its nearest neighbour '{toward.neighbour}', the decoding changes after a step of " \
           f"{toward.flip:.2f} at most" in captions
    assert "never tiny" not in captions


def test_arithmetic_takeaway_states_this_analogys_own_numbers(page: AppTest) -> None:
    from embedcore.wordvectors import load_word_vectors

    wv = load_word_vectors()
    unit = {w: wv.vector(w) / np.linalg.norm(wv.vector(w)) for w in ("king", "man", "woman", "queen")}
    step_a, step_b = unit["king"] - unit["man"], unit["queen"] - unit["woman"]
    cosine = float(step_a @ step_b / np.linalg.norm(step_a) / np.linalg.norm(step_b))
    assert cosine < 0.6  # the two steps are far from equal: a claim of "the same step" would be false
    (takeaway,) = [m.value for m in page.markdown if "Takeaway" in m.value and "leaving out the inputs" in m.value]
    assert f"(cosine {cosine:.2f})" in takeaway
    assert takeaway.rstrip(".").endswith("queen")
