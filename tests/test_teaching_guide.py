r"""The teacher's guide (docs/teaching-guide.md) quotes only numbers the app computes.

How the guide marks what it quotes
----------------------------------
* ``VALUE<!--name-->``: a number (``0.567``, ``58%``, ``-1``) computed by :data:`VALUES[name]`. It must
  match at the precision shown: ``0.567`` within 0.0005, ``58%`` within half a point.
* ``*text*<!--name-->`` (or ``**text**``): words computed by :data:`VALUES[name]` (the same text, any case).
* ``*text*<!--answer:ID-->``: the choice the checkpoint ID's ``judge_*`` names from the lesson's own numbers.
* ``VALUE<!--q:ID-->``: a number quoted from checkpoint ID's own question or choices.
* ``<!--question:ID-->``: where the guide treats a lesson question that is no checkpoint (exercises, vote).

The exemption rule for untagged numbers, kept simple: once the tagged values are taken out, the guide may
hold no decimal number (``\d+\.\d+``) and no percentage (``\d+%``) at all. Whole numbers stay free:
minutes and section numbers of the plans (checked below on their own), counts (``ten groups``,
``200 characters``, ``24 hours``), ``2-D``. A new decimal or percentage in the guide needs a tag.

Every value is computed again here with embedcore, by the calls the lessons' pages make
(``ui/*/checks.py``, ``ui/*/cache.py``, ``runtime/jobs.py``) at the defaults of ``app_state``; the small
networks train in a few seconds.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest

from app_state import FE, FM, HOME, II
from app_state.lessons import LESSONS
from embedcore import checkpoints as cp
from embedcore import compression, encoding, knn, precomputed, synthetic, toyplane
from embedcore import experiments as ex
from embedcore.concepts import REGION_GROUPS, concept_words
from embedcore.projection import concept_axes, project_2d
from runtime import jobs, result_cache
from tests.apptest_utils import open_page

ROOT = Path(__file__).resolve().parents[1]
GUIDE = ROOT / "docs" / "teaching-guide.md"
GUIDE_PATH = "docs/teaching-guide.md"

NUMBER = r"-?\d+(?:\.\d+)?%?"
TAGGED_NUMBER = re.compile(rf"({NUMBER})<!--([\w.:-]+)-->")
TAGGED_TEXT = re.compile(r"(\*\*?)([^*\n]+(?:\n[^*\n]+)*)\1<!--([\w.:-]+)-->")
UNTAGGED = re.compile(r"\d+\.\d+|\d+\s*%")
PLAN_ROW = re.compile(r"^\| (\d+) \| (\d+)\. ([^|]+?) \|", re.MULTILINE)
LESSON_HEADING = re.compile(r"^## Lesson \d+: (.+)$", re.MULTILINE)


# --------------------------------------------------------------------------
# The app's numbers, computed as the pages compute them
# --------------------------------------------------------------------------
@functools.cache
def word_vectors():
    from embedcore.wordvectors import load_word_vectors

    return load_word_vectors()


def _toy_sum() -> tuple[np.ndarray, cp.Verdict]:
    """ui/format_matters/checks.py:toy_sum on the starter table."""
    plane = toyplane.starter_plane()
    result = toyplane.arithmetic(plane, [(1, "king"), (-1, "man"), (1, "woman")]).point
    points = {w: plane.vector(w) for w in ("queen", "king", "woman")}
    return result, cp.judge_toy_sum(cp.TOY_SUM.choices[0], result, points)


def _analogy(exclude: tuple[str, ...] = ()) -> list[tuple[str, float]]:
    """ui/format_matters/checks.py:analogy: the top three of king - man + woman."""
    wv = word_vectors()
    king, man, woman = encoding.encode_texts(wv, ["king", "man", "woman"]).vectors
    return encoding.decode(wv, king - man + woman, k=3, exclude=exclude)


@functools.cache
def _noise(seed: int) -> tuple[cp.Verdict, float]:
    """ui/format_matters/checks.py:noise_verdict with the noise slider's grid (ui/format_matters/cache.py)."""
    wv = word_vectors()
    steps = int(round((FM.noise.bounds[1] - FM.noise.bounds[0]) / FM.noise.step)) + 1
    vector = encoding.encode_texts(wv, ["cat"]).vectors[0]
    sweep = encoding.noise_sweep(wv, vector, max_size=FM.noise.bounds[1], n_steps=steps, random_state=seed)
    at = int(np.argmin(np.abs(sweep.sizes - cp.NOISE_PUSH)))
    neighbours = [w for w, _ in encoding.decode(wv, wv.vector("cat"), k=10, exclude=["cat"])]
    verdict = cp.judge_noise_flip(cp.NOISE_FLIP.choices[0], sweep.top_words[at], neighbours,
                                  float(sweep.word_cosines[at]), sweep.breakpoint)
    return verdict, sweep.breakpoint


