"""Bring your own embeddings to the "Format matters" page: upload, choose, export.

The page asks :func:`vectors_to_explore` which vectors its sections should
use, and gets a value, :class:`ExploredVectors`: the bundled vectors or the
student's upload, with what to call them and how typed words become the
set's labels. It draws the upload panel (two file uploaders, the result of
reading them, a preview) and, once an upload has been read, the choice
between the bundled vectors and the upload. It sets no other setting of the
page: what the page's word boxes hold on an upload is the page's own affair
(``ui.format_matters.words``).

Everything a student uploads stays in *their* session state
(``FM.upload_set``), never in a cache or a module global that another
session could see. Files are read once per upload (the uploaders' file ids
tell a new file from a rerun), so nothing needs caching here; results
computed *from* an uploaded set are cached by its content fingerprint in
``ui.format_matters.cache``.

The maths and the file formats are in ``embedcore.userdata``.
"""

from __future__ import annotations

import gc
import logging
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
import streamlit as st

from app_state import FM
from embedcore import userdata, wordlists
from embedcore.encoding import WordVectorsLike
from embedcore.userdata import UploadedWordVectors, UploadError
from runtime import memory
from runtime.worker import JobError
from ui import downloads, heavy
from ui.text import md

log = logging.getLogger(__name__)

BUNDLED, UPLOAD = FM.upload_use.choices
MAX_MB = userdata.MAX_MB  # megabytes of 1,000,000 bytes, as Streamlit's uploader counts them
EXPORT_MAX_WORDS = 500

FORMATS_HELP = f"""Explore **your own vectors** with the tools on this page: word arithmetic, neighbours, axes and
the map. The file stays in your browser session only: nobody else sees it, and it is gone when you close the tab.
Three formats are read (up to {MAX_MB} MB, {userdata.MAX_ROWS:,} rows, {userdata.MAX_DIM:,} dimensions and
{userdata.MAX_VALUES:,} numbers in all):

- **Embedding Projector** (projector.tensorflow.org): `vectors.tsv`, one vector per line with tab-separated numbers
  and no header, plus an optional `metadata.tsv` as the labels file (its first column names each vector; with
  several columns, the first row is a header).
- **CSV** with a header row, a label column (named `word`, `label`, `name` or `token`, or else the first column
  that is not numbers) and numeric columns.
- **NumPy** `.npy` matrix (words x dimensions, saved with `numpy.save`) plus its word list, a `.txt` file with one
  word per line, as the labels file.

In the text boxes, labels are matched without regard to case; put a label with spaces or digits in quotes in an
expression (`"new york" - "row 2"`)."""


# A closed tab's session that holds an upload is shut down this long after it disconnected (or at
# half of server.disconnectedSessionTTL, if that is shorter: once the TTL has passed, Streamlit
# drops the session from its store unclosed): a tab that reconnects sooner keeps its upload.
CLOSE_AFTER_S = 10.0
SWEEP_EVERY_S = 2.0
# An upload file this large is read in a worker process that is replaced afterwards, so the
# worker's memory returns to what it was (the parse's peak would otherwise stay in it).
RECYCLE_ABOVE_BYTES = 5_000_000

# Sessions that hold an upload: id -> when it was first seen disconnected (None while connected).
# Process-wide, guarded by its lock; the sweeper thread starts with the first upload.
_UPLOAD_SESSIONS: dict[str, float | None] = {}
_UPLOAD_SESSIONS_LOCK = threading.Lock()
_sweeper: threading.Thread | None = None


def _remember_upload_session() -> None:
    global _sweeper
    session = heavy.owner()
    if session is None:
        return
    with _UPLOAD_SESSIONS_LOCK:
        _UPLOAD_SESSIONS[session] = None
        if _sweeper is None and heavy.live_sessions() is not None:
            _sweeper = threading.Thread(target=_sweep_forever, name="upload-sweeper", daemon=True)
            _sweeper.start()


def _grace() -> float:
    from streamlit import config

    return min(CLOSE_AFTER_S, float(config.get_option("server.disconnectedSessionTTL")) / 2)


