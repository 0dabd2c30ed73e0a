"""Format matters: as vectors, concepts can be compared, added, subtracted and averaged.

The page reads as the lesson, one section per idea. Each section is a
fragment: moving one of its controls reruns only that section. The maths is
in ``embedcore`` (toyplane, encoding, wordaxes, wordmap, exercises); the
figures are in ``ui.format_matters_charts``; caching in
``ui.format_matters_cache``. Sections that use word vectors take them as a
parameter, so they work with any embedding that has the same interface.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import streamlit as st

import app_state
from app_state import FM
from embedcore import encoding, exercises, toyplane, userdata, wordaxes, wordlists, wordmap
from embedcore.expressions import evaluate
from embedcore.projection import METHODS
from ui import format_matters_cache as cache
from ui import format_matters_charts as charts
from ui import heavy, live_class, upload
from ui.cache import word_vectors
from ui.charts import PALETTE, add_regions, show_chart
from ui.editor import apply_editor_changes
from ui.layout import page_header
from ui.text import md

app_state.init_page(FM)

page_header(
    "Format matters",
    """This lesson shows why a float vector is such a useful format for information. Vectors can be **compared**, **added**, **subtracted** and **averaged**, so concepts become something we can compute with. We start on a hand-made plane where x is gender and y is royalty, add a third axis, then move to real pretrained word vectors (king - man + woman = ?), axes made of words, and a map of cars where similar things sit close together.""",
)

CUSTOM = "my own words"
SIGNS = {"+": "+ add", "-": "\u2212 subtract", "(none)": "stop here"}
MAX_MAP_WORDS = 10
VOCAB = "20,000-word vocabulary"


def takeaway(text: str) -> None:
    st.markdown(f":material/lightbulb: **Takeaway.** {text}")


def pieces_note(words: list[str], suggestions: dict[str, list[str]] | None = None) -> None:
    """Say which words are outside the vocabulary and were built from word pieces."""
    if not words:
        return
    parts = []
    for word in words:
        close = (suggestions or {}).get(word) or []
        parts.append(f"'{md(word)}'" + (f" (did you mean {md(', '.join(close))}?)" if close else ""))
    st.info(
        f"{', '.join(parts)} {'is' if len(words) == 1 else 'are'} not in the {VOCAB}, so "
        f"{'it was' if len(words) == 1 else 'they were'} encoded from word pieces.",
        icon=":material/extension:",
    )


def neighbour_table(pairs: list[tuple[str, float]], inputs: list[str] = ()) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "rank": range(1, len(pairs) + 1),
            "word": [w for w, _ in pairs],
            "cosine similarity": [round(c, 4) for _, c in pairs],
            "input word": [w in inputs for w, _ in pairs],
        }
    )


# --------------------------------------------------------------------------
# 0. Encode and decode
# --------------------------------------------------------------------------
@st.fragment
def encode_decode_section(wv) -> None:
    st.header("0. Encode and decode")
    if upload.is_upload(wv):
        st.markdown(
            "An embedding is a float vector **plus** a way to encode into it and decode out of it. Your upload "
            "has vectors but no encoder, so type one of its labels: its "
            f"{wv.dim:,} numbers are the colour strip, **decoded** back to the nearest labels. The noise slider "
            "pushes the vector in a random direction: how far can it move before it decodes to a different label?"
        )
    else:
        st.markdown(
            "An embedding is a float vector **plus** a way to encode into it and decode out of it. "
            f"Type a word or a phrase: it is **encoded** to {wv.dim:,} numbers (the colour strip), then "
            "**decoded** back to the nearest words. The noise slider pushes the vector in a random direction: "
            "how far can it move before it decodes to a different word?"
        )
    left, middle, right = st.columns([2, 3, 2])
    text = left.text_input("A word or phrase", max_chars=encoding.MAX_TEXT_LENGTH, **FM.encode_text.widget)
    noise = middle.slider(
        "Noise (1 = as long as the vector itself)", 0.0, cache.NOISE_MAX, step=0.05, **FM.noise.widget
    )
    # Seeds are sliders, not number boxes: they ride in shared links, and Streamlit 1.67's number
    # box crashes on a link value of "inf" (sliders drop it).
    seed = right.slider("Noise direction", 0, 999, help="A seed: each number is one random direction.",
                        **FM.noise_seed.widget)
    try:
        trip = encoding.round_trip(wv, text, noise, int(seed), k=5)
    except ValueError as error:
        st.error(md(error))
        return
    if not trip.in_vocab:
        pieces_note([trip.text])
    sweep = cache.noise_sweep(wv, cache.wv_key(wv), trip.text, int(seed))

    show_chart(
        charts.vector_strip(np.vstack([trip.vector, trip.noisy]), [f"'{trip.text}'", f"+ noise {noise:.2f}"]),
        key=FM.strip_chart.key, height=210, name="vector",
        data=pd.DataFrame({"dimension": range(trip.vector.size), "clean": trip.vector, "noisy": trip.noisy}),
    )
    numbers, clean, noisy = st.columns([2, 2, 2])
    with numbers:
        st.markdown(f"**The first {min(8, wv.dim)} of its {wv.dim:,} numbers**")
        st.dataframe(
            pd.DataFrame({"dimension": range(min(8, wv.dim)), "clean": trip.vector[:8].round(3),
                          "noisy": trip.noisy[:8].round(3)}),
            hide_index=True,
        )
    with clean:
        st.markdown("**Decoded (no noise)**")
        st.dataframe(neighbour_table(trip.decoded).drop(columns="input word"), hide_index=True)
    with noisy:
        st.markdown(f"**Decoded with noise {noise:.2f}**")
        st.dataframe(neighbour_table(trip.decoded_noisy).drop(columns="input word"), hide_index=True)

    same = trip.decoded_noisy[0][0] == trip.decoded[0][0]
    st.metric(
        "Decodes to", md(trip.decoded_noisy[0][0]),
        delta="same as without noise" if same else f"changed from '{md(trip.decoded[0][0])}'",
        delta_color="normal" if same else "inverse",
    )
    show_chart(
        charts.noise_chart(sweep, noise), key=FM.noise_chart.key, height=340, name="noise-sweep",
        data=pd.DataFrame({"noise": sweep.sizes, f"cosine with '{sweep.word}'": sweep.word_cosines,
                           "best other word": sweep.rivals, "its cosine": sweep.rival_cosines,
                           "decoded word": sweep.top_words}),
    )
    if sweep.breakpoint is None:
        st.caption(f"In this direction '{md(sweep.word)}' stays the nearest word up to noise {cache.NOISE_MAX:.0f}.")
    else:
        after = sweep.top_words[int(np.searchsorted(sweep.sizes, sweep.breakpoint))]
        st.caption(
            f"In this direction '{md(sweep.word)}' stays the nearest word up to noise **{sweep.breakpoint:.2f}**, "
            f"where '{md(after)}' overtakes it."
        )
    if sweep.word in wv:
        toward = encoding.toward_neighbour(wv, wv.vector(sweep.word), sweep.word)
        random_flip = f"{sweep.breakpoint:.2f}" if sweep.breakpoint is not None else f"more than {cache.NOISE_MAX:.0f}"
        st.caption(
            f"Straight towards its nearest neighbour '{md(toward.neighbour)}', the decoding changes after a step "
            f"of {toward.flip:.2f} at most (half the gap of {toward.distance:.2f} between the two), against "
            f"{random_flip} in the random direction above."
        )
    takeaway(
        "In a random direction a word's vector has room around it: in many dimensions a random step points "
        "away from every other word, so nearby points still decode to the same word. A step *towards* a "
        "neighbouring word is different: past half the gap between the two, the point decodes as the neighbour."
    )


# --------------------------------------------------------------------------
# 1. Concepts as coordinates (the toy plane)
# --------------------------------------------------------------------------
def _save_toy_edits(editor_key: str) -> None:
    """Fold the editor's edits into the stored table, then start a fresh editor."""
    state = st.session_state
    state[FM.toy_table.key] = apply_editor_changes(state[FM.toy_table.key], state.get(editor_key) or {})
    state[FM.toy_version.key] += 1
    state[FM.toy_changed.key] = True