def _first_directions() -> list[float]:
    """The breakpoints of the first ten noise directions, each checked to keep cat at the push of 1."""
    found = [_noise(seed) for seed in range(10)]
    assert all(v.answer == cp.NOISE_FLIP.choices[0] for v, _ in found)
    return [b for _, b in found]


@functools.cache
def _digits() -> compression.CompressionCurve:
    """runtime/jobs.py:compression_curve("digit") (ui/imperfect_information/checks.py:smallest_code)."""
    split = compression.load_digits_split(test_size=0.3, random_state=0)
    return compression.compression_curve(split, np.arange(1, compression.N_PIXELS + 1), task="digit")


def _digit_accuracy(k: int) -> float:
    curve = _digits()
    return float(curve.accuracy[list(curve.ks).index(k)])


@functools.cache
def _regions() -> dict[str, float]:
    """ui/imperfect_information/checks.py:regions_vs_axes at all groups, the page's default projection."""
    wv = word_vectors()
    groups = REGION_GROUPS[: int(II.groups.bounds[1])]
    words, labels = concept_words(groups, vocabulary=wv)
    vectors = np.stack([wv.vector(w) for w in words]).astype(np.float64)
    assert II.method.default == "PCA"  # the guide quotes the PCA map
    return {
        "pca": knn.knn_accuracy(project_2d(vectors, "pca"), labels, k=5),
        "axes": knn.knn_accuracy(concept_axes(vectors, labels, axes=(0, 1)), labels, k=5),
        "full": knn.knn_accuracy(vectors, labels, k=5),
        "groups": len(groups),
    }


@functools.cache
def _clumps() -> tuple[int, int, int]:
    """The clumps of the finished maps at perplexity 2 and 30, and the true groups, of the default data set.

    As ui/imperfect_information/checks.py:perplexity_2 reads them from runtime/jobs.py:tsne_knob_run.
    """
    # The page shows the shipped run (embedcore/data/precomputed/, checked fresh by tests/test_precomputed.py):
    # at perplexity 2 the optimisation is chaotic enough that a recomputation on another BLAS build can end with a
    # few clumps more or fewer, so the guide quotes, and this test reads, the run the page plays.
    name = next(key for key, (title, _, _) in synthetic.DATASETS.items() if title == II.tsne_data.default)
    X, labels = synthetic.make_dataset(name, jobs.TSNE_KNOB_POINTS, random_state=0)
    artefact = precomputed.load()
    assert artefact is not None, "the shipped t-SNE runs are missing: run scripts/build_precomputed.py"
    clumps = {}
    for perplexity in (2, 30):
        run = artefact.get(result_cache.call_key(jobs.tsne_knob_run, name, jobs.TSNE_KNOB_POINTS, perplexity,
                                                 tuple(II.iterations.choices)))
        assert run is not None, f"no shipped t-SNE run at perplexity {perplexity}"
        clumps[perplexity] = int(run[1].clumps[-1])
    return clumps[2], clumps[30], len(np.unique(labels))


def _tsne() -> cp.Verdict:
    return cp.judge_perplexity_2(cp.PERPLEXITY_2.choices[0], *_clumps())