def _close_on_event_loop(session_ids: list[str]) -> None:
    """Shut the sessions down through Streamlit's own ``Runtime.close_session`` (which frees their files).

    ``close_session`` must run on the runtime's event loop; waits until it has run. Then each
    session's state is emptied too: Streamlit 1.67's message loop keeps the last session it
    flushed referenced from its frame (``Runtime._loop_coroutine``'s loop variable) until
    another session sends something - after the last tab of a class closed, that was
    for ever, with its upload. ``Runtime._async_objs``, ``AppSession._session_state``
    and the session manager are private in 1.67 (pinned in requirements.txt).
    """
    from streamlit import runtime

    rt = runtime.get_instance()
    sessions = heavy.live_sessions()
    done = threading.Event()

    def close() -> None:
        try:
            for session_id in session_ids:
                info = sessions.get_session_info(session_id)
                rt.close_session(session_id)
                if info is not None:
                    info.session._session_state.clear()
        finally:
            done.set()

    loop = getattr(getattr(rt, "_async_objs", None), "eventloop", None)
    if loop is None or loop.is_closed() or sessions is None:
        return
    loop.call_soon_threadsafe(close)
    done.wait(timeout=10)


def sweep_closed_uploads(now: float | None = None) -> list[str]:
    """Free the uploads of sessions whose tab has been closed for :func:`_grace` seconds; returns their ids.

    Streamlit (1.67) keeps a closed tab's session - its state (the parsed set)
    and its uploaded files - for ``server.disconnectedSessionTTL`` in case the
    tab reconnects, and then drops it from its store *without* shutting it
    down, so the files stayed for the life of the server (1.3 GB three minutes
    after a class closed its tabs). So a sweeper thread closes a disconnected
    session that holds an upload once its grace has passed, through the
    runtime's own ``close_session`` (files, media and state go), then runs a
    full garbage collection (the state sits in reference cycles, and the app
    turns Streamlit's collection after every run off) and hands the freed
    pages back to the OS. tests/browser/test_browser_hostile.py measures it.
    """
    sessions = heavy.live_sessions()
    if sessions is None:
        return []
    now = time.monotonic() if now is None else now
    grace = _grace()
    with _UPLOAD_SESSIONS_LOCK:
        for session_id, since in list(_UPLOAD_SESSIONS.items()):
            if sessions.is_active_session(session_id):
                _UPLOAD_SESSIONS[session_id] = None
            elif since is None:
                _UPLOAD_SESSIONS[session_id] = now
        gone = [sid for sid, since in _UPLOAD_SESSIONS.items() if since is not None and now - since >= grace]
        for session_id in gone:
            del _UPLOAD_SESSIONS[session_id]
    if gone:
        log.info("closing %d closed tab(s) that held an upload", len(gone))
        _close_on_event_loop(gone)
        from streamlit import runtime

        for session_id in gone:  # a session the store had already dropped: its files are still there
            runtime.get_instance().uploaded_file_mgr.remove_session_files(session_id)
        gc.collect()  # the dropped sessions' state, in reference cycles
        memory.give_back()
    return gone


def _sweep_forever() -> None:
    while True:
        time.sleep(SWEEP_EVERY_S)
        try:
            sweep_closed_uploads()
        except Exception:  # noqa: BLE001 - the sweeper must outlive a bad pass
            log.exception("could not free closed sessions' uploads")


# --------------------------------------------------------------------------
# What the page explores
# --------------------------------------------------------------------------
@dataclass(frozen=True)
class ExploredVectors:
    """The vectors the page's sections explore: the bundled word vectors, or the student's upload.

    Attributes
    ----------
    bundled : WordVectorsLike
        The bundled English word vectors (sections about English words use them whatever is explored).
    upload : UploadedWordVectors or None
        The student's upload, when it is what they chose to explore.
    """

    bundled: WordVectorsLike
    upload: UploadedWordVectors | None = None

    @property
    def wv(self) -> WordVectorsLike:
        """The vectors to compute on."""
        return self.upload if self.upload is not None else self.bundled

    @property
    def is_upload(self) -> bool:
        """Whether the sections work on an upload (no encoder, its own labels)."""
        return self.upload is not None

    @property
    def name(self) -> str:
        """"bundled", or the upload's content fingerprint: two uploads of the same vectors share a name."""
        return "bundled" if self.upload is None else f"upload:{self.upload.fingerprint}"

    @property
    def set_name(self) -> str:
        """What to call the vocabulary in a sentence: "is not in <set_name>"."""
        return "your uploaded set" if self.is_upload else f"the {len(self.wv.words):,}-word vocabulary"

    def as_labels(self, words: Sequence[str]) -> list[str]:
        """Typed words as the set's own labels (``paris`` -> ``Paris`` in an upload)."""
        return self.upload.labels_of(words) if self.upload is not None else list(words)


