"""Uploaded embeddings: every bad file gets its own clear message; good ones round-trip."""

from __future__ import annotations

import io

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from embedcore import userdata
from embedcore.userdata import UploadError, read_csv, read_npy, read_projector_tsv, to_metadata_tsv, to_projector_tsv

GOOD_VECTORS = b"1\t0\t0\n0\t1\t0\n0.5\t0.5\t0\n0\t0\t1\n"
GOOD_META = b"word\tkind\ncat\tanimal\ndog\tanimal\npuppy\tanimal\ncar\tvehicle\n"


def _npy(array: np.ndarray) -> bytes:
    buf = io.BytesIO()
    np.save(buf, array, allow_pickle=True)
    return buf.getvalue()


def test_projector_tsv_with_header_metadata() -> None:
    parsed = read_projector_tsv(GOOD_VECTORS, GOOD_META)
    assert parsed.words == ["cat", "dog", "puppy", "car"]
    np.testing.assert_allclose(parsed.vectors[2], [0.5, 0.5, 0.0])
    assert parsed.vectors.dtype == np.float32
    assert parsed.warnings == []


def test_single_column_metadata_without_header_is_the_projectors_convention() -> None:
    parsed = read_projector_tsv(GOOD_VECTORS, b"cat\ndog\npuppy\ncar\n")
    assert parsed.words == ["cat", "dog", "puppy", "car"]


def test_vectors_without_metadata_are_numbered_with_a_warning() -> None:
    parsed = read_projector_tsv(GOOD_VECTORS)
    assert parsed.words[:2] == ["row 1", "row 2"]
    assert "metadata" in parsed.warnings[0]


def test_csv_finds_the_label_column() -> None:
    parsed = read_csv(b"x,word,y\n1,cat,2\n3,dog,4\n5,puppy,6\n")
    assert parsed.words == ["cat", "dog", "puppy"]
    np.testing.assert_allclose(parsed.vectors, [[1, 2], [3, 4], [5, 6]])


def test_csv_with_semicolons_and_a_named_label_column() -> None:
    parsed = read_csv(b"a;b;term\n1;2;x\n3;4;y\n5;6;z\n", label_column="term")
    assert parsed.words == ["x", "y", "z"]


def test_npy_with_word_list() -> None:
    matrix = np.arange(12, dtype=np.float32).reshape(4, 3) + 1
    parsed = read_npy(_npy(matrix), b"a\nb\nc\nd\n")
    assert parsed.words == ["a", "b", "c", "d"]
    np.testing.assert_allclose(parsed.vectors, matrix)


def test_duplicate_labels_are_made_unique_with_a_warning() -> None:
    parsed = read_projector_tsv(GOOD_VECTORS, b"w\ncat\ncat\ncat\ndog\n")
    assert parsed.words == ["cat", "cat (2)", "cat (3)", "dog"]
    assert "3 duplicate" not in parsed.warnings[0] and "2 duplicate label(s)" in parsed.warnings[0]


def test_all_zero_rows_are_dropped_with_a_warning() -> None:
    parsed = read_projector_tsv(b"1\t0\n0\t0\n0\t1\n1\t1\n", b"w\na\nzero\nb\nc\n")
    assert parsed.words == ["a", "b", "c"]
    assert "zero" in parsed.warnings[0]


def test_export_round_trips_through_the_reader() -> None:
    rng = np.random.default_rng(0)
    matrix = rng.normal(size=(5, 4)).astype(np.float32)
    labels = ["a", "b\tc", "d", "e", "f"]
    tsv = to_projector_tsv(matrix)
    meta = to_metadata_tsv(labels, group=[1, 1, 2, 2, 3])
    parsed = read_projector_tsv(tsv.encode(), meta.encode())
    np.testing.assert_allclose(parsed.vectors, matrix, rtol=1e-5)
    assert parsed.words == ["a", "b c", "d", "e", "f"]
    assert meta.splitlines()[0] == "label\tgroup"


