"""Bring your own embeddings: read, validate and export uploaded vector sets.

Three formats are read, each into words plus a float32 matrix:

* **Embedding Projector TSV** - ``vectors.tsv`` (one vector per line, values
  separated by tabs, no header) with an optional ``metadata.tsv`` of labels
  (Smilkov et al., 2016, https://projector.tensorflow.org). A metadata file
  with one more line than the vectors has a header; with a single column and
  exactly as many lines, it has none (the Projector's own convention).
* **CSV** with a label column (the column named ``word``/``label``/``name``/
  ``token``, else the first non-numeric column) and numeric columns.
* **NumPy** ``.npy`` matrix of shape (n_words, dim) plus a word list (one
  word per line). Read with ``allow_pickle=False``: a ``.npy`` file can carry
  pickled objects, which would run code; we never load those.

Every problem raises :class:`UploadError` (a ``ValueError``) with a message a
student can act on; fixable oddities (duplicate labels, all-zero rows) are
fixed and reported in ``ParsedEmbeddings.warnings``.

Export writes the Projector's format, so a map or a word list made here can
be opened in the Embedding Projector, and read back here.
"""

from __future__ import annotations

import csv
import hashlib
import io
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field

import numpy as np
from numpy.typing import ArrayLike, NDArray

from embedcore.encoding import WordVectorsLike, encode_texts
from embedcore.expressions import ExpressionError, parse
from embedcore.wordlists import parse_word_list
from embedcore.wordvectors import WordVectors

# Streamlit's server.maxUploadSize (.streamlit/config.toml) counts megabytes
# of 1,000,000 bytes; the app's own check uses the same unit and number.
MAX_MB = 50
MAX_BYTES = MAX_MB * 1_000_000
MAX_ROWS = 50_000
MAX_DIM = 2_048
# Numbers in all (rows x dimensions): 24 MB as float32, e.g. 20,000 words x 300.
MAX_VALUES = 6_000_000
MIN_ROWS = 3
MIN_DIM = 2
MAX_LABEL_CHARS = 100
_LABEL_COLUMNS = ("word", "label", "name", "token", "text")


class UploadError(ValueError):
    """An uploaded file that cannot be used, with the reason in plain words."""


@dataclass(frozen=True)
class ParsedEmbeddings:
    """A validated vector set.

    Attributes
    ----------
    words : list of str, length n
        Unique labels, in file order.
    vectors : ndarray of shape (n, dim), float32
        Finite, non-zero rows.
    warnings : list of str
        What was fixed on the way in (duplicates renamed, zero rows dropped).
    source : str
        Which format was read.
    """

    words: list[str]
    vectors: NDArray[np.float32]
    warnings: list[str] = field(default_factory=list)
    source: str = ""


# -- small checks shared by every format ---------------------------------------


def _mb(n_bytes: int) -> str:
    return f"{n_bytes / 1_000_000:.1f} MB"


def _check_size(data: bytes, name: str) -> None:
    if len(data) > MAX_BYTES:
        raise UploadError(f"{name} is {_mb(len(data))}; the limit is {MAX_MB} MB.")
    if not data.strip():
        raise UploadError(f"{name} is empty.")


def _decode(data: bytes, name: str) -> str:
    try:
        text = data.decode("utf-8-sig")  # tolerate a byte-order mark from Excel
    except UnicodeDecodeError as err:
        raise UploadError(
            f"{name} is not UTF-8 text (byte 0x{data[err.start]:02x} at position {err.start}). "
            "Save it as UTF-8 and upload it again."
        ) from None
    if "\x00" in text:
        raise UploadError(f"{name} contains NUL bytes; it looks like a binary file, not text.")
    return text