def _forget_upload() -> None:
    """Drop the uploaded set and empty the uploaders (new widget keys start empty)."""
    state = st.session_state
    state[FM.upload_use.key] = BUNDLED
    state[FM.upload_set.key] = None
    state[FM.upload_status.key] = {}
    state[FM.upload_version.key] += 1


# --------------------------------------------------------------------------
# Reading the files
# --------------------------------------------------------------------------
def _read(vectors, labels) -> None:
    """Read newly uploaded files into the session, or record why they cannot be used."""
    state = st.session_state
    status = state[FM.upload_status.key]
    signature = (vectors.file_id, labels.file_id if labels is not None else None)
    if status.get("signature") == signature:
        return  # the same files as in the last run: already read
    files = vectors.name + (f" + {labels.name}" if labels is not None else "")
    attempt = {"signature": signature, "files": files, "error": None, "warnings": [],
               "loaded_files": status.get("loaded_files")}
    try:
        # Read in the worker process: a 50 MB file's parsing neither holds this
        # server's GIL nor leaves its peak memory here; only the float32 result comes back.
        size = vectors.size + (labels.size if labels is not None else 0)
        parsed = heavy.run(
            userdata.read_upload, vectors.name, vectors.getvalue(),
            labels.name if labels is not None else None, labels.getvalue() if labels is not None else None,
            recycle=size > RECYCLE_ABOVE_BYTES,
        )
        uploaded = UploadedWordVectors(parsed)
        warnings = list(parsed.warnings)
        del parsed  # the unscaled copy: only the unit vectors are kept
    except UploadError as error:
        attempt["error"] = str(error)
    except JobError as error:
        attempt["error"] = f"{files} could not be read: {heavy.plain_message(error)}"
    except Exception as error:  # noqa: BLE001 - a file must never show a traceback
        attempt["error"] = (
            f"{files} could not be read ({type(error).__name__}). Check that it is in one of the three "
            "formats described above."
        )
    else:
        attempt["warnings"] = warnings
        attempt["loaded_files"] = files
        state[FM.upload_set.key] = uploaded
        state[FM.upload_status.key] = attempt
        _remember_upload_session()  # once the tab is closed, its upload is freed (sweep_closed_uploads)
        state[FM.upload_use.key] = UPLOAD  # a new upload is what the student wants to explore
        return
    state[FM.upload_status.key] = attempt


def _upload_panel() -> None:
    state = st.session_state
    st.markdown(FORMATS_HELP)
    version = state[FM.upload_version.key]
    left, right = st.columns(2)
    vectors = left.file_uploader(
        "Vectors file (.tsv, .csv or .npy)", type=["tsv", "csv", "npy", "txt"],
        key=FM.upload_vectors.at(version), max_upload_size=MAX_MB,
        help="vectors.tsv from the Embedding Projector, a CSV with a label column, or a .npy matrix.",
    )
    labels = right.file_uploader(
        "Labels file (metadata.tsv, or the word list of a .npy)", type=["tsv", "txt"],
        key=FM.upload_labels.at(version), max_upload_size=MAX_MB,
        help="Optional for vectors.tsv (rows are numbered without it), needed for .npy, not used for CSV.",
    )
    if vectors is not None:
        _read(vectors, labels)
    elif labels is not None:
        st.info("Now add the vectors file: the labels file only names the vectors.", icon=":material/info:")

    status = state[FM.upload_status.key]
    uploaded = state[FM.upload_set.key]
    if status.get("error"):
        st.error(md(status["error"]), icon=":material/error:")
        if uploaded is not None:
            st.caption(f"Your earlier upload ({md(status.get('loaded_files'))}) is still loaded.")
    elif uploaded is not None:
        st.success(
            f"Read {md(status.get('loaded_files', 'your file'))}: {len(uploaded):,} rows \u00d7 {uploaded.dim:,} "
            f"dimensions ({md(uploaded.source)}).",
            icon=":material/check_circle:",
        )
        for warning in status.get("warnings", []):
            st.warning(md(warning), icon=":material/warning:")
    if uploaded is not None:
        preview = pd.DataFrame(np.round(uploaded.vectors[:5, :6], 3),
                               columns=[f"dim {j + 1}" for j in range(min(6, uploaded.dim))])
        preview.insert(0, "label", uploaded.words[:5])
        st.caption("The first rows, scaled to length 1 as the app uses them:")
        st.dataframe(preview, hide_index=True)
        st.button("Forget my upload", key=FM.upload_forget.key, on_click=_forget_upload, icon=":material/delete:")