@functools.cache
def _trained(width: int, loss: str = "", features: tuple[str, ...] = ("red", "green", "blue"),
             w: float | None = None) -> ex.Result:
    """A model of ui/features_losses/checks.py: twin A or B (``loss``), or the mixer's model at ``w``."""
    base = ex.Experiment(embedding_size=width, features=features)
    a, b = ex.twins(base, *ex.TWINS.values())
    return ex.run(ex.mixed(a, w) if w is not None else {"A": a, "B": b}[loss])


def _probe(result: ex.Result, label: str) -> float:
    return float(result.probes[label].accuracy)


NARROW, WIDE = FE.width.default, 16  # ui/features_losses/checks.py
GREY = ("grey",)


def _bottleneck() -> cp.Verdict:
    return cp.judge_bottleneck(cp.BOTTLENECK.choices[0], _probe(_trained(NARROW, "B"), "colour"),
                               _probe(_trained(WIDE, "B"), "colour"))


def _grey() -> cp.Verdict:
    grey = _trained(NARROW, "A", GREY)
    return cp.judge_grey_features(cp.GREY_FEATURES.choices[0], grey.accuracy["colour"], grey.probes["colour"].chance)


def _mixer() -> cp.Verdict:
    return cp.judge_mixer_middle(cp.MIXER_MIDDLE.choices[0], _probe(_trained(NARROW, w=0.5), "colour"),
                                 _probe(_trained(NARROW, w=0.5), "shape"), _probe(_trained(NARROW, w=1.0), "colour"),
                                 _probe(_trained(NARROW, w=0.0), "shape"))


#: Each tag's value: a number (a share is a fraction: 0.58 for "58%") or words.
VALUES: dict[str, Callable[[], float | str]] = {
    "fm.toy_sum.gender": lambda: _toy_sum()[0][0],
    "fm.toy_sum.royalty": lambda: _toy_sum()[0][1],
    "fm.analogy.cos1": lambda: _analogy()[0][1],
    "fm.analogy.word2": lambda: _analogy()[1][0],
    "fm.analogy.cos2": lambda: _analogy()[1][1],
    "fm.analogy.word3": lambda: _analogy()[2][0],
    "fm.analogy.cos3": lambda: _analogy()[2][1],
    "fm.analogy.without_inputs": lambda: _analogy(("king", "man", "woman"))[0][0],
    "fm.noise.cosine": lambda: _noise(FM.noise_seed.default)[0].measured,
    "fm.noise.breakpoint": lambda: _noise(FM.noise_seed.default)[1],
    "fm.noise.earliest": lambda: min(_first_directions()),
    "fm.noise.latest": lambda: max(_first_directions()),
    "ii.digits.smallest": lambda: cp.smallest_k(_digits().ks, _digits().accuracy, 0.9),
    "ii.digits.acc1": lambda: _digit_accuracy(1),
    "ii.digits.acc2": lambda: _digit_accuracy(2),
    "ii.digits.acc5": lambda: _digit_accuracy(5),
    "ii.digits.acc64": lambda: _digit_accuracy(64),
    "ii.digits.majority": lambda: _digits().baseline,
    "ii.regions.pca": lambda: _regions()["pca"],
    "ii.regions.axes": lambda: _regions()["axes"],
    "ii.regions.full": lambda: _regions()["full"],
    "ii.tsne.clumps2": lambda: _clumps()[0],
    "ii.tsne.clumps30": lambda: _clumps()[1],
    "ii.tsne.groups": lambda: _clumps()[2],
    "fe.mix_w": lambda: FE.mix_w.default,
    "fe.twins.a_colour": lambda: _probe(_trained(NARROW, "A"), "colour"),
    "fe.twins.a_shape": lambda: _probe(_trained(NARROW, "A"), "shape"),
    "fe.twins.b_shape": lambda: _probe(_trained(NARROW, "B"), "shape"),
    "fe.twins.b_colour": lambda: _probe(_trained(NARROW, "B"), "colour"),
    "fe.twins.shape_chance": lambda: _trained(NARROW, "A").probes["shape"].chance,
    "fe.twins.colour_chance": lambda: _trained(NARROW, "A").probes["colour"].chance,
    "fe.bottleneck.narrow": lambda: _probe(_trained(NARROW, "B"), "colour"),
    "fe.bottleneck.wide": lambda: _probe(_trained(WIDE, "B"), "colour"),
    "fe.grey.accuracy": lambda: _grey().measured,
    "fe.grey.chance": lambda: _trained(NARROW, "A", GREY).probes["colour"].chance,
    "fe.mixer.colour": lambda: _probe(_trained(NARROW, w=0.5), "colour"),
    "fe.mixer.shape": lambda: _probe(_trained(NARROW, w=0.5), "shape"),
    "fe.mixer.a_colour": lambda: _probe(_trained(NARROW, w=1.0), "colour"),
    "fe.mixer.b_shape": lambda: _probe(_trained(NARROW, w=0.0), "shape"),
}