def _check_shape(n_rows: int, dim: int, name: str) -> None:
    if n_rows > MAX_ROWS:
        raise UploadError(f"{name} has {n_rows:,} rows; the limit is {MAX_ROWS:,}.")
    if dim > MAX_DIM:
        raise UploadError(f"{name} has {dim:,} dimensions; the limit is {MAX_DIM:,}.")
    if n_rows < MIN_ROWS:
        raise UploadError(f"{name} has {n_rows} row(s); at least {MIN_ROWS} are needed to compare anything.")
    if dim < 1:
        raise UploadError(f"{name} has no numeric columns.")
    if n_rows * dim > MAX_VALUES:
        raise UploadError(
            f"{name} holds {n_rows:,} rows \u00d7 {dim:,} dimensions = {n_rows * dim:,} numbers; the limit is "
            f"{MAX_VALUES:,} numbers in all (for example 20,000 rows \u00d7 300 dimensions)."
        )
    if dim < MIN_DIM:
        # Scaled to length 1, every 1-number vector is +1 or -1: no directions to compare, no 2-D map.
        raise UploadError(
            f"{name} has 1 number per row; at least {MIN_DIM} are needed, because a vector of one number "
            "only says + or - once it is scaled to length 1."
        )


def _to_matrix(rows: Iterable[Sequence[str]], n_rows: int, width: int, name: str,
               first_row: int = 1) -> NDArray[np.float32]:
    """Parse rows of number strings, one at a time, into a float32 matrix (n_rows, width).

    ``rows`` is consumed lazily, so a 50 MB file never exists as millions of
    small Python strings at once (that once cost 2 GB of server memory):
    only the finished matrix is kept, as float32. The first bad cell is named
    exactly: its row, its column and what it holds.
    """
    _check_shape(n_rows, width, name)
    matrix = np.empty((n_rows, width), dtype=np.float32)
    i = -1
    for i, row in enumerate(rows):
        if len(row) != width:
            raise UploadError(
                f"{name}: row {i + first_row} has {len(row)} values but row {first_row} has {width}. "
                "Every row needs the same number of values."
            )
        try:
            values = np.array(row, dtype=np.float64)
        except ValueError:
            for j, cell in enumerate(row):
                try:
                    float(cell)
                except ValueError:
                    shown = cell.strip()[:30] or "(empty)"
                    raise UploadError(
                        f"{name}: row {i + first_row}, column {j + 1} is '{shown}', which is not a number."
                    ) from None
            raise UploadError(f"{name}: row {i + first_row} could not be read as numbers.") from None
        finite = np.isfinite(values)
        if not finite.all():
            j = int(np.argmin(finite))
            raise UploadError(
                f"{name}: row {i + first_row}, column {j + 1} is {row[j].strip()}; "
                "every value must be a finite number (no NaN or infinity)."
            )
        if np.abs(values).max() > 1e30:
            raise UploadError(f"{name} has values above 1e30 in size; rescale the vectors.")
        matrix[i] = values
    if i + 1 != n_rows:  # pragma: no cover - the callers count the rows they pass
        raise UploadError(f"{name}: expected {n_rows} rows, read {i + 1}.")
    return matrix


def _finish(words: list[str], vectors: NDArray[np.float32], source: str, warnings: list[str]) -> ParsedEmbeddings:
    """Make labels unique and usable, drop rows with no direction."""
    cleaned = []
    for i, word in enumerate(words):
        word = " ".join(str(word).split())[:MAX_LABEL_CHARS]  # one line, bounded
        cleaned.append(word or f"row {i + 1}")
    seen: dict[str, int] = {}
    unique, duplicates = [], []
    for word in cleaned:
        if word in seen:
            seen[word] += 1
            new = f"{word} ({seen[word]})"
            while new in seen:
                seen[word] += 1
                new = f"{word} ({seen[word]})"
            seen[new] = 1
            unique.append(new)
            duplicates.append(word)
        else:
            seen[word] = 1
            unique.append(word)
    if duplicates:
        names = ", ".join(sorted(set(duplicates))[:5])
        warnings.append(
            f"{len(duplicates)} duplicate label(s) were made unique by numbering them ({names}"
            + (", ..." if len(set(duplicates)) > 5 else "")
            + ")."
        )
    # Row lengths in float64 without a float64 copy of the matrix.
    norms = np.sqrt(np.einsum("ij,ij->i", vectors, vectors, dtype=np.float64))
    zero = norms < 1e-12
    if zero.any():
        dropped = [unique[i] for i in np.flatnonzero(zero)]
        warnings.append(
            f"{len(dropped)} all-zero row(s) have no direction and were left out ({', '.join(dropped[:5])})."
        )
        keep = ~zero
        unique = [w for w, k in zip(unique, keep) if k]
        vectors = vectors[keep]
        if len(unique) < MIN_ROWS:
            raise UploadError(f"Fewer than {MIN_ROWS} rows are left after dropping all-zero rows.")
    return ParsedEmbeddings(words=unique, vectors=np.ascontiguousarray(vectors), warnings=warnings, source=source)


