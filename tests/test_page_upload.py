"""AppTest tests of "Use your own embeddings" on the "Format matters" page.

A student uploads a vector set (Projector TSV + metadata, CSV, or .npy + word
list), the page switches to it, and the sections compute on its labels. Bad
files get their own message; downloads carry Projector-format TSV; and two
sessions never see each other's uploads.

Each test opens its own session (AppTest). The Car-Land map starts on PCA, as
in ``test_page_format_matters``, so no test waits for t-SNE.

What the page says about a file is checked through its values: what it
read (the session's upload and status), the numbers a message quotes, and,
for a bad file, the very message embedcore gives for the same bytes.
"""

from __future__ import annotations

import io

import numpy as np
import pytest
from streamlit.testing.v1 import AppTest

from app_state import FM
from embedcore import encoding, userdata, wordaxes, wordlists
from embedcore.expressions import evaluate
from embedcore.userdata import UploadError, read_projector_tsv
from embedcore.wordvectors import load_word_vectors
from tests.apptest_utils import DASHBOARD, PAGES, assert_no_exception, chart, chart_keys, download, metric, shown, texts, values
from tests.quoted import has, keyed_text, numbers

BUNDLED, UPLOAD = FM.upload_use.choices

LABELS = ["cat", "dog", "puppy", "car", "truck", "New York"]
MATRIX = np.array(
    [
        [1.0, 0.1, 0.0, 0.0],
        [0.9, 0.3, 0.0, 0.0],
        [0.8, 0.4, 0.1, 0.0],
        [0.0, 0.0, 1.0, 0.1],
        [0.0, 0.1, 0.9, 0.3],
        [0.0, 0.0, 0.2, 1.0],
    ]
)
VECTORS_TSV = userdata.to_projector_tsv(MATRIX).encode()
METADATA_TSV = userdata.to_metadata_tsv(LABELS, kind=["animal"] * 3 + ["vehicle"] * 2 + ["city"]).encode()


# -- helpers -------------------------------------------------------------------------------


def open_fm() -> AppTest:
    at = AppTest.from_file(DASHBOARD, default_timeout=180)
    at.switch_page(PAGES["format_matters"])
    at.session_state[FM.map_method.key] = "PCA"  # no t-SNE wait in these tests
    at.run()
    assert_no_exception(at)
    return at


def uploader(at: AppTest, which: str):
    """The vectors or labels uploader, whatever its version suffix."""
    prefix = {"vectors": FM.upload_vectors, "labels": FM.upload_labels}[which].key + "."
    found = [u for u in at.file_uploader if u.key and u.key.startswith(prefix)]
    assert len(found) == 1, [u.key for u in at.file_uploader]
    return found[0]


def upload(at: AppTest, vectors: tuple[str, bytes], labels: tuple[str, bytes] | None = None) -> AppTest:
    uploader(at, "vectors").set_value((vectors[0], vectors[1], "application/octet-stream"))
    labels_widget = uploader(at, "labels")
    labels_widget.set_value(None if labels is None else (labels[0], labels[1], "text/plain"))
    at.run()
    assert_no_exception(at)
    return at


def upload_projector(at: AppTest, matrix: np.ndarray = MATRIX) -> AppTest:
    return upload(at, ("vectors.tsv", userdata.to_projector_tsv(matrix).encode()), ("metadata.tsv", METADATA_TSV))


def neighbours(at: AppTest) -> list[str]:
    """The words of the arithmetic section's bar chart, best first."""
    labels = [label for trace in chart(at, FM.neighbours_chart.key)["data"] for label in trace["y"]]
    ranked = sorted(labels, key=lambda label: int(label.split(". ", 1)[0]))
    return [label.split(". ", 1)[1] for label in ranked]


