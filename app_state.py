"""Every session-state and element key of the app, declared once.

Like TensorFlow Playground's ``state.ts``, this module is the single list of
the app's state and of every element key. Pages never invent keys: they name
a declaration (``key=FM.expression.key``), and :func:`init_page` gives each
setting and store its default the first time a session needs it, whichever
page is opened first.

Three kinds of declaration, the first two holding state:

* :class:`Setting` is the value of a widget (slider, select box, text input,
  toggle, ...). Its default lives here, so widgets are created *without*
  ``value=``; Streamlit then reads the value from session state. Create the
  widget with ``**setting.widget``: the value then survives page switches,
  and a page's main controls (``link=True``) are mirrored in the URL with
  Streamlit's ``bind="query-params"``, so a copied link reproduces the view.
* :class:`Store` is non-widget state a page keeps for the session: an
  experiment log, a student's vote, an edited table. Each session gets a
  fresh copy of the default from its ``factory``, so one student's list is
  never another's.
* :class:`Action` is the key of a button, form, data editor, table, download
  button, chart or container: it holds no value worth keeping (a click lasts
  one run), so it has no default and :func:`init_page` leaves it alone. It is
  declared only so that every key lives here. Keys that a page extends (an
  editor renamed after each save, one chart per model) use
  :meth:`Action.at`: ``FM.toy_editor.at(version)`` is ``"fm.toy_editor.3"``.
"""

from __future__ import annotations

import copy
import logging
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

import streamlit as st

from embedcore import wordlists as _wordlists
from embedcore import wordmap as _wordmap
from embedcore.compression import TASKS as _TASKS
from embedcore.concepts import REGION_GROUPS as _REGION_GROUPS
from embedcore.concepts import concept_words as _concept_words
from embedcore.projection import METHODS as _METHODS
from embedcore.shapes import DATASET_TITLES as _IMAGE_DATASETS
from embedcore.shapes import FEATURE_GROUPS as _FEATURE_GROUPS
from embedcore.synthetic import DATASETS as _TSNE_DATASETS

# Menus hold the labels a student reads (a shared link carries the label, not
# an internal name); pages map a label back to its embedcore name with the
# registry's own lookup (``embedcore.projection.method_of``, ...).
PROJECTION_LABELS: tuple[str, ...] = tuple(_METHODS.values())
# The last entry of the word-list and axis menus: the student's own words.
OWN_WORDS = "my own words"


