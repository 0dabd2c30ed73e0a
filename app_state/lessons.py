"""Each lesson's sections, in order, declared once.

A lesson is an ordered list of :class:`Section`: a stable id, a title, the
function that draws it and the questions it asks. Everything that needs a
lesson's order reads it from here:

* the page script draws the sections in this order (``ui.lesson.draw``),
  numbering each heading by its place;
* the live class's *Move the class to ...* menu and its pacing list them
  (``classroom.questions.SECTIONS``), and each question knows its section;
* a lesson's score counts the questions its sections ask
  (:attr:`Lesson.questions`);
* the tests walk them.

Adding a section is one new module in ``ui/<lesson>/`` and one line here.
The drawing function is named by its import path (``"module:function"``),
so this list stays plain data: ``classroom`` and the job runtime read it
without importing streamlit.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace


@dataclass(frozen=True)
class Section:
    """One section of a lesson.

    Attributes
    ----------
    slug : str
        Stable within its lesson (never change it: a live class stores it).
    title : str
        The heading, without its number.
    draw : str
        ``"module:function"``: the function that draws the section. It takes
        no arguments but the values the page shares with every section that
        names them as parameters (``vectors``, ``width``).
    asks : tuple of str
        The ids of the questions the section asks, in order: predict-then-
        reveal checkpoints (``embedcore.checkpoints``), checked exercises and
        votes (``classroom.questions``).
    page : str
        The lesson page's name (set by :func:`lesson`).
    number : int
        The section's place in its lesson, from 1 (set by :func:`lesson`).
    """

    slug: str
    title: str
    draw: str
    asks: tuple[str, ...] = ()
    page: str = ""
    number: int = 0

    @property
    def id(self) -> str:
        """``"<page>#<slug>"``: the section across all lessons (stored by a live class)."""
        return f"{self.page}#{self.slug}"

    @property
    def heading(self) -> str:
        """The numbered heading the page shows: ``"1. Concepts as coordinates"``."""
        return f"{self.number}. {self.title}"

    @property
    def anchor(self) -> str:
        """The heading's HTML id (``"format_matters-toy-plane"``): a live class scrolls to it."""
        return f"{self.page}-{self.slug}"


@dataclass(frozen=True)
class Lesson:
    """A lesson page's sections, in the order the page draws them."""

    page: str
    sections: tuple[Section, ...] = field(default=())

    @property
    def questions(self) -> list[str]:
        """Every question the lesson asks, in page order (what its score counts)."""
        return [question for section in self.sections for question in section.asks]

    def section(self, slug: str) -> Section:
        """The section called ``slug`` (KeyError if there is none)."""
        for section in self.sections:
            if section.slug == slug:
                return section
        raise KeyError(slug)


def lesson(page: str, *sections: Section) -> Lesson:
    """A :class:`Lesson` whose sections know their page and their number (their place, from 1)."""
    slugs = [s.slug for s in sections]
    if len(set(slugs)) != len(slugs):
        raise ValueError(f"{page}: two sections share a slug")
    return Lesson(page, tuple(replace(s, page=page, number=i) for i, s in enumerate(sections, start=1)))


FORMAT_MATTERS = lesson(
    "format_matters",
    Section("toy-plane", "Concepts as coordinates", "ui.format_matters.toy_plane:toy_plane",
            asks=("fm.predict.toy_sum",)),
    Section("one-hot", "Why not one-hot?", "ui.format_matters.one_hot:one_hot"),
    Section("arithmetic", "Word arithmetic on real vectors", "ui.format_matters.arithmetic:arithmetic",
            asks=("fm.predict.analogy",)),
    Section("averages", "Averaging words", "ui.format_matters.averages:averages"),
    Section("encode", "Encode and decode", "ui.format_matters.encode:encode_decode", asks=("fm.predict.noise_flip",)),
    Section("axes", "Axes made of words", "ui.format_matters.axes:word_axes"),
    Section("car-land", "Car-Land: a map where similar things sit close", "ui.format_matters.car_land:car_land"),
    Section("try-it", "Try it yourself", "ui.format_matters.exercises:try_it_yourself",
            asks=("fm.exercise.queen", "fm.exercise.aunt", "fm.exercise.axis")),
)

IMPERFECT_INFORMATION = lesson(
    "imperfect_information",
    Section("digits", "From 64 numbers to a few", "ui.imperfect_information.digits:digits",
            asks=("ii.predict.smallest_code",)),
    Section("borders", "One bit needs only the borders", "ui.imperfect_information.borders:borders"),
    Section("regions", "Axes versus regions", "ui.imperfect_information.regions:axes_versus_regions",
            asks=("ii.predict.regions_vs_axes",)),
    Section("meters", "Meters: what a flat map keeps and loses", "ui.imperfect_information.meters:meters"),
    Section("homework", "Homework question 1: is this a good embedding?",
            "ui.imperfect_information.homework:homework", asks=("ii.homework.vote",)),
    Section("tsne", "t-SNE has knobs", "ui.imperfect_information.tsne:tsne_knobs", asks=("ii.predict.perplexity_2",)),
)

FEATURES_LOSSES = lesson(
    "features_losses",
    Section("data", "The data: coloured shapes", "ui.features_losses.data:the_data"),
    Section("twins", "Twin models: same features, different loss", "ui.features_losses.twins:twins"),
    Section("bottleneck", "Widen the bottleneck", "ui.features_losses.bottleneck:bottleneck",
            asks=("fe.predict.bottleneck",)),
    Section("features-limit", "Features set the limit", "ui.features_losses.features:features_set_the_limit",
            asks=("fe.predict.grey_features",)),
    Section("mixer", "The loss mixer", "ui.features_losses.mixer:loss_mixer", asks=("fe.predict.mixer_middle",)),
    Section("taxi", "The taxi example", "ui.features_losses.taxi:taxi_example"),
    Section("levers", "The three levers", "ui.features_losses.levers:three_levers"),
    Section("model-map", "Looking at a model's map (debugging)", "ui.features_losses.model_map:model_map"),
)

#: The lessons, in the order of the app's navigation.
LESSONS: tuple[Lesson, ...] = (FORMAT_MATTERS, IMPERFECT_INFORMATION, FEATURES_LOSSES)


def all_sections() -> tuple[Section, ...]:
    """Every section of every lesson, lesson by lesson."""
    return tuple(section for lesson_ in LESSONS for section in lesson_.sections)


def lesson_of(page: str) -> Lesson:
    """The lesson drawn on page ``page`` (KeyError if the page is no lesson)."""
    for lesson_ in LESSONS:
        if lesson_.page == page:
            return lesson_
    raise KeyError(page)