def _toy_editor_frame(rows: list[dict]) -> pd.DataFrame:
    frame = pd.DataFrame(rows, columns=["word", "gender", "royalty", "age"])
    for column in ("gender", "royalty", "age"):
        # A cell that is not a number shows empty; the problem is reported below the table.
        frame[column] = pd.to_numeric(frame[column], errors="coerce")
    frame["word"] = frame["word"].astype("string")
    return frame


def _keep_choice(setting: app_state.Setting, names: tuple[str, ...], fallback: int) -> None:
    """If a word chosen in a menu was deleted from the table, choose another one."""
    state = st.session_state
    if state.get(setting.key) not in names:
        state[setting.key] = names[min(fallback, len(names) - 1)]


def toy_plane_from_table(three_d: bool) -> tuple[toyplane.ToyPlane, list[str]]:
    """The plane built from the session's table (2-D), or with age and the age words (3-D)."""
    rows = [[r.get("word"), r.get("gender"), r.get("royalty"), r.get("age")] for r in st.session_state[FM.toy_table.key]]
    if not three_d:
        return toyplane.clean_table(rows, toyplane.AXES_2D)
    plane, problems = toyplane.clean_table(rows, toyplane.AXES_3D, empty_is_zero=("age",))
    return plane.with_words((w, (g, r, a)) for w, g, r, a in toyplane.AGE_WORDS), problems