@dataclass(frozen=True)
class Setting:
    """A widget's value in session state.

    Parameters
    ----------
    key : str
        The session-state key, ``"<page>.<name>"``.
    default : Any
        The value a new session starts with. Its type is the setting's type.
    link : bool, optional
        True for the page's main controls: the widget is then bound to a URL
        query parameter named by ``key`` (one name per setting), so a copied
        link reproduces the view.
    choices : tuple, optional
        The allowed values: the widget's ``options`` (select boxes, radios,
        select sliders, segmented controls, multiselects). A URL value
        outside them is ignored. Leave it out where the options change with
        the data (the words of a table, a model's layers): the page passes
        ``options`` itself.
    bounds : (low, high), optional
        Inclusive numeric range: the widget's ``min_value`` and
        ``max_value`` (sliders, number inputs). A URL value outside it is
        ignored.
    step : int or float, optional
        The widget's ``step`` (sliders, number inputs).
    default_arg : {"value", "index", "default"}, optional
        For URL-bound settings: the widget's keyword for its default
        (``value`` for sliders, toggles, text inputs and select sliders,
        ``index`` for select boxes and radios, ``default`` for multiselects
        and segmented controls). Inferred from ``default`` and ``choices``
        when not given.
    """

    key: str
    default: Any
    link: bool = False
    choices: tuple[Any, ...] | None = None
    bounds: tuple[float, float] | None = None
    step: float | None = None
    default_arg: str | None = None

    @property
    def widget(self) -> dict[str, Any]:
        """Keyword arguments for the widget: ``st.slider("Numbers kept (k)", **II.k.widget)``.

        They carry everything declared here: the key, the bounds and step
        (``min_value``, ``max_value``, ``step``) and the options, so no page
        restates a range or an option list.

        A URL-bound widget is also told its default. Streamlit drops a URL
        value that equals the widget's *own* default, and the frontend leaves
        such a value out of the URL; without ``value=`` that default is the
        slider's minimum or the first option, so a link asking for
        ``k=1`` would silently open the page at our default ``k=8``.
        """
        kwargs: dict[str, Any] = {"key": self.key, "persist_state": "session"}
        if self.bounds is not None:
            kwargs["min_value"], kwargs["max_value"] = self.bounds
        if self.step is not None:
            kwargs["step"] = self.step
        if self.choices is not None:
            kwargs["options"] = self.choices
        if self.link:
            kwargs["bind"] = "query-params"
            kwargs.update(self._default_kwargs())
        return kwargs

    def _default_kwargs(self) -> dict[str, Any]:
        arg = self.default_arg
        if arg is None:
            if isinstance(self.default, list):
                arg = "default"
            elif self.choices is not None:
                arg = "index"
            else:
                arg = "value"
        if arg == "index":
            assert self.choices is not None, self.key
            return {"index": None if self.default is None else self.choices.index(self.default)}
        return {arg: copy.deepcopy(self.default)}

    def alternative(self) -> Any:
        """One valid value other than the default, or None (free text has none).

        The benchmarks flip a control between its default and this value:
        the first other choice, the other boolean, or the middle of the
        range (its top when the middle is the default).
        """
        if self.choices:
            others = [c for c in self.choices if c != self.default]
            return others[0] if others else None
        if isinstance(self.default, bool):
            return not self.default
        if self.bounds is not None and isinstance(self.default, (int, float)):
            lo, hi = self.bounds
            middle = type(self.default)((lo + hi) / 2)
            return middle if middle != self.default else type(self.default)(hi)
        return None

    def accepts(self, raw: str) -> bool:
        """Whether a URL value ``raw`` is a valid value of this setting."""
        try:
            value = _parse(raw, self.default)
        except ValueError:
            return False
        if self.choices is not None and value not in self.choices:
            return False
        if self.bounds is not None and not self.bounds[0] <= value <= self.bounds[1]:
            return False
        return True


# Numbers in a link: ASCII digits only. Python's int() and float() also read other
# scripts' digits ("\u0665" is 5) and underscores ("1_0" is 10); a link is not the place for them.
_URL_INT = re.compile(r"[+-]?[0-9]+")
_URL_FLOAT = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?")


def _parse(raw: str, like: Any) -> Any:
    """Parse a URL string into the type of ``like`` (raises ValueError).

    Toggles take "true" or "false" (any case) and nothing else: that is all
    Streamlit 1.67's query-parameter binding reads for a toggle or checkbox
    (``parse_url_param``, "bool_value"); it drops "yes", "0" or "on".
    """
    if isinstance(like, bool):
        if raw.lower() == "true":
            return True
        if raw.lower() == "false":
            return False
        raise ValueError(raw)
    if isinstance(like, int):
        if not _URL_INT.fullmatch(raw):
            raise ValueError(raw)
        return int(raw)
    if isinstance(like, float):
        if not _URL_FLOAT.fullmatch(raw):
            raise ValueError(raw)
        value = float(raw)
        if value in (float("inf"), float("-inf")):
            raise ValueError(raw)
        return value
    return raw


@dataclass(frozen=True)
class Store:
    """Non-widget session state, created fresh per session by ``factory``."""

    key: str
    factory: Callable[[], Any] = field(default=dict)


@dataclass(frozen=True)
class Action:
    """A button, form or display element's key: it holds no value worth keeping.

    Parameters
    ----------
    key : str
        The element key, ``"<page>.<name>"`` (a container's key may use
        dashes instead: it also names its CSS class, ``st-key-<key>``).
    """

    key: str

    def at(self, *parts: object) -> str:
        """The key extended by ``parts``: ``Action("fe.twin_map").at("A", "colour") == "fe.twin_map.A.colour"``."""
        return ".".join([self.key, *(str(part) for part in parts)])