BAD_FILES = [
    ("empty", lambda: read_projector_tsv(b"  \n"), "vectors.tsv is empty"),
    ("too large", lambda: read_projector_tsv(b"1\t2\n" * (userdata.MAX_BYTES // 4 + 1)), r"MB; the limit is 50 MB"),
    ("encoding", lambda: read_projector_tsv(b"1\t2\n\xff\xfe\t3\n"), r"not UTF-8 text \(byte 0xff at position 4\)"),
    ("non-numeric", lambda: read_projector_tsv(b"1\t2\n3\tabc\n5\t6\n"), r"row 2, column 2 is 'abc', which is not a number"),
    ("non-finite", lambda: read_projector_tsv(b"1\t2\n3\tnan\n5\t6\n"), r"row 2, column 2 is nan; every value must be a finite"),
    ("infinite", lambda: read_projector_tsv(b"1\t2\n3\t4\ninf\t6\n"), r"row 3, column 1 is inf"),
    ("ragged", lambda: read_projector_tsv(b"1\t2\n3\t4\t5\n5\t6\n"), r"row 2 has 3 values but row 1 has 2"),
    ("commas in tsv", lambda: read_projector_tsv(b"1,2\n3,4\n5,6\n"), "separate values with tabs"),
    ("too few rows", lambda: read_projector_tsv(b"1\t2\n3\t4\n"), "at least 3 are needed"),
    ("too many rows", lambda: read_projector_tsv(b"1\n" * (userdata.MAX_ROWS + 1)), r"50,001 rows; the limit is 50,000"),
    ("too many dims", lambda: read_projector_tsv(("\t".join(["1"] * 2049) + "\n").encode() * 3), r"2,049 dimensions; the limit is 2,048"),
    ("metadata count", lambda: read_projector_tsv(GOOD_VECTORS, b"w\na\nb\n"), "metadata.tsv has 3 lines but vectors.tsv has 4 rows"),
    ("csv no label", lambda: read_csv(b"a,b\n1,2\n3,4\n5,6\n"), "no label column"),
    ("csv ragged", lambda: read_csv(b"w,a,b\nx,1,2\ny,3\nz,5,6\n"), r"row 3 has 2 values but the header has 3"),
    ("csv header only", lambda: read_csv(b"w,a,b\n"), "header row and at least one data row"),
    ("csv missing column", lambda: read_csv(b"w,a\nx,1\ny,2\nz,3\n", label_column="nope"), "no column named 'nope'"),
    ("npy pickle", lambda: read_npy(_npy(np.array([{"a": 1}] * 3, dtype=object)), b"a\nb\nc\n"), "holds Python objects"),
    ("npy garbage", lambda: read_npy(b"not a numpy file at all", b"a\n"), "could not be read as a NumPy array"),
    ("npy 3-D", lambda: read_npy(_npy(np.zeros((3, 2, 2))), b"a\nb\nc\n"), r"must be 2-D .* shape \(3, 2, 2\)"),
    ("npy words", lambda: read_npy(_npy(np.ones((3, 2))), b"a\nb\n"), "word list has 2 lines but the .npy array has 3 rows"),
    ("npy nan", lambda: read_npy(_npy(np.array([[1.0, np.nan], [1, 2], [3, 4]])), b"a\nb\nc\n"), "row 1, column 2 is not a finite"),
    ("npy strings", lambda: read_npy(_npy(np.array([["a", "b"]] * 3)), b"a\nb\nc\n"), "not real numbers"),
]


@pytest.mark.parametrize(("case", "call", "message"), BAD_FILES, ids=[c[0] for c in BAD_FILES])
def test_each_bad_file_has_its_own_message(case: str, call, message: str) -> None:
    with pytest.raises(UploadError, match=message):
        call()


@settings(max_examples=150, deadline=None)
@given(st.binary(max_size=300), st.one_of(st.none(), st.binary(max_size=100)))
def test_arbitrary_bytes_only_ever_raise_upload_error(vectors: bytes, meta: bytes | None) -> None:
    for read in (lambda: read_projector_tsv(vectors, meta), lambda: read_csv(vectors), lambda: read_npy(vectors, meta or b"")):
        try:
            parsed = read()
        except UploadError:
            continue
        assert len(parsed.words) == len(parsed.vectors) >= userdata.MIN_ROWS
        assert np.isfinite(parsed.vectors).all()
        assert len(set(parsed.words)) == len(parsed.words)


@settings(max_examples=60, deadline=None)
@given(st.text(alphabet="0123456789.-e\t\n,abc ", max_size=200))
def test_numberish_text_only_ever_raises_upload_error(text: str) -> None:
    try:
        read_projector_tsv(text.encode())
    except UploadError:
        pass


def test_uploaded_set_has_the_word_vector_api() -> None:
    from embedcore.userdata import UploadedWordVectors

    wv = UploadedWordVectors(read_projector_tsv(GOOD_VECTORS, GOOD_META))
    assert "puppy" in wv and "king" not in wv
    assert wv.nearest("cat", k=1)[0][0] == "puppy"
    np.testing.assert_allclose(np.linalg.norm(wv.vectors, axis=1), 1.0, rtol=1e-6)
    np.testing.assert_allclose(wv.encode(["dog"])[0], wv.vector("dog"))
    with pytest.raises(ValueError, match="'king' is not in your uploaded set"):
        wv.encode(["king"])


def test_fingerprint_tells_different_sets_apart() -> None:
    from embedcore.userdata import fingerprint

    a = read_projector_tsv(GOOD_VECTORS, GOOD_META)
    b = read_projector_tsv(GOOD_VECTORS.replace(b"0.5", b"0.6"), GOOD_META)
    assert fingerprint(a) == fingerprint(read_projector_tsv(GOOD_VECTORS, GOOD_META))
    assert fingerprint(a) != fingerprint(b)


# -- choosing the reader ---------------------------------------------------------------


def test_read_upload_picks_the_reader_from_the_vectors_file() -> None:
    from embedcore.userdata import read_upload

    matrix = np.eye(3, dtype=np.float32) + 0.5
    assert read_upload("vectors.tsv", GOOD_VECTORS, "metadata.tsv", GOOD_META).source == "Projector TSV"
    assert read_upload("table.csv", b"word,a,b\nx,1,2\ny,3,4\nz,5,7\n").source == "CSV"
    assert read_upload("m.npy", _npy(matrix), "w.txt", b"a\nb\nc\n").words == ["a", "b", "c"]
    # A NumPy file is known by its magic bytes, whatever its name.
    assert read_upload("vectors.tsv", _npy(matrix), "w.txt", b"a\nb\nc\n").source == ".npy"


def test_read_upload_explains_a_missing_word_list_and_an_unused_labels_file() -> None:
    from embedcore.userdata import read_upload

    with pytest.raises(UploadError, match=r"upload its word list \(a \.txt file"):
        read_upload("m.npy", _npy(np.ones((3, 2))))
    parsed = read_upload("t.csv", b"word,a,b\nx,1,0\ny,2,1\nz,3,1\n", "metadata.tsv", GOOD_META)
    assert parsed.words == ["x", "y", "z"]
    assert parsed.warnings == ["The labels file was not used: a CSV carries its labels in its own label column."]


def test_npy_values_too_large_to_square_are_refused() -> None:
    with pytest.raises(UploadError, match="values above 1e30"):
        read_npy(_npy(np.array([[1e300, 1.0], [1, 2], [3, 4]])), b"a\nb\nc\n")


# -- an uploaded set answers to what students type -------------------------------------------

CASED_META = b"label\nCat\ndog\nNew York\ncat\n"


def _cased():
    from embedcore.userdata import UploadedWordVectors

    return UploadedWordVectors(read_projector_tsv(GOOD_VECTORS, CASED_META))


def test_typed_forms_reach_their_labels_and_exact_labels_win() -> None:
    wv = _cased()
    assert wv.words == ["Cat", "dog", "New York", "cat"]  # the labels only, in file order
    assert wv.label("new york") == wv.label('"new york"') == "New York"
    assert wv.label("Cat") == "Cat" and wv.label("cat") == "cat"  # the exact label beats Cat's lower-case form
    np.testing.assert_array_equal(wv.vector("new york"), wv.vector("New York"))
    assert wv.labels_of(["new york", "dog", "kangaroo"]) == ["New York", "dog", "kangaroo"]
    # The query (typed as 'new york') and the excluded label are both left out.
    assert [w for w, _ in wv.nearest("new york", k=3, exclude=["Cat"])] == ["dog", "cat"]


def test_expression_terms_and_typable_labels() -> None:
    from embedcore.userdata import UploadedWordVectors

    wv = _cased()
    assert wv.expression_term("dog") == "dog"
    assert wv.expression_term("New York") == '"New York"'
    assert wv.expression_term("Cat") is None  # its typed form 'cat' is another label
    meta = b"w\nrow 1\nsay \"hi\"\na, b\nok\n"
    odd = UploadedWordVectors(read_projector_tsv(GOOD_VECTORS, meta))
    assert odd.typable_labels(10) == ["row 1", "ok"]
    assert odd.typable_labels(1) == ["row 1"]


def test_evaluate_runs_on_an_upload_and_names_a_missing_word() -> None:
    from embedcore.expressions import evaluate

    wv = _cased()
    result = evaluate('dog - cat + "new york"', wv)
    assert result.oov_words == []
    expected = wv.vector("dog") - wv.vector("cat") + wv.vector("New York")
    np.testing.assert_allclose(result.vector, expected, rtol=1e-6)
    assert wv.labels_of([t for _, t in result.terms]) == ["dog", "cat", "New York"]
    with pytest.raises(ValueError, match=r"'king' is not in your uploaded set, and an uploaded set cannot encode"):
        evaluate("king - dog", wv)
    with pytest.raises(ValueError, match=r"'dogg' is not in your uploaded set \(did you mean dog\?\)"):
        evaluate("dogg + cat", wv)


def test_rows_are_scaled_to_unit_length_whatever_their_size() -> None:
    from embedcore.userdata import UploadedWordVectors

    huge = read_projector_tsv(b"1e25\t0\n0\t1e25\n1e25\t1e25\n", b"a\nb\nc\n")
    tiny = read_projector_tsv(b"1e-9\t0\n0\t1e-9\n1e-9\t1e-9\n", b"a\nb\nc\n")
    for parsed in (huge, tiny):
        wv = UploadedWordVectors(parsed)
        np.testing.assert_allclose(np.linalg.norm(wv.vectors, axis=1), 1.0, rtol=1e-6)
        assert wv.nearest("a", k=1)[0] == ("c", pytest.approx(np.sqrt(0.5), rel=1e-6))


# -- export ------------------------------------------------------------------------------


def test_exported_word_vectors_read_back_as_the_same_unit_vectors() -> None:
    from embedcore.userdata import export_word_vectors

    wv = _cased()
    vectors_tsv, metadata_tsv = export_word_vectors(wv, wv.labels_of(["new york", "dog", "Cat"]))
    back = read_projector_tsv(vectors_tsv.encode(), metadata_tsv.encode())
    assert back.words == ["New York", "dog", "Cat"]
    expected = np.stack([wv.vector("New York"), wv.vector("dog"), wv.vector("Cat")])
    np.testing.assert_allclose(back.vectors, expected, atol=1e-6)
    assert metadata_tsv.splitlines() == ["label\tin_vocabulary", "New York\tyes", "dog\tyes", "Cat\tyes"]
    with pytest.raises(ValueError, match="'kangaroo' is not in your uploaded set"):
        export_word_vectors(wv, ["dog", "kangaroo"])


# -- memory: uploads are read row by row and kept as float32 ----------------------------


def _formats(matrix: np.ndarray) -> dict[str, tuple]:
    n, dim = matrix.shape
    words = [f"w{i}" for i in range(n)]
    csv_text = "word," + ",".join(f"d{j}" for j in range(dim)) + "\n" + "".join(
        f"{w}," + ",".join(f"{x:.6g}" for x in row) + "\n" for w, row in zip(words, matrix))
    return {
        "tsv": ("vectors.tsv", userdata.to_projector_tsv(matrix).encode(), None, None),
        "csv": ("vectors.csv", csv_text.encode(), None, None),
        "npy": ("vectors.npy", _npy(matrix.astype(np.float64)), "words.txt", "\n".join(words).encode()),
    }


@pytest.mark.parametrize("fmt", ["tsv", "csv", "npy"])
def test_reading_an_upload_needs_little_more_memory_than_the_file(fmt: str) -> None:
    """A 49 MB TSV once took the server from 0.3 to 2.4 GB: the reader held every cell as a Python string.

    tracemalloc counts both Python objects and numpy's buffers. Reading used
    10x (TSV), 15x (CSV) and 3.7x (.npy) the file's size at its peak; now the
    peak stays under 2x, and what is kept is the float32 matrix.
    """
    import tracemalloc

    from embedcore.userdata import UploadedWordVectors, read_upload

    matrix = np.random.default_rng(0).normal(size=(1500, 200)).astype(np.float32)
    name, data, labels_name, labels = _formats(matrix)[fmt]
    tracemalloc.start()
    try:
        wv = UploadedWordVectors(read_upload(name, data, labels_name, labels))
        kept, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert wv.vectors.dtype == np.float32 and wv.vectors.shape == (1500, 200)
    assert peak < 2.0 * len(data), f"peak {peak / 1e6:.1f} MB for a {len(data) / 1e6:.1f} MB file"
    assert kept < 1.5 * matrix.nbytes


def test_rows_times_dimensions_is_bounded() -> None:
    rows = userdata.MAX_VALUES // 1000 + 1
    tsv = ("\t".join(["1"] * 1000) + "\n").encode() * rows
    with pytest.raises(UploadError, match=rf"{rows:,} rows \u00d7 1,000 dimensions .* the limit is 6,000,000 numbers"):
        read_projector_tsv(tsv)


def test_the_size_limit_is_streamlits_upload_limit() -> None:
    """The uploader refuses files over server.maxUploadSize MB of 1,000,000 bytes; the app's check says the same."""
    import tomllib
    from pathlib import Path

    config = tomllib.loads((Path(__file__).resolve().parents[1] / ".streamlit" / "config.toml").read_text())
    assert userdata.MAX_BYTES == config["server"]["maxUploadSize"] * 1_000_000 == 50_000_000
    read_projector_tsv(b"1\t2\n3\t4\n5\t6\n" + b" " * (userdata.MAX_BYTES - 12))  # exactly at the limit: read
    with pytest.raises(UploadError, match="50.0 MB; the limit is 50 MB"):
        read_projector_tsv(b"1\t2\n3\t4\n5\t6\n" + b" " * (userdata.MAX_BYTES - 11))