def assert_read(at: AppTest, files: str, source: str, shape: tuple[int, int]) -> None:
    """The page read ``files`` as ``source`` into a set of ``shape`` (rows, dimensions), and says so."""
    status, uploaded = at.session_state[FM.upload_status.key], at.session_state[FM.upload_set.key]
    assert (status["loaded_files"], status["error"], uploaded.source) == (files, None, source)
    assert (len(uploaded), uploaded.dim) == shape
    (success,) = at.success
    assert numbers(shown(success.value)) == list(shape) and files in shown(success.value)


def upload_error(vectors: tuple[str, bytes], labels: tuple[str, bytes] | None = None) -> str:
    """The message embedcore gives for files it cannot use (what the page must show)."""
    with pytest.raises(UploadError) as caught:
        userdata.read_upload(vectors[0], vectors[1], *(labels or (None, None)))
    return str(caught.value)


def expected_neighbours(matrix: np.ndarray, weights: dict[str, float], k: int = 10) -> list[str]:
    """The reference answer: cosine ranking of the other labels against sum_i w_i u_i."""
    unit = matrix / np.linalg.norm(matrix, axis=1, keepdims=True)
    query = sum(w * unit[LABELS.index(word)] for word, w in weights.items())
    cosines = unit @ query / np.linalg.norm(query)
    order = [LABELS[i] for i in np.argsort(-cosines, kind="stable") if LABELS[i] not in weights]
    return order[:k]


# -- a good upload ----------------------------------------------------------------------------


def test_a_projector_upload_switches_the_sections_to_its_labels() -> None:
    at = upload_projector(open_fm())
    assert_read(at, "vectors.tsv + metadata.tsv", "Projector TSV", (6, 4))
    assert not at.warning and not at.error
    assert at.radio(key=FM.upload_use.key).value == UPLOAD
    # Every text box now starts with the upload's own labels.
    assert at.session_state[FM.expression.key] == "cat - dog + puppy"
    assert at.session_state[FM.encode_text.key] == "cat"
    decoded = next(df.value for df in at.dataframe if list(df.value.columns) == ["rank", "word", "cosine similarity"])
    assert decoded["word"][0] == "cat"
    assert FM.noise_chart.key in chart_keys(at)  # an upload has no noise prediction to wait for
    assert neighbours(at) == expected_neighbours(MATRIX, {"cat": 1, "dog": -1, "puppy": 1})

    at.text_input(key=FM.expression.key).input('mean(car, "new york")').run()
    assert_no_exception(at)
    assert not at.error
    assert neighbours(at) == expected_neighbours(MATRIX, {"car": 0.5, "New York": 0.5})
    assert "queen" not in neighbours(at)

    # The map shows the upload's labels; the bias note and the exercises stay on the bundled vectors, and say so.
    mapped = [w for trace in chart(at, FM.map_chart.key)["data"] for w in trace.get("text") or []]
    assert sorted(mapped) == sorted(LABELS)
    assert has(at, FM.bias_bundled.key) and has(at, FM.ex_bundled.key)
    bundled = load_word_vectors()
    axis = wordaxes.make_axis(bundled, wordlists.GENDER_AXIS.negative, wordlists.GENDER_AXIS.positive)
    scores = wordaxes.axis_scores(bundled, list(wordlists.BIAS_PROFESSIONS), axis)
    bias = chart(at, FM.bias_chart.key)["data"][0]
    assert bias["y"] == [wordlists.BIAS_PROFESSIONS[i] for i in np.argsort(scores)]
    np.testing.assert_allclose(values(bias["x"]), np.sort(scores), rtol=1e-6)