def _split_lines(text: str) -> list[str]:
    # Only \n and \r\n end a line: str.splitlines() would also split on
    # control characters such as \x1c, which can sit inside a label.
    return [line[:-1] if line.endswith("\r") else line for line in text.split("\n")]


def _iter_raw_lines(text: str) -> Iterator[str]:
    """Every line of ``text`` with its ending, one at a time (for ``csv.reader``)."""
    start, size = 0, len(text)
    while start < size:
        end = text.find("\n", start)
        end = size if end == -1 else end + 1
        yield text[start:end]
        start = end


def _iter_lines(text: str) -> Iterator[str]:
    """The non-blank lines of ``text``, one at a time (only \\n and \\r\\n end a line)."""
    start, size = 0, len(text)
    while start <= size:
        end = text.find("\n", start)
        if end == -1:
            end = size
        line = text[start:end]
        start = end + 1
        if line.endswith("\r"):
            line = line[:-1]
        if line.strip():
            yield line


# -- the three formats ------------------------------------------------------------


def read_projector_tsv(vectors_tsv: bytes, metadata_tsv: bytes | None = None) -> ParsedEmbeddings:
    """Read the Embedding Projector's ``vectors.tsv`` (+ optional ``metadata.tsv``).

    Returns
    -------
    ParsedEmbeddings
        Labels from the metadata's first column (or ``row 1``, ``row 2``, ...).
    """
    _check_size(vectors_tsv, "vectors.tsv")
    text = _decode(vectors_tsv, "vectors.tsv")
    n_rows = sum(1 for _ in _iter_lines(text))
    if not n_rows:
        raise UploadError("vectors.tsv is empty.")
    if n_rows > MAX_ROWS:
        raise UploadError(f"vectors.tsv has {n_rows:,} rows; the limit is {MAX_ROWS:,}.")
    first = next(_iter_lines(text)).split("\t")
    if len(first) == 1 and ("," in first[0] or " " in first[0].strip()):
        raise UploadError("vectors.tsv must separate values with tabs; this file seems to use commas or spaces.")
    matrix = _to_matrix((line.split("\t") for line in _iter_lines(text)), n_rows, len(first), "vectors.tsv")
    del text
    warnings: list[str] = []
    if metadata_tsv is None:
        words = [f"row {i + 1}" for i in range(len(matrix))]
        warnings.append("No metadata.tsv was given, so rows are labelled by number.")
        return _finish(words, matrix, "Projector TSV", warnings)
    _check_size(metadata_tsv, "metadata.tsv")
    meta = [line.split("\t") for line in _split_lines(_decode(metadata_tsv, "metadata.tsv"))]
    while meta and not any(cell.strip() for cell in meta[-1]):
        meta.pop()  # trailing blank lines
    n = len(matrix)
    if len(meta) == n + 1:
        meta = meta[1:]  # the first row is a header
    elif not (len(meta) == n and len(meta[0]) == 1):
        raise UploadError(
            f"metadata.tsv has {len(meta)} lines but vectors.tsv has {n} rows. It needs a header line "
            f"plus one line per vector ({n + 1} lines), or exactly {n} lines if it has a single column."
        )
    return _finish([row[0] for row in meta], matrix, "Projector TSV", warnings)