#: Each checkpoint's verdict at the defaults: its ``answer`` is what the guide must quote.
ANSWERS: dict[str, Callable[[], cp.Verdict]] = {
    "fm.predict.toy_sum": lambda: _toy_sum()[1],
    "fm.predict.analogy": lambda: cp.judge_analogy(cp.ANALOGY.choices[0], _analogy()),
    "fm.predict.noise_flip": lambda: _noise(FM.noise_seed.default)[0],
    "ii.predict.smallest_code": lambda: cp.judge_smallest_code(cp.SMALLEST_CODE.choices[0], _digits().ks,
                                                               _digits().accuracy),
    "ii.predict.regions_vs_axes": lambda: cp.judge_regions_vs_axes(
        cp.REGIONS_VS_AXES.choices[0], _regions()["axes"], _regions()["pca"], n_groups=_regions()["groups"]),
    "ii.predict.perplexity_2": _tsne,
    "fe.predict.bottleneck": _bottleneck,
    "fe.predict.grey_features": _grey,
    "fe.predict.mixer_middle": _mixer,
}


# --------------------------------------------------------------------------
# Reading the guide
# --------------------------------------------------------------------------
@pytest.fixture(scope="module")
def guide() -> str:
    return GUIDE.read_text(encoding="utf-8")


def tagged(text: str) -> list[tuple[str, str]]:
    """Every (shown value, tag name) of ``text``: tagged numbers, then tagged words (emphasis stripped)."""
    found = [(value, name) for value, name in TAGGED_NUMBER.findall(text)]
    found += [(" ".join(value.split()), name) for _, value, name in TAGGED_TEXT.findall(text)]
    return found


def untagged_numbers(text: str) -> list[str]:
    """The decimals and percentages left once every tagged value and the HTML comments are taken out."""
    text = TAGGED_TEXT.sub("", text)
    text = TAGGED_NUMBER.sub("", text)
    text = re.sub(r"<!--.*?-->", "", text, flags=re.DOTALL)
    return UNTAGGED.findall(text)


def check_number(shown: str, actual: float, name: str) -> None:
    """``shown`` (``"0.567"``, ``"58%"``) equals ``actual`` at the precision shown."""
    share = shown.endswith("%")
    number = shown.rstrip("%")
    decimals = len(number.split(".")[1]) if "." in number else 0
    scaled = float(actual) * (100 if share else 1)
    np.testing.assert_allclose(float(number), scaled, rtol=0, atol=0.5 * 10.0**-decimals + 1e-9,
                               err_msg=f"{name}: the guide shows {shown}, the app computes {scaled}")


def lesson_parts(text: str) -> dict[str, str]:
    """Each lesson's part of the guide, by its heading's title ("Format matters")."""
    headings = list(LESSON_HEADING.finditer(text))
    ends = [h.start() for h in headings[1:]] + [text.find("## Running it with a class")]
    return {h.group(1).strip(): text[h.end():end] for h, end in zip(headings, ends)}