class _Page:
    """A namespace of one page's declarations; iterate it to get them all."""

    @classmethod
    def items(cls) -> Iterator[Setting | Store]:
        """The page's state: its settings and stores (what :func:`init_page` fills)."""
        for value in vars(cls).values():
            if isinstance(value, (Setting, Store)):
                yield value

    @classmethod
    def actions(cls) -> Iterator[Action]:
        """The page's element keys that hold no state."""
        for value in vars(cls).values():
            if isinstance(value, Action):
                yield value


# --------------------------------------------------------------------------
# Home
# --------------------------------------------------------------------------
class HOME(_Page):
    """The home page has no controls."""


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

    # 0. Encode and decode
    encode_text = Setting("fm.encode_text", "cat", link=True)
    noise = Setting("fm.noise", 0.0, link=True, bounds=(0.0, 5.0), step=0.05)
    noise_seed = Setting("fm.noise_seed", 0, link=True, bounds=(0, 999))
    strip_chart = Action("fm.chart.strip")
    noise_chart = Action("fm.chart.noise")

    # 1. The toy plane. The table is a Store (a data_editor's value cannot be
    # set), saved on every edit; "toy_version" renames the editor after each
    # save so it starts from the saved table.
    def _starter_toy_table() -> list[dict]:  # type: ignore[misc]
        from embedcore.toyplane import STARTER_WORDS

        return [{"word": w, "gender": g, "royalty": r, "age": a} for w, g, r, a in STARTER_WORDS]

    toy_table = Store("fm.toy_table", factory=_starter_toy_table)
    toy_version = Store("fm.toy_version", factory=int)
    toy_changed = Store("fm.toy_changed", factory=bool)  # an edit the one-hot section must see
    toy_editor = Action("fm.toy_editor")  # used as toy_editor.at(<toy_version>)
    toy_table_box = Action("fm-toy-table")  # the editor's container (CSS class st-key-fm-toy-table)
    toy_reset = Action("fm.toy_reset")
    toy_chart = Action("fm.chart.toy")
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

    # 5. Car-Land
    map_method = Setting("fm.map_method", "t-SNE", link=True, choices=PROJECTION_LABELS)
    map_k = Setting("fm.map_k", 4, link=True, bounds=(2, 8))
    map_seed = Setting("fm.map_seed", 0, link=True, bounds=(0, 9))  # each seed's t-SNE is warmed at start-up
    map_groups = Setting("fm.map_groups", "on the map", link=True, choices=tuple(_wordmap.CLUSTER_ON.values()))
    map_extra = Setting("fm.map_extra", "")
    map_chart = Action("fm.chart.carland")
    map_files = Action("fm.export.map")  # two download buttons: ".vectors" and ".metadata"

    # 6. Try it yourself
    ex_queen = Setting("fm.ex_queen", "")
    ex_aunt = Setting("fm.ex_aunt", "")
    ex_axis_negative = Setting("fm.ex_axis_negative", "")
    ex_axis_positive = Setting("fm.ex_axis_positive", "")
    score = Action("fm-score")  # the lesson's score (a container)