@st.fragment
def toy_plane_section() -> None:
    st.header("1. Concepts as coordinates")
    st.markdown(
        "Here is an embedding made by hand. Each axis **is** a concept: x is gender (+1 male, -1 female) "
        "and y is royal status (1 royal, 0 not). Edit the table to add, move or delete words, then "
        "compute with them."
    )
    if st.session_state[FM.toy_changed.key]:
        # The one-hot section below shows the same words: redraw the whole page once.
        st.session_state[FM.toy_changed.key] = False
        st.rerun()
    three_d = st.toggle("Add a third axis: **age** (-1 child, 0 adult, +1 old)", **FM.toy_3d.widget)
    table, controls = st.columns([2, 3])
    with table:
        editor_key = FM.toy_editor.at(st.session_state[FM.toy_version.key])
        # The container's key only names it for the browser test (CSS class st-key-fm-toy-table).
        st.container(key=FM.toy_table_box.key).data_editor(
            _toy_editor_frame(st.session_state[FM.toy_table.key]),
            key=editor_key,
            num_rows="dynamic",
            hide_index=True,
            column_order=("word", "gender", "royalty", "age") if three_d else ("word", "gender", "royalty"),
            column_config={
                "word": st.column_config.TextColumn("word", max_chars=toyplane.MAX_NAME_LENGTH),
                "gender": st.column_config.NumberColumn("gender (x)", min_value=-5.0, max_value=5.0, step=0.1),
                "royalty": st.column_config.NumberColumn("royalty (y)", min_value=-5.0, max_value=5.0, step=0.1),
                "age": st.column_config.NumberColumn("age (z)", min_value=-5.0, max_value=5.0, step=0.1),
            },
            on_change=_save_toy_edits,
            args=(editor_key,),
        )
        if st.button("Reset the table", key=FM.toy_reset.key, icon=":material/restart_alt:"):
            st.session_state[FM.toy_table.key] = FM.toy_table.factory()
            st.session_state[FM.toy_version.key] += 1
            st.rerun()
        st.caption(f"Up to {toyplane.MAX_WORDS} words." + (" With age on, boy, girl, prince, princess and "
                   "the old ones join the table's words." if three_d else ""))
    plane, problems = toy_plane_from_table(three_d)
    if problems:
        with table:
            st.warning("Some rows are left out:\n\n" + "\n".join(f"- {md(p)}" for p in problems[:8]))
    if len(plane) == 0:
        st.info("The table has no usable words. Add a word with numbers for its coordinates, or reset the table.")
        return
    names = plane.names

    with controls:
        operation = st.radio("Operation", ["Add and subtract", "Average", "Compare"], horizontal=True,
                             **FM.toy_op.widget)
        if operation == "Add and subtract":
            for setting, fallback in ((FM.toy_a, 0), (FM.toy_b, 2), (FM.toy_c, 3)):
                _keep_choice(setting, names, fallback)
            a, sb, b = st.columns([3, 2, 3])
            sc, c, _ = st.columns([2, 3, 3])
            first = a.selectbox("Start with", names, **FM.toy_a.widget)
            sign_b = sb.selectbox("then", ["+", "-"], format_func=SIGNS.get, **FM.toy_sign_b.widget)
            second = b.selectbox("the word", names, **FM.toy_b.widget)
            sign_c = sc.selectbox("then", ["+", "-", "(none)"], format_func=SIGNS.get, **FM.toy_sign_c.widget)
            third = c.selectbox("the word ", names, disabled=sign_c == "(none)", **FM.toy_c.widget)
            terms = [(1.0, first), (1.0 if sign_b == "+" else -1.0, second)]
            if sign_c != "(none)":
                terms.append((1.0 if sign_c == "+" else -1.0, third))
            label = " ".join([first] + [f"{'+' if w > 0 else '-'} {word}" for w, word in terms[1:]])
            result = toyplane.arithmetic(plane, terms)
            colours = [PALETTE[1], PALETTE[2], PALETTE[3]]
            arrows = [(result.path[i], result.path[i + 1], colours[i]) for i in range(len(terms))]
            highlight = [w for _, w in terms]
        elif operation == "Average":
            state = st.session_state
            state[FM.toy_average.key] = [w for w in state.get(FM.toy_average.key, []) if w in names]
            chosen = st.multiselect("Words to average", names, max_selections=10, **FM.toy_average.widget)
            if not chosen:
                st.info("Choose at least one word to average.")
                return
            label = f"mean({', '.join(chosen)})"
            result = toyplane.midpoint(plane, chosen)
            arrows = [(p, result.point, PALETTE[8]) for p in result.path]
            highlight = chosen
        else:
            _keep_choice(FM.toy_compare_a, names, 0)
            _keep_choice(FM.toy_compare_b, names, 1)
            a, b = st.columns(2)
            first = a.selectbox("Compare", names, **FM.toy_compare_a.widget)
            second = b.selectbox("with", names, **FM.toy_compare_b.widget)
            comparison = toyplane.compare(plane.vector(first), plane.vector(second))
            origin = np.zeros(len(plane.axes))
            arrows = [(origin, plane.vector(first), PALETTE[1]), (origin, plane.vector(second), PALETTE[2])]
            highlight, result, label = [first, second], None, ""

        if result is not None:
            nearest, distance = result.nearest[0]
            coords = ", ".join(f"{v:.2f}" for v in result.point)
            st.markdown(f"**{md(label)}** = [{coords}]  \nNearest word: **{md(nearest)}** (distance {distance:.2f})")
            st.dataframe(
                pd.DataFrame(result.nearest, columns=["nearest word", "distance"]).round(3), hide_index=True
            )
        else:
            one, two = st.columns(2)
            one.metric("Euclidean distance", f"{comparison.distance:.2f}", help="0 = the same point")
            two.metric(
                "Cosine similarity",
                "undefined" if np.isnan(comparison.cosine) else f"{comparison.cosine:.2f}",
                help="1 = same direction, 0 = at right angles, -1 = opposite. The origin has no direction.",
            )

    point_table = pd.DataFrame(plane.coords, columns=list(plane.axes)).assign(word=list(names))
    if three_d:
        fig = charts.toy_space_3d(names, plane.coords, path=result.path if result is not None and
                                  operation == "Add and subtract" else None,
                                  result=result.point if result is not None else None, result_label=label)
    else:
        fig = charts.toy_plane(names, plane.coords, arrows=arrows, highlight=highlight,
                               result=result.point if result is not None else None, result_label=label)
    show_chart(fig, key=FM.toy_chart.key, data=point_table, name="toy-plane", height=520)
    takeaway(_toy_takeaway(plane, three_d))