# --------------------------------------------------------------------------
# Export
# --------------------------------------------------------------------------
def projector_downloads(vectors_tsv: str, metadata_tsv: str, *, stem: str, key: str, what: str) -> None:
    """A Projector ``vectors.tsv`` and its ``metadata.tsv``, offered through ``ui.downloads`` (a section's one download)."""
    tsv = "text/tab-separated-values"
    downloads.offer(f"{what}: vectors (TSV)", vectors_tsv, key=f"{key}.vectors", file_name=f"{stem}_vectors.tsv",
                    mime=tsv)
    downloads.offer(f"{what}: labels (metadata TSV)", metadata_tsv, key=f"{key}.metadata",
                    file_name=f"{stem}_metadata.tsv", mime=tsv)


@st.fragment
def _export_panel(vectors: ExploredVectors) -> None:
    st.markdown("**Export vectors for the Embedding Projector.** Type words from the vectors you are exploring.")
    text = st.text_area("Words to export (separate with commas)", max_chars=5000, height=80,
                        **FM.export_words.widget)
    try:
        words = vectors.as_labels(wordlists.parse_word_list(text, max_words=EXPORT_MAX_WORDS))
        vectors_tsv, metadata_tsv = userdata.export_word_vectors(vectors.wv, words)
    except ValueError as error:
        st.error(md(error))
        return
    st.caption("Load both files at projector.tensorflow.org (*Load*), or upload them here again.")
    with downloads.collect() as files:  # the two files in one fold, as a section offers its tables
        projector_downloads(vectors_tsv, metadata_tsv, stem="words", key=FM.export_words_files.key,
                            what=f"{len(words)} word(s)")
    downloads.menu(files, key=FM.export_words_files.at("menu"))


# --------------------------------------------------------------------------
# The entry point
# --------------------------------------------------------------------------
def vectors_to_explore(
    bundled: WordVectorsLike, fit_settings: Callable[[ExploredVectors], None] | None = None
) -> ExploredVectors:
    """Draw the upload panel and the choice of vectors; return the vectors the sections should use.

    ``fit_settings`` is the page's own hook for settings that depend on the
    vectors (English words mean nothing to an upload): it is called with
    the result before the export box, or any widget of the page, is drawn.
    """
    state = st.session_state
    status = state[FM.upload_status.key]
    panel = st.expander("Use your own embeddings (optional): upload a file, or export vectors",
                        icon=":material/upload_file:", expanded=bool(status))
    with panel:
        _upload_panel()
    uploaded = state[FM.upload_set.key]
    if uploaded is None:
        state[FM.upload_use.key] = BUNDLED
        explored = ExploredVectors(bundled)
    else:
        names = {
            BUNDLED: f"Bundled word vectors ({len(bundled.words):,} English words)",
            UPLOAD: f"Your upload ({len(uploaded):,} rows \u00d7 {uploaded.dim:,} dimensions)",
        }
        choice = st.radio("Vectors to explore", format_func=names.get, horizontal=True, **FM.upload_use.widget)
        explored = ExploredVectors(bundled, uploaded if choice == UPLOAD else None)
        if explored.is_upload:
            st.caption(":material/info: The sections below use your upload where they can; the toy plane, "
                       "one-hot, the bias note and the checked exercises stay on the bundled vectors.")
    if fit_settings is not None:
        fit_settings(explored)
    with panel:
        st.divider()
        _export_panel(explored)
    return explored