# --------------------------------------------------------------------------
# 2. Imperfect information
# --------------------------------------------------------------------------
class II(_Page):
    """Settings of the "Imperfect information" page.

    Menus hold the labels the student sees (a URL carries the label, not an
    internal name); the page maps each label back to its embedcore name.
    """

    # 1. From thousands of numbers to one bit
    digit = Setting("ii.digit", 3, bounds=(0, 9))
    k = Setting("ii.k", 8, link=True, bounds=(1, 64))
    task = Setting("ii.task", _TASKS["digit"][0], link=True, choices=tuple(t[0] for t in _TASKS.values()))
    digit_chart = Action("ii.digit_chart")
    gallery_chart = Action("ii.gallery")
    compression_numbers = Action("ii.compression_numbers")  # a container of metrics
    curves_chart = Action("ii.curves")
    regions_chart = Action("ii.regions")
    meters_digits = Action("ii.meters_digits")  # each meters_* is the container of a map's three meters

    # 2. Axes versus regions
    groups = Setting("ii.groups", 6, link=True, bounds=(2, 10))
    method = Setting("ii.method", "PCA", link=True, choices=PROJECTION_LABELS)
    rotation = Setting("ii.rotation", 0, link=True, bounds=(0, 360), step=5)
    axes_chart = Action("ii.axes_map")
    meters_axes = Action("ii.meters_axes")
    regions_map_chart = Action("ii.regions_map")
    meters_regions = Action("ii.meters_regions")
    knn_numbers = Action("ii.knn_numbers")

    # 3. Meters
    meter_method = Setting("ii.meter_method", "PCA", link=True, choices=PROJECTION_LABELS)
    dims = Setting("ii.dims", 2, link=True, bounds=(1, 64))
    word = Setting("ii.word", "election", link=True, choices=tuple(sorted(_concept_words(_REGION_GROUPS)[0])))
    lost_chart = Action("ii.lost_map")
    meters_lost = Action("ii.meters_lost")
    dims_numbers = Action("ii.dims_numbers")
    meter_curves_chart = Action("ii.meter_curves")

    # 4. Homework: the vote and sentence widgets, and the saved answer
    # ({"vote", "sentence", "revealed"}) kept for the session.
    vote = Setting("ii.vote", None, choices=("good", "bad", "it depends"))
    sentence = Setting("ii.sentence", "")
    answer = Store("ii.answer", factory=dict)
    homework_chart = Action("ii.homework_map")
    meters_homework = Action("ii.meters_homework")
    save_answer = Action("ii.save_answer")
    reveal = Action("ii.reveal")

    # 5. t-SNE has knobs
    tsne_data = Setting(
        "ii.tsne_data", _TSNE_DATASETS["sizes"][0], link=True, choices=tuple(d[0] for d in _TSNE_DATASETS.values())
    )
    # Points and training pictures are bounded so that one run costs about 2 s of CPU at most
    # (t-SNE of 1,000 points at perplexity 100 took 5.7 s; 3,000 pictures x 3 x 128 units, 5.5 s).
    tsne_points = Setting("ii.tsne_points", 300, link=True, bounds=(200, 500), step=100)
    # Perplexities as in Distill's t-SNE article (plus 10): every map of this section ships precomputed
    # (ui/warmup.py, embedcore/data/precomputed/). An old link's other perplexity is ignored with a notice.
    perplexity = Setting(
        "ii.perplexity", 30, link=True, choices=(2, 5, 10, 30, 50, 100), default_arg="value"
    )
    iterations = Setting(
        "ii.iterations", 500, link=True, choices=(250, 500, 1000), default_arg="value"
    )
    multiples = Setting("ii.multiples", False)
    tsne_chart = Action("ii.tsne_map")
    meters_tsne = Action("ii.meters_tsne")
    multiples_chart = Action("ii.multiples_chart")
    score = Action("ii-score")  # the lesson's score (a container)