def _point_text(point: np.ndarray) -> str:
    # + 0.0 turns -0.0 into 0.0, so a coordinate never reads "-0".
    return "[" + ", ".join(f"{round(float(v), 2) + 0.0:g}" for v in point) + "]"


def _toy_takeaway(plane: toyplane.ToyPlane, three_d: bool) -> str:
    """The classic results, computed on the student's table (or the starter table if a word is gone)."""
    classic = ("king", "man", "woman", "queen")
    if all(word in plane for word in classic):
        where = "On your table"
    else:
        plane, where = toyplane.starter_plane(three_d), "With the starter table"
    analogy = toyplane.arithmetic(plane, [(1.0, "king"), (-1.0, "man"), (1.0, "woman")])
    nearest, distance = analogy.nearest[0]
    lands = (f"lands exactly on {md(nearest)}" if distance < 1e-9 else
             f"lands at {_point_text(analogy.point)}, nearest to {md(nearest)} (distance {distance:.2f})")
    middle = toyplane.midpoint(plane, ["king", "queen"]).point
    meaning = ": royal, neither male nor female" if np.allclose(middle[:2], [0.0, 1.0]) else ""
    return (f"{where}, king - man + woman {lands}, and the midpoint of king and queen is "
            f"{_point_text(middle)}{meaning}. Each new axis (age) lets the same arithmetic express a new idea.")


# --------------------------------------------------------------------------
# 2. Why not one-hot?
# --------------------------------------------------------------------------
@st.fragment
def one_hot_section() -> None:
    st.header("2. Why not one-hot?")
    st.markdown(
        "A one-hot code gives each word its own column: a 1 there and 0 everywhere else. It tells words "
        "apart, and nothing more. Here are the words of your table in both formats."
    )
    plane, _ = toy_plane_from_table(False)
    if len(plane) < 2:
        st.info("Add at least two words to the table above.")
        return
    names = plane.names
    state = st.session_state
    state[FM.onehot_pair.key] = [w for w in state.get(FM.onehot_pair.key, []) if w in names][:2]
    pair = st.multiselect("Average two words", names, max_selections=2, **FM.onehot_pair.widget)
    if len(pair) < 2:
        pair = list(names[:2])
        st.caption(f"Using {md(pair[0])} and {md(pair[1])}; choose two words to change them.")
    formats = toyplane.compare_formats(plane, pair[0], pair[1])

    codes, embedded = st.columns(2)
    with codes:
        st.markdown("**One-hot**")
        st.dataframe(pd.DataFrame(formats.one_hot.astype(int), index=pd.Index(names, name="word"), columns=list(names)))
    with embedded:
        st.markdown("**Embedding (the toy plane)**")
        st.dataframe(pd.DataFrame(plane.coords, index=pd.Index(names, name="word"), columns=list(plane.axes)))
    zmax = float(max(formats.one_hot_distances.max(), formats.embedding_distances.max()))
    left, right = st.columns(2)
    with left:
        show_chart(charts.distance_heatmap(names, formats.one_hot_distances, "One-hot: distances", zmax),
                   key=FM.onehot_chart.key, name="one-hot-distances",
                   data=pd.DataFrame(formats.one_hot_distances, index=list(names), columns=list(names)).reset_index())
    with right:
        show_chart(charts.distance_heatmap(names, formats.embedding_distances, "Embedding: distances", zmax),
                   key=FM.embedded_chart.key, name="embedding-distances",
                   data=pd.DataFrame(formats.embedding_distances, index=list(names), columns=list(names)).reset_index())

    st.markdown(f"**The average of {md(pair[0])} and {md(pair[1])}**, and how far it is from every word:")
    averages = pd.DataFrame(
        {
            "word": list(names),
            "distance (one-hot)": formats.one_hot_average.distances.round(3),
            "distance (embedding)": formats.embedding_average.distances.round(3),
        }
    )
    point = ", ".join(f"{v:.2f}" for v in formats.embedding_average.point)
    st.dataframe(averages, hide_index=True)
    st.caption(
        f"One-hot average: 0.5 in two columns, equally close to {md(pair[0])} and {md(pair[1])} and equally far from "
        f"everything else. Embedding average: [{point}], a point with a meaning of its own."
    )
    takeaway(
        "The information is the same in both formats, but the format decides what you can do with it: "
        "in one-hot every pair of words is equally far apart (\u221a2), so distance and averages mean nothing."
    )


# --------------------------------------------------------------------------
# 3. Word arithmetic on real vectors
# --------------------------------------------------------------------------
def _use_analogy() -> None:
    analogy = wordlists.analogy_menu().get(st.session_state[FM.analogy.key])
    if analogy is not None:
        st.session_state[FM.expression.key] = analogy.expression
        st.session_state[FM.expected.key] = analogy.expected
    # Clear the menu, so picking the same analogy again (after editing the expression) works too.
    st.session_state[FM.analogy.key] = None