def read_csv(data: bytes, label_column: str | None = None) -> ParsedEmbeddings:
    """Read a CSV with a header row, one label column and numeric columns."""
    _check_size(data, "The CSV file")
    text = _decode(data, "The CSV file")
    try:
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel

    def records() -> Iterator[list[str]]:
        """The non-blank rows, read lazily (twice: once to count and check, once to parse)."""
        try:
            for row in csv.reader(_iter_raw_lines(text), dialect):
                if any(cell.strip() for cell in row):
                    yield row
        except csv.Error as err:
            raise UploadError(f"The CSV file could not be read: {err}.") from None

    rows = records()
    header = [h.strip() for h in next(rows, [])]
    first = next(rows, None)
    if first is None:
        raise UploadError("The CSV file needs a header row and at least one data row.")
    n_body = 1  # data rows; the first is checked below, once the label column is known
    for row in rows:
        n_body += 1
        if n_body > MAX_ROWS:
            continue  # keep counting for the message below
        if len(row) != len(header):
            raise UploadError(
                f"The CSV file: row {n_body + 1} has {len(row)} values but the header has {len(header)}. "
                "Every row needs the same number of values."
            )
    if n_body > MAX_ROWS:
        raise UploadError(f"The CSV file has {n_body:,} rows; the limit is {MAX_ROWS:,}.")
    if label_column is not None:
        if label_column not in header:
            raise UploadError(f"The CSV file has no column named '{label_column[:40]}'.")
        label_at = header.index(label_column)
    else:
        named = [i for i, h in enumerate(header) if h.lower() in _LABEL_COLUMNS]
        if named:
            label_at = named[0]
        else:
            label_at = next((j for j, cell in enumerate(first) if not _is_number(cell)), None)
            if label_at is None:
                raise UploadError(
                    "The CSV file has no label column: name one 'word' or 'label', or put the words in the first column."
                )
    if len(first) != len(header):
        raise UploadError(
            f"The CSV file: row 2 has {len(first)} values but the header has {len(header)}. "
            "Every row needs the same number of values."
        )
    words: list[str] = []

    def numbers() -> Iterator[list[str]]:
        body = records()
        next(body)  # the header
        for row in body:
            words.append(row[label_at])
            yield row[:label_at] + row[label_at + 1 :]

    matrix = _to_matrix(numbers(), n_body, len(header) - 1, "The CSV file", first_row=2)
    del text
    return _finish(words, matrix, "CSV", [])


def _is_number(cell: str) -> bool:
    try:
        float(cell)
    except ValueError:
        return False
    return True


def read_npy(matrix_npy: bytes, words_txt: bytes) -> ParsedEmbeddings:
    """Read a ``.npy`` matrix (n_words, dim) and its word list (one per line)."""
    _check_size(matrix_npy, "The .npy file")
    if not matrix_npy.startswith(b"\x93NUMPY"):
        raise UploadError("The .npy file could not be read as a NumPy array; was it saved with numpy.save?")
    stream = io.BytesIO(matrix_npy)
    try:
        # Read the header first: the shape is checked before the data are loaded.
        version = np.lib.format.read_magic(stream)
        read_header = np.lib.format.read_array_header_1_0 if version == (1, 0) else np.lib.format.read_array_header_2_0
        shape, _, dtype = read_header(stream, max_header_size=10_000)
    except (ValueError, OSError, EOFError, SyntaxError, TypeError):
        raise UploadError("The .npy file could not be read as a NumPy array; was it saved with numpy.save?") from None
    if dtype.hasobject:
        raise UploadError("The .npy file holds Python objects; only plain numeric arrays are accepted.")
    if not np.issubdtype(dtype, np.number) or np.issubdtype(dtype, np.complexfloating):
        raise UploadError(f"The .npy array holds {dtype} values, not real numbers.")
    if len(shape) != 2:
        raise UploadError(f"The .npy array must be 2-D (words x dimensions), not of shape {tuple(shape)}.")
    _check_shape(shape[0], shape[1], "The .npy array")
    try:
        stream.seek(0)
        matrix = np.load(stream, allow_pickle=False)
    except ValueError as err:
        raise UploadError(f"The .npy file could not be read as a NumPy array ({str(err)[:80]}).") from None
    except (OSError, EOFError):
        raise UploadError("The .npy file could not be read as a NumPy array; was it saved with numpy.save?") from None
    finite = np.isfinite(matrix)
    if not finite.all():
        i, j = map(int, np.argwhere(~finite)[0])
        raise UploadError(f"The .npy array: row {i + 1}, column {j + 1} is not a finite number.")
    del finite
    # max and min, not abs(): no temporary copy of a large matrix.
    if max(float(matrix.max()), -float(matrix.min())) > 1e30:
        raise UploadError("The .npy array has values above 1e30 in size; rescale the vectors.")
    _check_size(words_txt, "The word list")
    words = [line.strip() for line in _split_lines(_decode(words_txt, "The word list"))]
    while words and not words[-1]:
        words.pop()
    if len(words) != matrix.shape[0]:
        raise UploadError(f"The word list has {len(words)} lines but the .npy array has {matrix.shape[0]} rows.")
    return _finish(words, matrix.astype(np.float32, copy=False), ".npy", [])