def test_words_outside_the_upload_get_a_clear_message() -> None:
    at = upload_projector(open_fm())
    uploaded = at.session_state[FM.upload_set.key]
    at.text_input(key=FM.expression.key).input("king - man + woman").run()
    assert_no_exception(at)
    with pytest.raises(ValueError, match="'king'") as caught:  # the first word the upload does not have
        evaluate("king - man + woman", uploaded)
    assert keyed_text(at, FM.expression_error.key).endswith(str(caught.value))
    at.text_input(key=FM.average_words.key).input("cat, kangaroo").run()
    assert_no_exception(at)
    with pytest.raises(ValueError, match="'kangaroo'") as caught:
        encoding.average(uploaded, uploaded.labels_of(["cat", "kangaroo"]), k=10)
    assert keyed_text(at, FM.average_error.key) == str(caught.value)
    at.text_input(key=FM.expression.key).input("cat + dog").run()
    at.text_input(key=FM.expected.key).input("queen").run()
    assert_no_exception(at)
    assert "queen" not in uploaded and "'queen'" in keyed_text(at, FM.expected_missing.key)
    assert not any(m.label.startswith("Rank of") for m in at.metric)
    at.text_input(key=FM.expected.key).input("New york").run()  # any case finds the label
    rank = expected_neighbours(MATRIX, {"cat": 1, "dog": 1}).index("truck") + 1
    assert rank == 2 and metric(at, "Rank of 'New York'") == "#3"  # puppy, truck, then car and New York tie at 0


def test_back_to_the_bundled_vectors_restores_the_words_and_back_again() -> None:
    at = open_fm()
    at.text_input(key=FM.average_words.key).input("apple, pear").run()
    upload_projector(at)
    assert at.session_state[FM.average_words.key] == "cat, dog"
    at.radio(key=FM.upload_use.key).set_value(BUNDLED).run()
    assert_no_exception(at)
    assert at.session_state[FM.expression.key] == "king - man + woman"
    assert at.session_state[FM.average_words.key] == "apple, pear"  # the student's own words come back
    assert neighbours(at)[0] == "queen"
    at.radio(key=FM.upload_use.key).set_value(UPLOAD).run()
    assert_no_exception(at)
    assert at.session_state[FM.expression.key] == "cat - dog + puppy"
    assert neighbours(at) == expected_neighbours(MATRIX, {"cat": 1, "dog": -1, "puppy": 1})


def test_forget_my_upload_empties_the_uploaders_and_returns_to_the_bundled_vectors() -> None:
    at = upload_projector(open_fm())
    at.button(key=FM.upload_forget.key).click().run()
    assert_no_exception(at)
    assert at.session_state[FM.upload_set.key] is None
    assert not [r for r in at.radio if r.key == FM.upload_use.key]
    assert uploader(at, "vectors").key.endswith(".1") and uploader(at, "vectors").value is None
    assert neighbours(at)[0] == "queen"


def test_the_upload_survives_a_page_switch() -> None:
    at = upload_projector(open_fm())
    at.switch_page(PAGES["home"]).run()
    at.switch_page(PAGES["format_matters"]).run()
    assert_no_exception(at)
    assert at.radio(key=FM.upload_use.key).value == UPLOAD
    assert neighbours(at) == expected_neighbours(MATRIX, {"cat": 1, "dog": -1, "puppy": 1})


def test_a_csv_upload() -> None:
    rows = ["word,x1,x2,x3,x4"] + [f"{w},{','.join(str(v) for v in row)}" for w, row in zip(LABELS, MATRIX)]
    at = upload(open_fm(), ("embeddings.csv", ("\n".join(rows) + "\n").encode()))
    assert_read(at, "embeddings.csv", "CSV", (6, 4))
    assert neighbours(at) == expected_neighbours(MATRIX, {"cat": 1, "dog": -1, "puppy": 1})


def test_a_npy_matrix_with_its_word_list() -> None:
    buffer = io.BytesIO()
    np.save(buffer, MATRIX.astype(np.float32))
    at = upload(open_fm(), ("vectors.npy", buffer.getvalue()), ("words.txt", "\n".join(LABELS).encode()))
    assert_read(at, "vectors.npy + words.txt", ".npy", (6, 4))
    at.text_input(key=FM.expression.key).input("truck - car + dog").run()
    assert neighbours(at) == expected_neighbours(MATRIX, {"truck": 1, "car": -1, "dog": 1})