@st.fragment
def arithmetic_section(wv) -> None:
    st.header("3. Word arithmetic on real vectors")
    if upload.is_upload(wv):
        st.markdown(
            f"Your upload: {len(wv.words):,} labels, each a {wv.dim:,}-number vector. Type an expression "
            "with `+`, `-`, numbers (`0.5*a`) and `mean(...)`, using the upload's own labels; put a label with "
            "spaces or digits in quotes (`\"row 1\"`). The answer is the label whose vector points most nearly "
            "the same way (highest cosine similarity)."
        )
    else:
        st.markdown(
            f"Now the real thing: {len(wv.words):,} English words, each a {wv.dim:,}-number vector "
            "learned from text (nobody chose the axes). Type an expression with `+`, `-`, numbers (`0.5*king`) "
            "and `mean(...)`; put a phrase in quotes (`\"ice cream\" - cold + hot`). Or pick a classic analogy. "
            "The answer is the word whose vector points most nearly "
            "the same way (highest cosine similarity)."
        )
    menu, expected_col = st.columns([3, 1])
    if not upload.is_upload(wv):  # the classic analogies are English words
        menu.selectbox("Classic analogies", list(wordlists.analogy_menu()), on_change=_use_analogy,
                       placeholder="Pick one to fill in the expression: capitals, gender, plurals, tenses, "
                       "comparatives", **FM.analogy.widget)
    expected = expected_col.text_input("Expected answer (optional)", max_chars=30, **FM.expected.widget)
    text = st.text_input("Expression", placeholder="king - man + woman", max_chars=200, **FM.expression.widget)
    exclude = st.toggle("Exclude the input words from the results", **FM.exclude_inputs.widget)
    try:
        result = evaluate(text, wv)
    except ValueError as error:
        st.error(f"**Cannot compute this expression:** {md(error)}", icon=":material/error:")
        return
    pieces_note(result.oov_words, result.suggestions)
    inputs = upload.as_labels(wv, [t for _, t in result.terms]) if upload.is_upload(wv) else result.input_words
    ranking = encoding.rank_words(wv, result.vector)  # one pass over the vocabulary serves every list below
    neighbours = ranking.top(10, exclude=inputs if exclude else ())

    chart, side = st.columns([3, 2])
    with chart:
        show_chart(
            charts.neighbour_bars([w for w, _ in neighbours], [c for _, c in neighbours], inputs=inputs,
                                  expected=upload.as_labels(wv, [" ".join(expected.split()).lower()])[0]),
            key=FM.neighbours_chart.key, data=neighbour_table(neighbours, inputs), name="neighbours",
        )
    with side:
        expected = " ".join(expected.split()).lower()
        if expected:
            if expected in wv:
                expected = upload.as_labels(wv, [expected])[0]
                rank, cosine = ranking.rank(expected, exclude=inputs if exclude else ())
                st.metric(f"Rank of '{md(expected)}'", f"#{rank:,}", help="1 = the top result")
                st.metric(f"Cosine similarity of '{md(expected)}'", f"{cosine:.3f}")
                if exclude and expected in inputs:
                    st.caption(f"'{md(expected)}' is an input word; it is ranked here although the list hides inputs.")
            else:
                st.warning(f"'{md(expected)}' is not in {upload.set_name(wv)}, so it cannot be ranked.")
        if not exclude and inputs:
            st.markdown("**Where the input words rank**")
            ranks = [(w, *ranking.rank(w)) for w in inputs]
            st.dataframe(pd.DataFrame(ranks, columns=["input word", "rank", "cosine"]).round(3), hide_index=True)
            best_word, best_rank, best_cosine = min(ranks, key=lambda r: r[1])
            st.caption(
                f"Honest answer: the input words are often the nearest of all - here '{md(best_word)}' ranks "
                f"#{best_rank:,} (cosine {best_cosine:.3f}) to the computed point. Adding and subtracting moves "
                "the point away from its start word, but not all the way, which is why analogy tools hide the "
                "inputs."
            )

    st.markdown("**The analogy as a picture.** The input words, the result and its neighbours, on the PCA plane "
                "fitted to the analogy's own words.")
    picture = wordmap.analogy_map(wv, result.terms, result.vector, [w for w, _ in ranking.top(6, exclude=inputs)],
                                  label="\u2605 " + " ".join(text.split())[:40])
    show_chart(
        charts.analogy_picture(picture.words, picture.coords, picture.roles, picture.arrows),
        key=FM.analogy_chart.key, name="analogy-map",
        data=pd.DataFrame({"word": picture.words, "role": picture.roles,
                           "pca_1": picture.coords[:, 0], "pca_2": picture.coords[:, 1]}),
    )
    if picture.offset_cosine is not None:
        (b, a), (c, d), _ = picture.arrows
        st.caption(
            f"Coloured arrows: {md(picture.words[b])} \u2192 {md(picture.words[a])} and {md(picture.words[c])} \u2192 "
            f"{md(picture.words[d])}. The grey arrow is the same step as {md(picture.words[b])} \u2192 "
            f"{md(picture.words[a])}, taken from {md(picture.words[c])}: it ends at the computed point \u2605. "
            "In the full space the two "
            f"coloured offsets have cosine {picture.offset_cosine:.2f} (1 = exactly parallel), so the analogy "
            f"is only roughly a parallelogram. The answer is the word whose *direction* is closest to \u2605's "
            "(cosine ignores length), not the nearest point in this picture. This plane keeps "
            f"{picture.variance_kept:.0%} of the variance of the four words it was fitted on."
        )
    if upload.is_upload(wv):
        takeaway("If your vectors carry meaning in their directions, the same step between two pairs of labels "
                 "shows up as roughly parallel arrows, and arithmetic lands near a sensible answer.")
    else:
        takeaway("Directions in the space carry meaning: the step from man to king is roughly the step from "
                 "woman to queen, so adding it to woman lands near queen.")