# --------------------------------------------------------------------------
# 3. Features, embeddings & losses
# --------------------------------------------------------------------------
class FE(_Page):
    """Settings of the "Features, embeddings & losses" page.

    Menus hold the labels the student sees (a URL carries the label, not an
    internal name); the page maps each label back to its embedcore name.
    """

    # 1. The data: coloured shapes
    gallery_seed = Setting("fe.gallery_seed", 0, link=True, bounds=(0, 99))

    # 2. Twin models: same features, different loss
    # Widths whose twins are trained at start-up (ui/warmup.py); powers of two keep the lesson.
    width = Setting("fe.width", 2, link=True, choices=(2, 4, 8, 16, 32), default_arg="value")
    width_drawn = Store("fe.width_drawn", factory=lambda: FE.width.default)  # the width the whole page last drew
    twin_projection = Setting("fe.twin_projection", "PCA", link=True, choices=PROJECTION_LABELS)
    twin_loss_chart = Action("fe.twin_loss")
    replay = Setting("fe.replay", False)  # show the twins' training replay
    replay_chart = Action("fe.replay_chart")  # used as replay_chart.at(<model letter>)
    twin_map = Action("fe.twin_map")  # used as twin_map.at(<model letter>, <label>)
    twin_selection = Store("fe.twin_selection", factory=list)  # pictures selected in a twin map (linked views)
    probes_table = Action("fe.probes")  # used as probes_table.at(<the models' names>)

    # 3. The loss mixer (the history of tries is a Store: small rows only)
    mix_w = Setting("fe.mix_w", 0.5, link=True, bounds=(0.0, 1.0), step=0.1)
    mix_history = Store("fe.mix_history", factory=list)
    mix_run = Action("fe.mix_run")
    mix_chart = Action("fe.mix_chart")
    mix_clear = Action("fe.mix_clear")

    # 4. The taxi example
    taxi_train = Setting("fe.taxi_train", 60, link=True, bounds=(20, 1000), step=10)
    taxi_yellow = Setting("fe.taxi_yellow", False, link=True)
    taxi_colour_head = Setting("fe.taxi_colour_head", False, link=True)
    # From 0.1: a colour head of weight 0 would be no lever at all.
    taxi_colour_w = Setting("fe.taxi_colour_w", 0.5, bounds=(0.1, 2.0), step=0.1)
    taxi_runs = Store("fe.taxi_runs", factory=list)
    taxi_run = Action("fe.taxi_run")
    taxi_table = Action("fe.taxi_table")
    taxi_chart = Action("fe.taxi_chart")

    # 5. The three levers (an experiment form) and the session's experiment log
    exp_dataset = Setting(
        "fe.exp_dataset",
        "Vehicles (taxis)",
        link=True,
        choices=tuple(_IMAGE_DATASETS.values()),
        default_arg="default",  # a segmented control
    )
    exp_train = Setting("fe.exp_train", 200, bounds=(20, 1500), step=20)
    exp_features = Setting("fe.exp_features", ["red", "green", "blue"], choices=tuple(_FEATURE_GROUPS))
    exp_depth = Setting("fe.exp_depth", 1, bounds=(0, 3))
    exp_hidden = Setting("fe.exp_hidden", 32, bounds=(4, 128), step=4)
    exp_embedding = Setting("fe.exp_embedding", 8, bounds=(2, 32))
    exp_seed = Setting("fe.exp_seed", 0, bounds=(0, 9))  # luck: the pictures and the starting weights
    exp_activation = Setting("fe.exp_activation", "relu", choices=("relu", "tanh"))
    exp_w_colour = Setting("fe.exp_w_colour", 0.0, bounds=(0.0, 2.0), step=0.1)
    exp_w_shape = Setting("fe.exp_w_shape", 1.0, bounds=(0.0, 2.0), step=0.1)
    exp_w_taxi = Setting("fe.exp_w_taxi", 1.0, bounds=(0.0, 2.0), step=0.1)
    exp_w_vehicle = Setting("fe.exp_w_vehicle", 0.0, bounds=(0.0, 2.0), step=0.1)
    log = Store("fe.log", factory=list)
    last_experiment = Store("fe.last_experiment", factory=list)
    exp_form = Action("fe.exp_form")
    log_table = Action("fe.log_table")
    log_chart = Action("fe.log_chart")
    log_csv = Action("fe.log_csv")
    log_clear = Action("fe.log_clear")

    # 6. Looking at a model's map
    map_model = Setting(
        "fe.map_model",
        "Model A (colour loss)",
        link=True,
        choices=("Model A (colour loss)", "Model B (shape loss)", "Your latest experiment"),
    )
    map_layer = Setting("fe.map_layer", "embedding")  # options: the chosen model's layers
    map_projection = Setting("fe.map_projection", "PCA", link=True, choices=PROJECTION_LABELS)
    # Every t-SNE model map at these choices is computed at start-up (ui/warmup.py).
    map_perplexity = Setting("fe.map_perplexity", 30, choices=(5, 30, 50), default_arg="value")
    map_points = Setting("fe.map_points", 300, choices=(100, 300, 500), default_arg="value")
    map_colour_by = Setting("fe.map_colour_by", "shape")  # options: the chosen model's labels
    map_chart = Action("fe.debug_map")
    grey_numbers = Action("fe.grey_numbers")  # the grey-pictures metrics (a container)
    score = Action("fe-score")  # the lesson's score (a container)