def read_upload(
    vectors_name: str, vectors_data: bytes, labels_name: str | None = None, labels_data: bytes | None = None
) -> ParsedEmbeddings:
    """Read an upload in whichever of the three formats it is.

    The vectors file decides: a NumPy file (by its magic bytes or a ``.npy``
    name) needs the word list as ``labels_data``; a ``.csv`` carries its own
    labels; anything else is read as the Projector's ``vectors.tsv`` with
    ``labels_data`` as its optional ``metadata.tsv``.

    Parameters
    ----------
    vectors_name, labels_name : str
        File names as uploaded (only their extensions are used).
    vectors_data, labels_data : bytes
        The files' contents; ``labels_data`` may be None.

    Raises
    ------
    UploadError
        With the reason, for every file that cannot be used.
    """
    extension = vectors_name.rsplit(".", 1)[-1].lower() if "." in vectors_name else ""
    if extension == "npy" or vectors_data.startswith(b"\x93NUMPY"):
        if labels_data is None:
            raise UploadError(
                "A .npy matrix has no labels of its own: upload its word list (a .txt file, "
                "one word per line) as the labels file."
            )
        return read_npy(vectors_data, labels_data)
    if extension == "csv":
        parsed = read_csv(vectors_data)
        if labels_data is not None:
            parsed.warnings.append(
                "The labels file was not used: a CSV carries its labels in its own label column."
            )
        return parsed
    return read_projector_tsv(vectors_data, labels_data)


# -- export -------------------------------------------------------------------------


def to_projector_tsv(vectors: ArrayLike) -> str:
    """Projector ``vectors.tsv`` text: one row per vector, tab-separated, no header."""
    matrix = np.asarray(vectors, dtype=np.float64)
    if matrix.ndim != 2:
        raise ValueError(f"vectors must be 2-D, got shape {matrix.shape}")
    return "".join("\t".join(f"{x:.6g}" for x in row) + "\n" for row in matrix)


def to_metadata_tsv(labels: list[str], **columns: list[object]) -> str:
    """Projector ``metadata.tsv`` text with a header: ``label`` then any extra columns."""
    names = ["label", *columns]
    for name, values in columns.items():
        if len(values) != len(labels):
            raise ValueError(f"column {name!r} has {len(values)} values for {len(labels)} labels")

    def clean(value: object) -> str:
        return " ".join(str(value).split())  # no tabs or newlines inside a cell

    rows = ["\t".join(names)]
    for i, label in enumerate(labels):
        rows.append("\t".join([clean(label), *(clean(values[i]) for values in columns.values())]))
    return "\n".join(rows) + "\n"


def export_word_vectors(wv: WordVectorsLike, words: Sequence[str]) -> tuple[str, str]:
    """The vectors of ``words`` as Projector files: (``vectors.tsv``, ``metadata.tsv``).

    Each word is encoded as the app uses it (a unit vector; a word outside a
    bundled vocabulary is built from word pieces and marked in the metadata's
    ``in_vocabulary`` column).

    Raises
    ------
    ValueError
        If ``words`` is empty or a word cannot be encoded (for an uploaded
        set: a word that is not one of its labels).
    """
    encoded = encode_texts(wv, list(words))
    in_vocab = ["yes" if known else "no (word pieces)" for known in encoded.in_vocab]
    return to_projector_tsv(encoded.vectors), to_metadata_tsv(encoded.texts, in_vocabulary=in_vocab)


# -- an uploaded set behind the same API as the bundled vectors -------------------------


def fingerprint(parsed: ParsedEmbeddings) -> str:
    """A SHA-256 of the words and vectors: a safe cache key for an uploaded set.

    Two sessions that upload the same file share cached results; two
    different files can never be mistaken for one another (unlike ``id()``,
    which Python reuses once an object is gone).
    """
    digest = hashlib.sha256()
    digest.update("\n".join(parsed.words).encode("utf-8"))
    digest.update(np.ascontiguousarray(parsed.vectors, dtype=np.float32))  # the buffer itself, no bytes copy
    return digest.hexdigest()