@st.fragment
def averages_section(wv) -> None:
    st.markdown("### Averages")
    st.markdown("The mean of several vectors is a vector too. Which words sit near the middle of these?")
    text = st.text_input("Words to average (separate with commas)", max_chars=300, **FM.average_words.widget)
    try:
        words = upload.as_labels(wv, wordlists.parse_word_list(text, max_words=10))
        mean = encoding.average(wv, words, k=10)
    except ValueError as error:
        st.error(md(error))
        return
    pieces_note(mean.encoded.out_of_vocab)
    show_chart(
        charts.neighbour_bars([w for w, _ in mean.neighbours], [c for _, c in mean.neighbours]),
        key=FM.average_chart.key, data=neighbour_table(mean.neighbours), name="average-neighbours",
    )
    st.caption(f"mean({md(', '.join(words))}): nearest words, the inputs left out.")


# --------------------------------------------------------------------------
# 4. Axes made of words
# --------------------------------------------------------------------------
AXIS_SETTINGS = {
    "x": (FM.x_preset, FM.x_negative, FM.x_positive),
    "y": (FM.y_preset, FM.y_negative, FM.y_positive),
}


def _use_axis_preset(axis: str) -> None:
    preset_setting, negative, positive = AXIS_SETTINGS[axis]
    preset = wordlists.AXIS_PRESETS.get(st.session_state[preset_setting.key])
    if preset is not None:
        st.session_state[negative.key] = ", ".join(preset.negative)
        st.session_state[positive.key] = ", ".join(preset.positive)


def _axis_typed(axis: str) -> None:
    st.session_state[AXIS_SETTINGS[axis][0].key] = CUSTOM


def axis_controls(axis: str, title: str) -> tuple[list[str], list[str]]:
    """A preset menu and the two ends of one axis; returns the parsed word lists."""
    preset, negative, positive = AXIS_SETTINGS[axis]
    st.markdown(f"**{title}**")
    state = st.session_state
    chosen = wordlists.AXIS_PRESETS.get(state.get(preset.key))
    # The words as they will be drawn: a link's value (bound widgets read it when drawn) or the session's.
    words = tuple(st.query_params.get(end.key, state.get(end.key)) for end in (negative, positive))
    if chosen is not None and words != (", ".join(chosen.negative), ", ".join(chosen.positive)):
        state[preset.key] = CUSTOM  # e.g. a shared link with its own axis words: don't show a wrong preset
    st.selectbox("Preset", [*wordlists.AXIS_PRESETS, CUSTOM], on_change=_use_axis_preset, args=(axis,),
                 **preset.widget)
    low, high = st.columns(2)
    low_text = low.text_input("from (-1)", max_chars=200, on_change=_axis_typed, args=(axis,), **negative.widget)
    high_text = high.text_input("to (+1)", max_chars=200, on_change=_axis_typed, args=(axis,), **positive.widget)
    return (wordlists.parse_word_list(low_text, max_words=10), wordlists.parse_word_list(high_text, max_words=10))