# --------------------------------------------------------------------------
# 4. Live class (ui/live_class.py, pages/live_class.py)
# --------------------------------------------------------------------------
class LIVE(_Page):
    """The live class: a student's place in a class (on every page) and the teacher's view.

    A student's stores are filled by ``ui.live_class`` on whichever page the
    class link opens; the teacher's by ``init_page(LIVE)`` on the Live class page.
    """

    # A student in a class. "joined": {"code", "token"} once the store let them in;
    # "seen": the class state last polled ({"revealed": [...], "move_seq": n});
    # "sent": question id -> the answer last recorded (so an unchanged answer is not re-sent);
    # "refused": class code -> the message the store gave (so a bad code is not retried every run);
    # "scroll_to": a section heading to scroll to after "Move the class to ...".
    joined = Store("live.joined", factory=dict)
    seen = Store("live.seen", factory=dict)
    sent = Store("live.sent", factory=dict)
    refused = Store("live.refused", factory=dict)
    scroll_to = Store("live.scroll_to", factory=lambda: None)
    nickname = Setting("live.nickname", "")
    nickname_save = Action("live.nickname_save")
    leave = Action("live.leave")
    result_chart = Action("live.result_chart")  # used as result_chart.at(<question id>)

    # The teacher: {"code", "key"} of the class this session runs.
    teacher = Store("live.teacher", factory=dict)
    start = Action("live.start")
    open_code = Setting("live.open_code", "")
    open_key = Setting("live.open_key", "")
    open_form = Action("live.open_form")
    chart = Action("live.chart")  # used as chart.at(<question id>)
    question_box = Action("live-question")  # a question's container: "live-question-<id with dashes>"
    reveal = Action("live.reveal")  # used as reveal.at(<question id>)
    move_to = Setting("live.move_to", None)
    move = Action("live.move")
    csv = Action("live.csv")
    qr = Action("live.qr")
    end = Action("live.end")


# Link parameters of the live class, read by ui.live_class (not widgets):
# ?class=CODE joins a class, ?seat=TOKEN keeps a student's seat across a
# reconnect, ?teacher=KEY (Live class page only) opens the teacher's view.
LIVE_LINK_PARAMETERS = ("class", "seat", "teacher")


# --------------------------------------------------------------------------
# App-wide
# --------------------------------------------------------------------------
class APP(_Page):
    """Settings shared by every page."""

    presenter = Setting("app.presenter", False, link=True)
    header_drawn = Store("app.header_drawn", factory=bool)  # the page header has run once in this session
    share = Action("app.share")

    # Predict-then-reveal checkpoints and checked questions (ui/checkpoint.py), on every lesson.
    # "checks": question id -> {"choice", "answer", "correct", "evidence"} of the prediction locked in.
    checks = Store("app.checks", factory=dict)
    check_box = Action("app-check")  # a checkpoint's container: "app-check-<id with dashes>"
    check_choice = Action("app.check_choice")  # used as check_choice.at(<question id>)
    check_lock = Action("app.check_lock")  # used as check_lock.at(<question id>)
    check_again = Action("app.check_again")  # used as check_again.at(<question id>)
    more = Action("app.more")  # a section's "More controls" expander: more.at(<section>)
    glossary = Action("app.glossary")  # a definitions fold: glossary.at(<its terms>)