# -- bad files: each has its own message ----------------------------------------------------------

# Each case: the files, and the numbers its message must quote, in order (embedcore's own tests,
# tests/test_userdata.py, check the wording; here the page must show embedcore's message for these bytes).
BAD_UPLOADS = [
    ("empty", ("vectors.tsv", b""), None, []),
    ("too large", ("vectors.tsv", b"1\t2\n" * (userdata.MAX_BYTES // 4 + 1)), None, [50.0, 50]),  # MB
    ("too many rows", ("vectors.tsv", b"1\n" * (userdata.MAX_ROWS + 1)), None, [50_001, 50_000]),
    ("too many dimensions", ("vectors.tsv", ("\t".join(["1"] * 2049) + "\n").encode() * 3), None, [2049, 2048]),
    ("non-numeric", ("vectors.tsv", b"1\t2\n3\tabc\n5\t6\n"), None, [2, 2]),  # row, column
    ("not a number (NaN)", ("vectors.tsv", b"1\t2\n3\tnan\n5\t6\n"), None, [2, 2]),
    ("infinite", ("vectors.tsv", b"1\t2\n3\t4\n-inf\t6\n"), None, [3, 1]),
    ("ragged rows", ("vectors.tsv", b"1\t2\n3\t4\t5\n5\t6\n"), None, [2, 3, 1, 2]),  # row 2 has 3, row 1 has 2
    ("UTF-16", ("vectors.tsv", "1\t2\n3\t4\n5\t6\n".encode("utf-16")), None, [0]),  # the byte's position
    ("latin-1 labels", ("vectors.tsv", b"1\t2\n3\t4\n5\t6\n"),
     ("metadata.tsv", "word\ncaf\u00e9\nb\nc\n".encode("latin-1")), [8]),
    # 2 lines for 3 rows: a header plus one line per vector (4 lines), or exactly 3 lines without a header.
    ("metadata count", ("vectors.tsv", b"1\t2\n3\t4\n5\t6\n"), ("metadata.tsv", b"word\tkind\na\tx\n"), [2, 3, 4, 3]),
    ("npy without words", ("vectors.npy", b"\x93NUMPY"), None, []),
    ("csv ragged", ("table.csv", b"word,a,b\nx,1,2\ny,3\nz,5,6\n"), None, [3, 2, 3]),  # row 3 has 2, the header 3
    # It raised "n_components must be between 1 and min(n_samples, n_features)=1, got 2".
    ("one number per row", ("vectors.tsv", b"1\n2\n3\n4\n5\n"), None, [1, 2, 1]),  # 1 per row, 2 needed, length 1
    ("too many numbers", ("vectors.tsv", ("\t".join(["1"] * 2000) + "\n").encode() * 3001), None,
     [3001, 2000, 6_002_000, 6_000_000, 20_000, 300]),  # rows x dimensions = numbers; the limit, and an example
]


@pytest.fixture(scope="module")
def bad_page() -> AppTest:
    """One session that receives one bad file after another (each replaces the last)."""
    return open_fm()


@pytest.mark.parametrize(("case", "vectors", "labels", "quoted"), BAD_UPLOADS, ids=[c[0] for c in BAD_UPLOADS])
def test_each_bad_file_gets_its_own_message(bad_page: AppTest, case, vectors, labels, quoted) -> None:
    message = upload_error(vectors, labels)
    assert numbers(message) == quoted
    at = upload(bad_page, vectors, labels)
    assert [shown(e.value) for e in at.error] == [message]
    assert at.session_state[FM.upload_status.key]["error"] == message
    assert at.session_state[FM.upload_set.key] is None
    assert not [r for r in at.radio if r.key == FM.upload_use.key]  # nothing to switch to
    assert neighbours(at)[0] == "queen"  # the page still runs on the bundled vectors


def test_duplicate_labels_are_numbered_with_a_warning() -> None:
    metadata = b"word\ncat\ncat\ndog\ncat\ncar\nbus\n"
    at = upload(open_fm(), ("vectors.tsv", VECTORS_TSV), ("metadata.tsv", metadata))
    (warning,) = userdata.read_upload("vectors.tsv", VECTORS_TSV, "metadata.tsv", metadata).warnings
    assert numbers(warning) == [2] and "(cat)" in warning  # two duplicates, of cat
    assert [shown(w.value) for w in at.warning] == [warning]
    assert at.session_state[FM.upload_set.key].words == ["cat", "cat (2)", "dog", "cat (3)", "car", "bus"]
    assert at.radio(key=FM.upload_use.key).value == UPLOAD


def test_a_bad_file_after_a_good_one_keeps_the_good_one() -> None:
    at = upload_projector(open_fm())
    upload(at, ("vectors.tsv", b"1\t2\n3\tabc\n5\t6\n"))
    assert [shown(e.value) for e in at.error] == [upload_error(("vectors.tsv", b"1\t2\n3\tabc\n5\t6\n"))]
    status = at.session_state[FM.upload_status.key]
    assert status["loaded_files"] == "vectors.tsv + metadata.tsv"  # the earlier upload, still loaded
    assert status["loaded_files"] in texts(at.caption)  # and the page names it
    assert at.session_state[FM.upload_set.key].words == LABELS
    assert at.radio(key=FM.upload_use.key).value == UPLOAD


def test_an_unexpected_failure_is_a_plain_message(monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("boom")

    from ui import heavy

    monkeypatch.setattr(heavy, "run", broken)  # the upload is read through the worker
    at = upload(open_fm(), ("vectors.tsv", VECTORS_TSV))
    message = at.session_state[FM.upload_status.key]["error"]
    assert [shown(e.value) for e in at.error] == [message]
    assert message.startswith("vectors.tsv") and "RuntimeError" in message  # the file and the kind of failure
    assert "boom" not in message  # never the exception's own text
    assert at.session_state[FM.upload_set.key] is None


# -- uploads that used to end the class ----------------------------------------------------------


def test_rows_pointing_one_way_get_a_pca_map_instead_of_a_crash() -> None:
    """``printf '1\\t2\\n2\\t4\\n3\\t6\\n'``: 15 bytes whose rows are identical once scaled to length 1.

    The map section defaults to t-SNE, and scikit-learn's t-SNE segfaulted on
    them, ending the server for every student. Now the page draws the PCA
    map (every point at one place), says why, and goes on.
    """
    at = open_fm()
    at.session_state[FM.map_method.key] = "t-SNE"
    upload(at, ("v.tsv", b"1\t2\n2\t4\n3\t6\n"))
    assert at.radio(key=FM.upload_use.key).value == UPLOAD
    points = np.concatenate([np.column_stack([values(t["x"]), values(t["y"])])
                             for t in chart(at, FM.map_chart.key)["data"] if t.get("text")])
    assert points.shape == (3, 2)
    np.testing.assert_allclose(points, np.broadcast_to(points[0], points.shape), atol=1e-9)  # one point
    assert has(at, FM.map_fallback.key)  # the note that PCA stands in for t-SNE
    assert chart(at, FM.map_chart.key)["layout"]["xaxis"]["title"]["text"] == "PCA 1"
    # The sections after the map are still drawn.
    assert at.text_input(key=FM.ex_queen.key) is not None  # the checked exercises, after the map


def test_a_label_in_quote_marks_does_not_stop_the_page() -> None:
    """An uploaded label '"The Matrix"' raised ValueError in word arithmetic and hid sections 4-6."""
    labels = ['"The Matrix"', "cat", "dog", "car", "bus", "tram"]
    matrix = np.random.default_rng(3).normal(size=(6, 5))
    at = upload(open_fm(), ("vectors.tsv", userdata.to_projector_tsv(matrix).encode()),
                ("metadata.tsv", userdata.to_metadata_tsv(labels).encode()))
    at.text_input(key=FM.expression.key).input("cat - dog + bus").run()
    assert_no_exception(at)
    mapped = [w for trace in chart(at, FM.map_chart.key)["data"] for w in trace.get("text") or []]
    assert '"The Matrix"' in mapped  # the map (section 5) is drawn, label and all


# -- export ---------------------------------------------------------------------------------------


def test_the_map_downloads_as_projector_tsv(media: dict[str, bytes]) -> None:
    at = upload_projector(open_fm())
    vectors_tsv = download(at, media, "This PCA map: vectors (TSV)")
    metadata_tsv = download(at, media, "This PCA map: labels (metadata TSV)")
    back = read_projector_tsv(vectors_tsv.encode(), metadata_tsv.encode())
    assert back.words == LABELS and back.vectors.shape == (6, 2)
    assert metadata_tsv.splitlines()[0] == "label\tgroup\tyour_word"
    # The exported coordinates are the ones on the chart.
    shown = {}
    for trace in chart(at, FM.map_chart.key)["data"]:
        for word, x, y in zip(trace.get("text") or [], values(trace.get("x", [])), values(trace.get("y", []))):
            shown[word] = (x, y)
    for word, row in zip(back.words, back.vectors):
        np.testing.assert_allclose(row, shown[word], rtol=1e-4, atol=1e-6)


def test_a_word_list_downloads_as_projector_tsv(media: dict[str, bytes]) -> None:
    at = upload_projector(open_fm())
    at.text_area(key=FM.export_words.key).input("dog, new york, car").run()
    assert_no_exception(at)
    vectors_tsv = download(at, media, "3 word(s): vectors (TSV)")
    metadata_tsv = download(at, media, "3 word(s): labels (metadata TSV)")
    assert metadata_tsv.splitlines() == ["label\tin_vocabulary", "dog\tyes", "New York\tyes", "car\tyes"]
    back = read_projector_tsv(vectors_tsv.encode(), metadata_tsv.encode())
    unit = MATRIX / np.linalg.norm(MATRIX, axis=1, keepdims=True)
    np.testing.assert_allclose(back.vectors, unit[[1, 5, 3]], atol=1e-6)


def test_the_bundled_vectors_export_too(media: dict[str, bytes]) -> None:
    at = open_fm()
    metadata_tsv = download(at, media, "6 word(s): labels (metadata TSV)")
    assert [line.split("\t")[0] for line in metadata_tsv.splitlines()[1:]] == [
        "king", "queen", "man", "woman", "prince", "princess"]
    vectors_tsv = download(at, media, "6 word(s): vectors (TSV)")
    rows = [line.split("\t") for line in vectors_tsv.splitlines()]
    assert len(rows) == 6 and {len(r) for r in rows} == {256}


# -- sessions -------------------------------------------------------------------------------------


def test_two_sessions_never_see_each_others_uploads() -> None:
    first = upload_projector(open_fm())
    second = open_fm()
    assert second.session_state[FM.upload_set.key] is None
    assert not [r for r in second.radio if r.key == FM.upload_use.key]
    assert second.session_state[FM.expression.key] == "king - man + woman"
    assert neighbours(second)[0] == "queen"

    # The second session uploads other vectors under the same labels: each sees its own answers,
    # and its own map (the map cache is keyed by content, not by object id).
    other = MATRIX[::-1].copy()
    upload_projector(second, other)
    first.run()
    for at, matrix in ((first, MATRIX), (second, other)):
        at.text_input(key=FM.expression.key).input("mean(car, truck)").run()
        assert_no_exception(at)
        assert neighbours(at) == expected_neighbours(matrix, {"car": 0.5, "truck": 0.5})
    assert first.session_state[FM.upload_set.key].fingerprint != second.session_state[FM.upload_set.key].fingerprint
    maps = [chart(at, FM.map_chart.key) for at in (first, second)]
    assert maps[0] != maps[1]
