"""The settings and keys of Home and of the "Format matters" lesson."""

from __future__ import annotations

from dataclasses import dataclass

from app_state.kinds import OWN_WORDS, PROJECTION_LABELS, Action, Setting, Store, _Page
from embedcore import toylink as _toylink
from embedcore import wordlists as _wordlists
from embedcore import wordmap as _wordmap


@dataclass(frozen=True)
class TableLink(Setting):
    """A setting that holds the toy table's link text (``embedcore.toylink``), with no widget of its own.

    The page writes it into the URL whenever the table changes and reads it
    when a link opens the page (``ui.format_matters.toy_plane``). A link value
    is accepted only if ``toylink.table_from_link`` reads it, so
    ``app_state.url_problems`` names a bad one in the usual notice.
    """

    def accepts(self, raw: str) -> bool:
        return _toylink.is_table_link(raw)

# --------------------------------------------------------------------------
# Home
# --------------------------------------------------------------------------
class HOME(_Page):
    """The home page: no settings, only the teacher's guide (folded) and its download."""

    guide = Action("home-guide")  # the guide's text, in a folded box
    guide_download = Action("home-guide-download")


# --------------------------------------------------------------------------
# 1. Format matters
# --------------------------------------------------------------------------
class FM(_Page):
    """Settings of the "Format matters" page."""

    # Use your own embeddings (optional). A file uploader's value cannot be
    # set from session state, so its two keys are Actions, not Settings;
    # the page adds ".<upload_version>" to them. The uploaded set itself is a
    # Store: it belongs to this session only.
    upload_vectors = Action("fm.upload_vectors")
    upload_labels = Action("fm.upload_labels")
    upload_forget = Action("fm.upload_forget")
    upload_use = Setting(
        "fm.upload_use", "bundled word vectors", choices=("bundled word vectors", "your upload")
    )
    upload_set = Store("fm.upload_set", factory=lambda: None)  # UploadedWordVectors, or None
    # The files last read and what came of it: {"signature", "files", "error", "warnings", "loaded_files"}.
    upload_status = Store("fm.upload_status", factory=dict)
    # The word settings as they were on the bundled vectors, put back when the student returns.
    upload_saved = Store("fm.upload_saved", factory=dict)
    # Which vectors the word settings hold words for: "bundled", or the upload's name (ui.format_matters.words).
    words_for = Store("fm.words_for", factory=lambda: "bundled")
    upload_version = Store("fm.upload_version", factory=int)  # renames the uploaders, which empties them
    upload_map_words = Setting("fm.upload_map_words", 40, bounds=(3, 150))
    export_words = Setting("fm.export_words", "king, queen, man, woman, prince, princess")
    export_words_files = Action("fm.export.words")  # two download buttons: ".vectors" and ".metadata"

    # Encode and decode
    encode_text = Setting("fm.encode_text", "cat", link=True)
    # The noise slider lives inside the noise chart (ui.components.frames: it answers in the browser, with no
    # rerun), so no widget binds this setting: a link's value is where that slider starts.
    noise = Setting("fm.noise", 0.0, link=True, bounds=(0.0, 5.0), step=0.1, in_browser=True)
    noise_seed = Setting("fm.noise_seed", 0, link=True, bounds=(0, 999))
    strip_chart = Action("fm.chart.strip")
    noise_chart = Action("fm.chart.noise")
    encode_takeaway = Action("fm-encode-takeaway")  # the round trip's numbers; after the noise reveal, the push's
    # Containers around the section's notes (the tests find them by key): words built from word pieces.
    encode_pieces = Action("fm-encode-pieces")

    # 1. The toy plane. The table is a Store (a data_editor's value cannot be
    # set), saved on every edit; "toy_version" renames the editor after each
    # save so it starts from the saved table.
    def _starter_toy_table() -> list[dict]:  # type: ignore[misc]
        from embedcore.toyplane import STARTER_WORDS

        return [{"word": w, "gender": g, "royalty": r, "age": a} for w, g, r, a in STARTER_WORDS]

    toy_table = Store("fm.toy_table", factory=_starter_toy_table)
    # The table in the link (embedcore.toylink): "" is the starter table. Kept equal to the table by the section.
    toy_pos = TableLink("fm.toy_pos", "", link=True, in_browser=True)  # dragged on the plane; a drop writes it
    toy_version = Store("fm.toy_version", factory=int)
    toy_changed = Store("fm.toy_changed", factory=bool)  # an edit the one-hot section must see
    toy_editor = Action("fm.toy_editor")  # used as toy_editor.at(<toy_version>)
    toy_table_box = Action("fm-toy-table")  # the editor's container (CSS class st-key-fm-toy-table)
    toy_reset = Action("fm.toy_reset")
    toy_chart = Action("fm.chart.toy")
    toy_drag = Action("fm.toy_drag")  # the draggable plane (ui.components.plane): its drops are triggers
    toy_problems = Action("fm-toy-problems")  # the rows left out of the table
    toy_empty = Action("fm-toy-empty")  # the table has no usable word
    toy_result = Action("fm-toy-result")  # with age on (3-D): "label = [coords]", its nearest word and distance
    toy_locked = Action("fm-toy-locked")  # add and subtract waits for the prediction
    toy_takeaway = Action("fm-toy-takeaway")
    toy_3d = Setting("fm.toy_3d", False, link=True)
    toy_op = Setting(
        "fm.toy_op", "Add and subtract", link=True, choices=("Add and subtract", "Average", "Compare")
    )
    toy_a = Setting("fm.toy_a", "king")
    toy_sign_b = Setting("fm.toy_sign_b", "-", choices=("+", "-"))
    toy_b = Setting("fm.toy_b", "man")
    toy_sign_c = Setting("fm.toy_sign_c", "+", choices=("+", "-", "(none)"))
    toy_c = Setting("fm.toy_c", "woman")
    toy_average = Setting("fm.toy_average", ["king", "queen"])
    toy_compare_a = Setting("fm.toy_compare_a", "king")
    toy_compare_b = Setting("fm.toy_compare_b", "queen")

    # 2. Why not one-hot?
    onehot_pair = Setting("fm.onehot_pair", ["king", "man"])
    onehot_chart = Action("fm.chart.onehot")
    embedded_chart = Action("fm.chart.embedded")
    onehot_empty = Action("fm-onehot-empty")  # fewer than two words in the table
    onehot_average = Action("fm-onehot-average")  # where each format puts the average of the pair
    onehot_takeaway = Action("fm-onehot-takeaway")

    # 3. Word arithmetic on real vectors
    # A menu that fills the expression, then clears itself.
    analogy = Setting("fm.analogy", None, choices=tuple(_wordlists.analogy_menu()))
    expression = Setting("fm.expression", "king - man + woman", link=True)
    exclude_inputs = Setting("fm.exclude_inputs", True, link=True)
    expected = Setting("fm.expected", "queen")
    average_words = Setting("fm.average_words", "cat, dog", link=True)
    neighbours_chart = Action("fm.chart.neighbours")
    analogy_chart = Action("fm.chart.analogy")
    average_chart = Action("fm.chart.average")
    expression_error = Action("fm-expression-error")
    expression_pieces = Action("fm-expression-pieces")
    expected_missing = Action("fm-expected-missing")  # the expected answer is not in the vectors
    input_ranks = Action("fm-input-ranks")  # where the input words rank, when they are not left out
    analogy_note = Action("fm-analogy-note")  # the picture's arrows, their cosine, the variance kept
    arithmetic_takeaway = Action("fm-arithmetic-takeaway")
    arithmetic_intro = Action("fm-arithmetic-intro")  # names word2vec and where the bundled vectors come from
    average_error = Action("fm-average-error")
    average_pieces = Action("fm-average-pieces")
    average_takeaway = Action("fm-average-takeaway")

    # 4. Axes made of words
    x_preset = Setting("fm.x_preset", "gender: man -> woman", choices=(*_wordlists.AXIS_PRESETS, OWN_WORDS))
    x_negative = Setting("fm.x_negative", "man", link=True)
    x_positive = Setting("fm.x_positive", "woman", link=True)
    y_preset = Setting("fm.y_preset", "royalty: person, peasant -> royal, monarch",
                       choices=(*_wordlists.AXIS_PRESETS, OWN_WORDS))
    y_negative = Setting("fm.y_negative", "person, peasant", link=True)
    y_positive = Setting("fm.y_positive", "royal, monarch", link=True)
    word_list = Setting(
        "fm.word_list",
        "royalty and family",
        link=True,
        choices=(*_wordlists.WORD_LIST_PRESETS, OWN_WORDS),
    )
    own_words = Setting("fm.own_words", "apple, banana, pizza, car, king, queen, doctor, nurse")
    axes_chart = Action("fm.chart.axes")
    bias_chart = Action("fm.chart.bias")
    axes_error = Action("fm-axes-error")
    axes_pieces = Action("fm-axes-pieces")
    axes_toy_check = Action("fm-axes-toy-check")  # the toy words' gaps on the two axes
    bias_bundled = Action("fm-bias-bundled")  # on an upload: the bias note stays on the bundled vectors
    axes_takeaway = Action("fm-axes-takeaway")

    # 5. Car-Land
    map_method = Setting("fm.map_method", "t-SNE", link=True, choices=PROJECTION_LABELS)
    map_k = Setting("fm.map_k", 4, link=True, bounds=(2, 8))
    map_seed = Setting("fm.map_seed", 0, link=True, bounds=(0, 9))  # each seed's t-SNE is warmed at start-up
    map_groups = Setting("fm.map_groups", "on the map", link=True, choices=tuple(_wordmap.CLUSTER_ON.values()))
    map_extra = Setting("fm.map_extra", "")
    map_chart = Action("fm.chart.carland")
    map_files = Action("fm.export.map")  # two download buttons: ".vectors" and ".metadata"
    map_words_error = Action("fm-map-words-error")  # the student's own words could not be read
    map_pieces = Action("fm-map-pieces")
    map_fallback = Action("fm-map-fallback")  # t-SNE could not spread the points: PCA stands in
    map_takeaway = Action("fm-map-takeaway")

    # 6. Try it yourself
    ex_queen = Setting("fm.ex_queen", "")
    ex_aunt = Setting("fm.ex_aunt", "")
    ex_axis_negative = Setting("fm.ex_axis_negative", "")
    ex_axis_positive = Setting("fm.ex_axis_positive", "")
    ex_feedback = Action("fm-exercise")  # each exercise's verdict: ex_feedback.at("queen" | "aunt" | "axis")
    ex_bundled = Action("fm-exercises-bundled")  # on an upload: the exercises stay on the bundled vectors
    score = Action("fm-score")  # the lesson's score (a container)