# --------------------------------------------------------------------------
# The pages: one list, read by dashboard.py, the tests and the benchmarks
# --------------------------------------------------------------------------
@dataclass(frozen=True)
class Page:
    """One page of the app: where its script is, how it is listed, and its state.

    Parameters
    ----------
    name : str
        A short name for tests and benchmarks ("format_matters").
    path : str
        The script, relative to the app's root.
    title : str
        Its name in the navigation.
    heading : str
        The page's own title (its first heading).
    icon : str
        A material icon for the navigation.
    url_path : str
        Its address: ``/<url_path>`` (the default page is served at ``/``).
    state : type
        The declarations of its settings and keys (``FM``, ``II``, ...).
    default : bool
        True for the page at ``/``.
    """

    name: str
    path: str
    title: str
    heading: str
    icon: str
    url_path: str
    state: type[_Page]
    default: bool = False

    @property
    def address(self) -> str:
        """The path after the server's address: ``""`` for the default page."""
        return "" if self.default else self.url_path


PAGES: tuple[Page, ...] = (
    # Streamlit serves the default page at "/" only; its own url_path is never routed.
    Page("home", "pages/home.py", "Home", "Why Embeddings", ":material/home:", "start", HOME, default=True),
    Page("format_matters", "pages/format_matters.py", "Format matters", "Format matters",
         ":material/calculate:", "format_matters", FM),
    Page("imperfect_information", "pages/imperfect_information.py", "Imperfect information",
         "Imperfect information", ":material/compress:", "imperfect_information", II),
    Page("features_losses", "pages/features_losses.py", "Features, embeddings & losses",
         "Features, embeddings & losses", ":material/hub:", "features_losses", FE),
    Page("live_class", "pages/live_class.py", "Live class", "Live class", ":material/co_present:", "live_class", LIVE),
)
# The lessons and the home page: what a student opens (the tests and benchmarks walk these).
STUDENT_PAGES: tuple[Page, ...] = tuple(page for page in PAGES if page.state is not LIVE)


def page_named(name: str) -> Page:
    """The page called ``name`` in :data:`PAGES`."""
    return next(page for page in PAGES if page.name == name)


ALL_PAGES: tuple[type[_Page], ...] = (APP, *(page.state for page in PAGES))


# Which page class the current run belongs to (set by init_page).
_CURRENT_PAGE = "app.page"
# Whether this session has been sent through dashboard.py (see _leave_pages_directory_mode).
_REROUTED = "app.rerouted"


def current_page() -> type[_Page]:
    """The page class passed to :func:`init_page` in this run (HOME if none)."""
    name = st.session_state.get(_CURRENT_PAGE, "HOME")
    return {page.__name__: page for page in ALL_PAGES}.get(name, HOME)


def all_settings() -> Iterator[Setting | Store]:
    """Every declared setting and store of every page."""
    for page in ALL_PAGES:
        yield from page.items()


def all_actions() -> Iterator[Action]:
    """Every declared action key of every page."""
    for page in ALL_PAGES:
        yield from page.actions()


def _leave_pages_directory_mode() -> None:
    """Make sure this run went through ``dashboard.py``'s ``st.navigation``.

    Streamlit keeps an old mode for apps that have a ``pages/`` folder: until
    *some* session in the server process has called ``st.navigation``, a URL
    such as ``/format_matters`` runs ``pages/format_matters.py`` on its own,
    without ``dashboard.py`` - no page config (wide layout) and a sidebar of
    raw file names. On a freshly started server that is exactly what the
    first students who open a teacher's shared link would get. Leaving that
    mode and rerunning sends this run, query parameters and all, through
    ``dashboard.py`` like every later one. (Streamlit 1.67,
    ``PagesManager.uses_pages_directory``; ``st.navigation`` itself clears
    the same flag.) tests/browser/test_browser_deep_link.py checks it.
    """
    from streamlit.runtime.pages_manager import PagesManager

    if PagesManager.uses_pages_directory:
        PagesManager.uses_pages_directory = False
        # Once per session: AppTest sets the flag back before each of its runs,
        # and a second rerun there would swallow a button click.
        if not st.session_state.get(_REROUTED):
            st.session_state[_REROUTED] = True
            st.rerun()