TITLES = {"format_matters": "Format matters", "imperfect_information": "Imperfect information",
          "features_losses": "Features, embeddings & losses"}


# --------------------------------------------------------------------------
# Tests
# --------------------------------------------------------------------------
def test_every_tagged_value_is_the_apps(guide: str) -> None:
    found = tagged(guide)
    assert len(found) >= len(VALUES), "the guide lost some of its tags"
    used = set()
    for shown, name in found:
        if name.startswith(("answer:", "q:", "question:")):
            continue
        assert name in VALUES, f"unknown tag {name!r}: add how to compute it to VALUES"
        used.add(name)
        actual = VALUES[name]()
        if isinstance(actual, str):
            assert shown.lower() == actual.lower(), f"{name}: the guide shows {shown!r}, the app computes {actual!r}"
        else:
            check_number(shown, actual, name)
    assert used == set(VALUES), f"computed but never quoted: {sorted(set(VALUES) - used)}"


def test_every_checkpoint_answer_is_the_judges(guide: str) -> None:
    answers = {name.removeprefix("answer:"): shown for shown, name in tagged(guide) if name.startswith("answer:")}
    for lesson in LESSONS:
        for checkpoint in cp.lesson_checkpoints(lesson.page):
            assert checkpoint.id in answers, f"the guide gives no answer to {checkpoint.id}"
            assert answers[checkpoint.id].lower() == ANSWERS[checkpoint.id]().answer.lower(), checkpoint.id
    assert set(answers) == set(ANSWERS)


def test_quoted_question_numbers_are_in_the_question(guide: str) -> None:
    for shown, name in tagged(guide):
        if name.startswith("q:"):
            checkpoint = cp.CHECKPOINTS[name.removeprefix("q:")]
            assert shown in " ".join((checkpoint.prompt, *checkpoint.choices)), name


def test_no_untagged_decimal_or_percentage(guide: str) -> None:
    assert untagged_numbers(guide) == []


def test_every_question_of_every_lesson_is_in_the_guide(guide: str) -> None:
    parts = lesson_parts(guide)
    for lesson in LESSONS:
        part = parts[TITLES[lesson.page]]
        for question in lesson.questions:
            assert f"answer:{question}-->" in part or f"<!--question:{question}-->" in part, question


def test_each_plan_lists_every_section_and_fills_45_minutes(guide: str) -> None:
    parts = lesson_parts(guide)
    assert set(parts) == set(TITLES.values())
    for lesson in LESSONS:
        rows = PLAN_ROW.findall(parts[TITLES[lesson.page]])
        assert [(int(n), title.strip()) for _, n, title in rows] == [(s.number, s.title) for s in lesson.sections]
        assert sum(int(minutes) for minutes, _, _ in rows) == 45, lesson.page


def test_the_tag_readers_catch_a_change() -> None:
    """The readers themselves: an edited number fails, an untagged share is found, words are compared."""
    with pytest.raises(AssertionError, match="shows 0.568"):
        check_number("0.568", 0.5667, "x")
    check_number("58%", 0.5789, "x")
    assert untagged_numbers("at 2-D, 58%<!--x--> and *king*<!--y--> but 0.5 and 12 %") == ["0.5", "12 %"]
    assert tagged("*Still\ncat*<!--answer:a--> 3.45<!--b-->") == [("3.45", "b"), ("Still cat", "answer:a")]


def test_home_and_readme_link_the_guide() -> None:
    at = open_page("home")
    assert any(GUIDE_PATH in m.value for m in at.markdown)
    # Home also shows the guide itself, folded, without the tags this test reads.
    shown = "\n".join(m.value for m in at.get_by_key(HOME.guide.key).markdown)
    assert "<!--" not in shown
    assert PLAN_ROW.findall(shown) == PLAN_ROW.findall(GUIDE.read_text(encoding="utf-8"))
    assert f"]({GUIDE_PATH})" in (ROOT / "README.md").read_text(encoding="utf-8")
