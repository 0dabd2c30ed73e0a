"""Memory handed back to the system: the one place that talks to glibc's allocator.

Freed memory otherwise stays in a process's resident size (glibc keeps freed
blocks for reuse), so a class server that read a large upload, or a worker
that parsed one, would keep the pages after the data is gone. Used by the
server (``runtime.serve``: arenas capped at start, a trim every 30 s), the
worker (a trim after every job, ``runtime.worker``) and the upload reader
(``ui.upload``: a trim once a closed tab's upload is freed). Harmless where
glibc is not the allocator (musl, macOS): every function is then a no-op.
"""

from __future__ import annotations

import ctypes
import functools
import threading
import time

# glibc's malloc gives every thread that allocates its own arena, up to 8 per core, and
# Streamlit runs each script run on a new thread: a busy class server's memory then creeps
# up for many minutes as arenas fragment (the load test's 5-minute soak grew 21 % after its
# first minute). Two arenas are plenty for scripts that take turns on the GIL anyway.
M_ARENA_MAX = -8  # from glibc's malloc.h
ARENAS = 2
# Blocks this large or larger get pages of their own (mmap), which go back to the system the moment
# they are freed. glibc's default threshold starts at 128 kB but rises to the size of any such block
# freed (up to 32 MB), after which an upload's 20-40 MB buffers land in the heap and stay there,
# fragmented: six closed 44 MB uploads left the server +166 MB. A fixed threshold stops the rise.
M_MMAP_THRESHOLD = -3
MMAP_THRESHOLD = 4 * 2**20
TRIM_EVERY_S = 30.0


@functools.cache
def _glibc() -> ctypes.CDLL | None:
    """The C library, if it is glibc (Debian, the Docker image); None elsewhere."""
    try:
        libc = ctypes.CDLL("libc.so.6")
        libc.mallopt, libc.malloc_trim  # noqa: B018 - glibc's, absent from musl and macOS
    except (OSError, AttributeError):
        return None
    return libc


def limit_malloc_arenas(arenas: int = ARENAS) -> bool:
    """Cap glibc's malloc arenas, and fix its mmap threshold, for this process; False where there is no glibc.

    Best called before any thread starts (``runtime.serve``); called again later (``ui.heavy.pool``,
    under ``streamlit run``) it still caps the arenas made from then on and fixes the threshold.
    """
    libc = _glibc()
    return libc is not None and bool(libc.mallopt(M_ARENA_MAX, arenas)) and bool(
        libc.mallopt(M_MMAP_THRESHOLD, MMAP_THRESHOLD))


def give_back() -> bool:
    """Hand the heap pages Python freed back to the system (glibc's ``malloc_trim``); False without glibc.

    A trim takes a few milliseconds.
    """
    libc = _glibc()
    return libc is not None and bool(libc.malloc_trim(0) or True)


def _trim_forever(every: float) -> None:
    while True:
        time.sleep(every)
        give_back()


def start_trimming(every: float = TRIM_EVERY_S) -> None:
    """Call :func:`give_back` every ``every`` seconds on a daemon thread (nothing on a system without glibc)."""
    if _glibc() is not None:
        threading.Thread(target=_trim_forever, args=(every,), name="malloc-trim", daemon=True).start()