def init_page(page: type[_Page]) -> None:
    """Give each of ``page``'s settings its default if this session lacks it.

    Call it at the top of every page, so that any page works when it is the
    first one a student opens.
    """
    _leave_pages_directory_mode()
    state = st.session_state
    state[_CURRENT_PAGE] = page.__name__
    for item in (*APP.items(), *page.items()):
        if item.key in state:
            continue
        if isinstance(item, Store):
            state[item.key] = item.factory()
        else:
            # deepcopy: a list default must never be shared between sessions.
            state[item.key] = copy.deepcopy(item.default)


def _url_checks(page: type[_Page], query: dict[str, list[str]]) -> Iterator[tuple[str, str, bool]]:
    """(parameter, problem, whether it is one of this page's bound settings) for each ignored parameter."""
    # Another page's bound settings may ride along in the URL: known, not ours to check.
    everywhere = {item.key for item in all_settings() if isinstance(item, Setting) and item.link}
    everywhere |= set(LIVE_LINK_PARAMETERS)  # a live class's code, seat and teacher key (ui.live_class)
    here = {item.key: item for item in (*APP.items(), *page.items()) if isinstance(item, Setting) and item.link}
    for name, values in query.items():
        if name not in everywhere:
            yield name, f"unknown parameter '{name[:40]}'", False
        elif name in here and len(values) > 1 and not isinstance(here[name].default, list):
            yield name, f"'{name}' is given {len(values)} times", True
        elif name in here and values and not here[name].accepts(values[-1]):  # Streamlit reads the last one
            yield name, f"'{name}' cannot be '{values[-1][:40]}'", True


def url_problems(page: type[_Page], query: dict[str, list[str]]) -> list[str]:
    """Describe the URL parameters that this page ignores.

    Unknown names, values that do not fit the setting (see
    :meth:`Setting.accepts`) and a setting given more than once are named,
    so the student gets a small notice instead of silently different
    settings. :func:`drop_ignored_url_values` makes sure the widgets really
    ignore them. The result is plain text: escape it for markdown.

    Parameters
    ----------
    query : dict of str to list of str
        The page's query parameters, e.g. ``st.query_params.to_dict()`` style
        but with every value as a list.
    """
    return [problem for _, problem, _ in _url_checks(page, query)]


def drop_ignored_url_values(page: type[_Page], query: dict[str, list[str]]) -> None:
    """Take the values :func:`url_problems` reports for this page's settings out of the link.

    Call it before any bound widget is drawn. Streamlit would otherwise
    still read some of them: ``float("\u0665")`` is 5 and ``1_0`` is 10, and a
    repeated parameter gives a list. Streamlit 1.67 seeds a bound widget
    from the query string the page was opened with
    (``QueryParams._initial_query_params``) and offers no public way to drop
    a bound parameter, so this edits that copy, as Streamlit's own
    ``SessionState._clear_url_param`` does (``remove_param`` also takes it
    out of the browser's address bar). tests/test_links.py checks that
    such values leave the setting at its default.
    """
    ignored = [name for name, _, bound in _url_checks(page, query) if bound]
    if not ignored:
        return
    from streamlit.runtime.state.session_state_proxy import get_session_state

    try:
        with get_session_state().query_params() as params:
            for name in ignored:
                params._initial_query_params.pop(name, None)
                params.remove_param(name)
    except AttributeError:  # a Streamlit other than 1.67: the notice still shows; tests/test_links.py fails
        logging.getLogger(__name__).warning("could not drop ignored link values %s", ignored, exc_info=True)