class UploadedWordVectors(WordVectors):
    """A student's own vector set, with the bundled vectors' API.

    It has no text encoder: :meth:`encode` looks texts up in the uploaded
    vocabulary and explains, with a ``ValueError``, when one is missing.

    The page's text boxes lower-case what students type, and the expression
    parser puts a label with spaces or digits in quotes (``"row 1"``), so
    each label can also be reached in those forms: ``paris`` and
    ``"new york"`` find ``Paris`` and ``New York``. An exact label always
    wins; of two labels that differ only in case, the first in the file
    answers to the lower-case form. :attr:`words` lists the labels only.

    Attributes
    ----------
    fingerprint : str
        SHA-256 of words and vectors (see :func:`fingerprint`).
    source : str
        The file format it was read from.
    """

    def __init__(self, parsed: ParsedEmbeddings) -> None:
        # Divide each row by its largest |entry| first, in float32: entries then
        # lie in [-1, 1], so squaring can neither overflow (a float32 of 1e20)
        # nor vanish (a row shorter than 1e-6), and no float64 copy is made.
        # _finish left no all-zero rows.
        rows = parsed.vectors
        super().__init__(parsed.words, rows / np.abs(rows).max(axis=1, keepdims=True))
        self.fingerprint = fingerprint(parsed)
        self.source = parsed.source
        # Typed forms -> row, after every exact label (setdefault never overrides one).
        for i, word in enumerate(parsed.words):
            typed = word.lower()
            self._index.setdefault(typed, i)
            self._index.setdefault(f'"{typed}"', i)

    def __repr__(self) -> str:
        return f"UploadedWordVectors(n_words={len(self)}, dim={self.dim}, source={self.source!r})"

    def label(self, text: str) -> str:
        """The label that ``text`` (as typed: lower case, or in quotes) stands for.

        Raises
        ------
        UnknownWordError
            A ``KeyError`` if ``text`` is not a label of the set.
        """
        return self._words[self.index(text)]

    def labels_of(self, texts: Sequence[str]) -> list[str]:
        """Each text as its label; texts that are not labels are kept as typed."""
        return [self.label(t) if t in self else t for t in texts]

    def expression_term(self, label: str) -> str | None:
        """How to type ``label`` in an expression (``cat``, or ``"row 1"`` in quotes).

        Returns None if no typed form reaches this label (it holds a quote
        mark, or another label claims its lower-case form).
        """
        for typed in (label, f'"{label}"'):
            try:
                terms = parse(typed)
            except ExpressionError:
                continue
            if len(terms) == 1 and terms[0][0] == 1.0 and terms[0][1] in self and self.label(terms[0][1]) == label:
                return typed
        return None

    def typable_labels(self, n: int) -> list[str]:
        """The first ``n`` labels (file order) that can be typed in every text box of the page.

        That is, both as an item of a comma-separated word list and as an
        expression term: no commas, semicolons or quote marks, at most
        ``wordlists.MAX_WORD_LENGTH`` characters, and not shadowed by a
        label that differs only in case.
        """
        found: list[str] = []
        for word in self._words:
            if len(found) >= n:
                break
            try:
                items = parse_word_list(word, max_words=1)
            except ValueError:
                continue
            if items[0] in self and self.label(items[0]) == word and self.expression_term(word) is not None:
                found.append(word)
        return found

    def _unknown_message(self, word: object) -> str:
        shown = str(word)[:40]
        close = self.suggest(shown) if isinstance(word, str) else []
        return (
            f"'{shown}' is not in your uploaded set"
            + (f" (did you mean {', '.join(close)}?)" if close else "")
            + ", and an uploaded set cannot encode new text: use its own words."
        )

    def encode(self, texts: str | Sequence[str]) -> np.ndarray:
        """Vectors of words in the uploaded set, shape (n, dim).

        Raises
        ------
        ValueError
            For a text that is not one of the uploaded labels.
        """
        if isinstance(texts, str):
            texts = [texts]
        missing = [t for t in texts if t not in self]
        if missing:
            raise ValueError(self._unknown_message(missing[0]))
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        return np.stack([self.vector(t) for t in texts])