@st.fragment
def axes_section(wv) -> None:
    st.header("4. Axes made of words")
    st.markdown(
        "Instead of letting a projection choose the axes, **name them**. An axis runs from the mean vector "
        "of some words to the mean vector of others; every word then gets a coordinate along it "
        "(-1 = as far as the 'from' words, +1 = as far as the 'to' words). With a gender axis and a royalty "
        "axis you can check how much of the toy plane of section 1 the real vectors reproduce: the numbers "
        "under the chart compare."
    )
    x_col, y_col = st.columns(2)
    try:
        with x_col:
            x_words = axis_controls("x", "x-axis")
        with y_col:
            y_words = axis_controls("y", "y-axis")
    except ValueError as error:
        st.error(f"An axis needs words at both ends: {md(error)}")
        return
    choice = st.selectbox("Words to place", [*wordlists.WORD_LIST_PRESETS, CUSTOM], **FM.word_list.widget)
    try:
        if choice == CUSTOM:
            words = wordlists.parse_word_list(
                st.text_area("Your words (separate with commas)", max_chars=600, **FM.own_words.widget),
                max_words=wordlists.MAX_LIST_WORDS,
            )
        else:
            words = list(wordlists.WORD_LIST_PRESETS[choice])
        x_axis = wordaxes.make_axis(wv, *(upload.as_labels(wv, end) for end in x_words))
        y_axis = wordaxes.make_axis(wv, *(upload.as_labels(wv, end) for end in y_words))
        placed = wordaxes.project_words(wv, upload.as_labels(wv, words), x_axis, y_axis)
    except ValueError as error:
        st.error(md(error))
        return
    pieces_note(list(dict.fromkeys(x_axis.out_of_vocab + y_axis.out_of_vocab
                                   + tuple(w for w, k in zip(placed.words, placed.in_vocab) if not k))))

    chart, numbers = st.columns([3, 1])
    with chart:
        show_chart(
            charts.axis_map(placed.words, placed.coords, placed.in_vocab, x_axis.label, y_axis.label),
            key=FM.axes_chart.key, name="word-axes",
            data=pd.DataFrame({"word": placed.words, "x": placed.coords[:, 0], "y": placed.coords[:, 1]}),
        )
    with numbers:
        angle = wordaxes.axis_angle(x_axis, y_axis)
        st.metric("Cosine between the axes", f"{placed.axis_cosine:.2f}", help="0 = independent (at right angles)")
        st.caption(f"The two axes are {angle:.0f}\u00b0 apart; on the toy plane they were exactly 90\u00b0.")
        st.dataframe(
            pd.DataFrame({"word": placed.words, "x": placed.coords[:, 0].round(2),
                          "y": placed.coords[:, 1].round(2)}),
            hide_index=True, height=360,
        )

    check = wordaxes.toy_plane_check(placed)
    if check is not None:
        # Said from the numbers: real vectors keep some of the toy plane, not all of it.
        st.caption(
            f"Against the toy plane: king and queen sit {check.royalty_gap:+.2f} above man and woman on the "
            f"y-axis (toy plane: +1), queen sits {check.gender_gap_royal:+.2f} from king and woman "
            f"{check.gender_gap_common:+.2f} from man on the x-axis (toy plane: -2 each, where male is +1; an "
            "axis from man to woman flips the sign). Real vectors keep the directions only partly: every word "
            "also carries meaning the two axes do not show."
        )

    st.markdown("### A note on bias")
    if upload.is_upload(wv):
        st.caption(":material/info: This note is about English job titles, so it uses the bundled word vectors.")
        wv = word_vectors()
    professions, scores, label = cache.profession_bias(wv, cache.wv_key(wv))
    st.markdown(
        "Place job titles on a gender axis (several he/she word pairs averaged) and they spread out: "
        "nothing in the word *nurse* or *carpenter* is male or female, yet the vectors lean one way. "
        "Embeddings learn this from their training text, which reflects who was written about in which "
        "job. Whatever a model learns from such vectors, it can learn the stereotype too."
    )
    show_chart(charts.bias_bars(professions, scores, label), key=FM.bias_chart.key, name="profession-bias",
               data=pd.DataFrame({"profession": professions, "gender axis": scores}))
    takeaway("Differences between word vectors are directions you can name, measure and reuse - including "
             "directions nobody meant to put there.")


# --------------------------------------------------------------------------
# 5. Car-Land
# --------------------------------------------------------------------------
@heavy.section
def car_land_section(wv) -> None:
    uploaded = upload.is_upload(wv)
    if uploaded:
        st.header("5. A map of your upload: where similar things sit close")
        st.markdown(
            "The first labels of your upload, drawn as a 2-D map. The colours are groups found by k-means, "
            "and the shading shows which group owns each part of the map. Find the groups **on the map** (the "
            "blobs you see) or **in the full space** (what the vectors say, wherever the map puts the labels)."
        )
    else:
        st.header("5. Car-Land: a map where similar things sit close")
        st.markdown(
            f"{len(wordlists.CAR_LAND)} vehicle words, embedded with the real vectors and drawn as a 2-D map. "
            "The colours are groups found by k-means, and the shading shows which group owns each part of the "
            "map. Find the groups **on the map** (the blobs you see) or **in the full space** (what the "
            f"{wv.dim:,} numbers say, wherever the map puts the words). Hover over a point to see its group."
        )
    method_col, groups_col, k_col, seed_col = st.columns([2, 3, 3, 2])
    method = method_col.radio("Map", ["PCA", "t-SNE"], horizontal=True, **FM.map_method.widget)
    groups = groups_col.radio("Find groups", ["on the map", "in the full space"], horizontal=True,
                              **FM.map_groups.widget)
    k = k_col.slider("Groups (k)", 2, 8, **FM.map_k.widget)
    seed = seed_col.slider("Seed", *FM.map_seed.bounds, **FM.map_seed.widget)
    if uploaded:
        n_first = st.slider("How many of your labels (from the top of the file)", 3, 150,
                            **FM.upload_map_words.widget)
        base = wv.words[: int(n_first)]
        placeholder = "labels of your upload further down the file"
    else:
        base, placeholder = list(wordlists.CAR_LAND), "e.g. skateboard, rocket, horse"
    extra_text = st.text_input(f"Add your own words (up to {MAX_MAP_WORDS}, separated by commas)",
                               placeholder=placeholder, max_chars=300, **FM.map_extra.widget)
    own: list[str] = []
    if extra_text.strip():
        try:
            own = upload.as_labels(wv, wordlists.parse_word_list(extra_text, max_words=MAX_MAP_WORDS))
        except ValueError as error:
            st.error(md(error))
    words = tuple(dict.fromkeys([*base, *own]))
    if int(k) > len(words):
        st.caption(f"{len(words)} words make at most {len(words)} groups, so k = {len(words)} here.")
    try:
        built, (xs, ys, z), projected = cache.word_map(
            wv, cache.wv_key(wv), words, "tsne" if method == "t-SNE" else "pca", min(int(k), len(words)), int(seed),
            "map" if groups == "on the map" else "space")
    except ValueError as error:
        st.error(md(error))
        return
    if projected.note:
        # t-SNE could not spread these points (e.g. an upload whose rows all point one way): PCA stands in.
        st.info(projected.note, icon=":material/info:")
        method = METHODS[projected.method]
    pieces_note([w for w, known in zip(built.words, built.in_vocab) if not known])
    is_own = np.array([w in own for w in built.words])
    fig = charts.word_map(built.words, built.coords, built.labels, built.cluster_names, is_own,
                          built.in_vocab, method)
    add_regions(fig, xs, ys, charts.group_regions(z))
    show_chart(fig, key=FM.map_chart.key, name="car-land",
               data=pd.DataFrame({"word": built.words, "group": built.labels + 1, "x": built.coords[:, 0],
                                  "y": built.coords[:, 1], "your word": is_own}))
    vectors_tsv = userdata.to_projector_tsv(built.coords)
    metadata_tsv = userdata.to_metadata_tsv(
        built.words, group=[f"{g + 1}: around {built.cluster_names[g]}" for g in built.labels],
        your_word=["yes" if o else "no" for o in is_own],
    )
    upload.projector_downloads(vectors_tsv, metadata_tsv, stem=f"map_{method.lower()}", key=FM.map_files.key,
                               what=f"This {method} map")
    st.caption("The map's 2-D coordinates in the Embedding Projector's format: load both files at "
               "projector.tensorflow.org, or upload them here again.")

    st.markdown("**Is the map honest?** Distances in the full space and on the map, each divided by the "
                "typical (median) distance between two of these words, so 1 means 'a typical pair':")
    if uploaded:
        first = built.words[:3]
        pairs = [(first[0], first[1]), (first[0], first[-1]), (first[1], first[-1])] + [(first[0], w) for w in own[:3]]
    else:
        pairs = [("mercedes", "bmw"), ("mercedes", "bus"), ("bmw", "bus")] + [("mercedes", w) for w in own[:3]]
    rows = wordmap.pair_distances(built.words, built.vectors, built.coords, pairs)
    st.dataframe(
        pd.DataFrame({"pair": [f"{r.first} \u2013 {r.second}" for r in rows],
                      "cosine similarity": [round(r.cosine, 3) for r in rows],
                      f"distance in {built.vectors.shape[1]}-D": [round(r.full, 2) for r in rows],
                      f"distance on the {method} map": [round(r.on_map, 2) for r in rows]}),
        hide_index=True,
    )
    if uploaded:
        takeaway("If similar things got similar vectors, the map puts them close together. The 2-D map is only a "
                 "picture: check its distances against the real ones.")
    else:
        takeaway("Similar things get similar vectors, so a map of the vectors puts mercedes near bmw and far "
                 "from bus. The 2-D map is only a picture: check its distances against the real ones.")


# --------------------------------------------------------------------------
# 6. Try it yourself
# --------------------------------------------------------------------------
def show_feedback(feedback: exercises.Feedback) -> bool:
    if feedback.passed:
        st.success(md(feedback.message), icon=":material/check_circle:")
    else:
        st.error(md(feedback.message), icon=":material/cancel:")
        st.caption(f":material/tips_and_updates: Hint: {md(feedback.hint)}")
    return feedback.passed


@st.fragment
def exercises_section(wv) -> None:
    st.header("6. Try it yourself")
    st.markdown("Three small challenges. The page checks your answer as soon as you press Enter.")
    if upload.is_upload(wv):
        st.caption(":material/info: The challenges are about English words (queen, aunt, nurse), so they use "
                   "the bundled word vectors, not your upload.")
        wv = word_vectors()

    st.markdown("**1. Find a word whose vector is closer to 'queen' than 'king' is.**  \n"
                "Closer means a higher cosine similarity with queen than cos(king, queen).")
    answer = st.text_input("Your word", max_chars=30, **FM.ex_queen.widget)
    if answer.strip():
        live_class.record("fm.exercise.queen", answer, checked=show_feedback(exercises.check_closer_to_queen(wv, answer)))

    st.markdown("**2. Write an expression whose top result is 'aunt'** (without using 'aunt').")
    expression = st.text_input("Your expression", max_chars=200, placeholder="word - word + word",
                               **FM.ex_aunt.widget)
    if expression.strip():
        live_class.record("fm.exercise.aunt", expression, checked=show_feedback(exercises.check_top_result(wv, expression, "aunt")))

    st.markdown("**3. Choose an axis on which 'nurse' and 'engineer' land on opposite sides** of the middle.")
    low, high = st.columns(2)
    negative = low.text_input("Axis from (words, commas)", max_chars=200, **FM.ex_axis_negative.widget)
    positive = high.text_input("Axis to (words, commas)", max_chars=200, **FM.ex_axis_positive.widget)
    if negative.strip() and positive.strip():
        live_class.record("fm.exercise.axis", f"{negative} -> {positive}",
                          checked=show_feedback(exercises.check_opposite_sides(wv, negative, positive)))


# --------------------------------------------------------------------------
# The lesson
# --------------------------------------------------------------------------
wv = upload.vectors_to_explore(word_vectors())
encode_decode_section(wv)
st.divider()
toy_plane_section()
st.divider()
one_hot_section()
st.divider()
arithmetic_section(wv)
averages_section(wv)
st.divider()
axes_section(wv)
st.divider()
car_land_section(wv)
st.divider()
exercises_section(wv)
