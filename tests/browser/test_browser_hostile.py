"""A careless or hostile student, in a real browser, against a live server: the class goes on.

Each finding of the hardening review, repeated through the UI:

1. input that crashed the whole server in native code (t-SNE on identical
   points): a 15-byte upload (the dead-model route to the same crash is
   tested in tests/test_page_features_losses.py);
2. an uploaded label in quote marks, which stopped the page mid-way;
3. an upload of one number per row, which raised a traceback;
4. markdown and HTML from links, text boxes and uploaded labels, which
   became live links and image requests.

After each step the server must still answer its health check with the same
process, and the page must show no traceback. Six large uploads' memory must
come back once their tabs are closed (issue 21, finding 8).
"""

from __future__ import annotations

import re
import subprocess
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import numpy as np
import pytest

from app_state.lessons import FORMAT_MATTERS
from tests.browser.conftest import running_server, wait_until_rendered

EVIL = "evil.example"


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, subprocess.Popen]]:
    """A server of its own, so this module can watch its process and memory."""
    # Streamlit's own session lifetime (server.disconnectedSessionTTL, 120 s): the app frees a closed
    # tab's upload sooner (ui.upload.CLOSE_AFTER_S).
    with running_server(tmp_path_factory.mktemp("hostile") / "streamlit.log") as (url, proc):
        yield url, proc


def assert_alive(server: tuple[str, subprocess.Popen]) -> None:
    url, proc = server
    assert proc.poll() is None, f"the server process ended with code {proc.returncode}"
    with urllib.request.urlopen(f"{url}/_stcore/health", timeout=10) as answer:
        assert answer.read() == b"ok"


def rss_mb(proc: subprocess.Popen) -> float:
    return _rss_of(proc.pid)


def _rss_of(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise AssertionError("no VmRSS")


def open_page(page, url: str, path: str) -> None:
    page.goto(url)  # the root first, so st.navigation is set up
    wait_until_rendered(page)
    page.goto(f"{url}/{path}")
    wait_until_rendered(page)


def assert_no_traceback(page) -> None:
    assert page.locator('[data-testid="stException"]').count() == 0


def upload(page, tmp_path: Path, vectors: tuple[str, bytes], labels: tuple[str, bytes] | None = None) -> None:
    panel = page.get_by_text("Use your own embeddings (optional)")
    if page.get_by_text("Vectors file (.tsv, .csv or .npy)").count() == 0:
        panel.click()
    forget = page.get_by_role("button", name="Forget my upload")
    if forget.count():  # empty both uploaders first (an old labels file would pair with the new vectors)
        forget.click()
        wait_until_rendered(page)
        # Until the rerun is drawn, the old uploaders (with their files) stand beside the new ones.
        page.wait_for_function(
            """() => document.querySelectorAll('[data-testid="stFileUploader"]').length === 2
                && !document.querySelector('[data-testid="stFileUploaderFile"]')""", timeout=60_000)
    # The labels first: alone they wait for the vectors, so both are read together in one run.
    for file, label in ((labels, "Labels file"), (vectors, "Vectors file")):
        if file is None:
            continue
        name, data = file
        path = tmp_path / name
        path.write_bytes(data)
        uploader = page.locator('[data-testid="stFileUploader"]').filter(has_text=label)
        uploader.locator('input[type="file"]').set_input_files(str(path))
        page.wait_for_timeout(500)
        wait_until_rendered(page)
    page.wait_for_timeout(1500)
    wait_until_rendered(page)


def labelled_set(stem: str, labels: list[str], seed: int) -> tuple[tuple[str, bytes], tuple[str, bytes]]:
    """A Projector upload of random 5-D vectors: (``<stem>.tsv``, ``<stem>_meta.tsv`` with one label a line)."""
    matrix = np.random.default_rng(seed).normal(size=(len(labels), 5))
    vectors = "".join("\t".join(f"{x:.4f}" for x in row) + "\n" for row in matrix).encode()
    return (f"{stem}.tsv", vectors), (f"{stem}_meta.tsv", ("\n".join(labels) + "\n").encode())


@pytest.fixture()
def page(browser_context):
    page = browser_context.new_page()
    page.set_default_timeout(120_000)
    page.set_viewport_size({"width": 1400, "height": 6000})
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    page.requests = requests  # type: ignore[attr-defined]
    try:
        yield page
    finally:
        page.close()


def test_uploads_that_used_to_end_the_class(server, page, tmp_path: Path) -> None:
    url, _ = server
    open_page(page, url, "format_matters")
    # 1. Rows identical once scaled to length 1; the map section defaults to t-SNE.
    upload(page, tmp_path, ("v.tsv", b"1\t2\n2\t4\n3\t6\n"))
    page.get_by_text("Read v.tsv: 3 rows").wait_for(state="attached", timeout=60_000)
    page.get_by_text(re.compile(r"t-SNE cannot draw these points")).wait_for(timeout=60_000)
    assert_no_traceback(page)
    assert_alive(server)

    # 2. A label in quote marks: every section still draws.
    upload(page, tmp_path, *labelled_set("quoted", ['"The Matrix"', "cat", "dog", "car", "bus", "tram"], seed=3))
    page.get_by_text("Read quoted.tsv + quoted_meta.tsv: 6 rows").wait_for(state="attached", timeout=60_000)
    assert_no_traceback(page)
    main = page.locator('[data-testid="stMainBlockContainer"]')
    for heading in (FORMAT_MATTERS.section("axes").heading, FORMAT_MATTERS.section("try-it").heading):
        assert main.get_by_text(heading).count() >= 1, heading
    assert_alive(server)

    # 3. One number per row: a plain message, no traceback.
    upload(page, tmp_path, ("one.tsv", b"1\n2\n3\n4\n5\n"))
    page.get_by_text(re.compile(r"1 number per row; at least 2 are needed")).wait_for(state="attached", timeout=60_000)
    assert_no_traceback(page)
    assert_alive(server)


def test_markup_from_links_boxes_and_labels_stays_text(server, page, tmp_path: Path) -> None:
    url, _ = server
    page.goto(url)
    wait_until_rendered(page)
    link = "[click me](https://evil.example/x)"
    image = "![i](http://evil.example/u.png)"
    page.goto(f"{url}/format_matters?{urllib.request.quote(link)}=1&fm.noise={urllib.request.quote(image)}"
              f"&fm.encode_text={urllib.request.quote('<a href=https://evil.example/t>t</a>')}")
    wait_until_rendered(page)
    # The notice names the odd parameters as text.
    page.get_by_text("click me", exact=False).first.wait_for()
    # 4. An uploaded label with HTML reaches captions and chart labels as text.
    labels = ['<a href="https://evil.example/y">x</a>', "cat", "dog", "car", "bus", "![p](http://evil.example/p.png)"]
    upload(page, tmp_path, *labelled_set("html", labels, seed=5))
    page.get_by_text("Read html.tsv + html_meta.tsv: 6 rows").wait_for(state="attached", timeout=60_000)
    assert_no_traceback(page)
    page.wait_for_timeout(1000)
    # No live link or image to the attacker's host anywhere, in markdown or in the charts' SVG.
    assert page.locator(f'a[href*="{EVIL}"]').count() == 0
    assert page.locator(f'img[src*="{EVIL}"], image[href*="{EVIL}"]').count() == 0
    assert not [r for r in page.requests if urlsplit(r).hostname == EVIL]  # type: ignore[attr-defined]
    # ... while the text itself is shown, as text (brackets and all; an invisible word joiner after "://"
    # keeps the browser from turning the address into a link).
    assert page.get_by_text("[click me](https:", exact=False).count() >= 1
    assert_alive(server)


def worker_rss_mb(proc: subprocess.Popen) -> float:
    """The worker processes' memory: the server's children but multiprocessing's resource tracker."""
    total = 0.0
    for task in Path(f"/proc/{proc.pid}/task").glob("*/children"):
        for child in task.read_text().split():
            try:
                if b"resource_tracker" in Path(f"/proc/{child}/cmdline").read_bytes():
                    continue
                total += _rss_of(int(child))
            except (OSError, AssertionError):
                pass  # a worker replaced meanwhile
    return total


def settled_rss(proc: subprocess.Popen, limit: float, within: float = 30.0) -> tuple[float, float]:
    """Poll the server's memory for up to ``within`` seconds until it is at most ``limit``; (MB, seconds)."""
    started = time.monotonic()
    while True:
        now = rss_mb(proc)
        if now <= limit or time.monotonic() - started >= within:
            return now, time.monotonic() - started
        time.sleep(1.0)


# Six students in turn, as in the review (issue 21, finding 8).
STUDENTS = 6


def test_a_large_uploads_memory_comes_back_when_the_session_ends(server, browser_context, tmp_path: Path) -> None:
    """Six students in turn upload a 44 MB Projector file, each from a tab they then close.

    Before the fix the server went from 429 to 922 MB and kept 891 MB a minute
    after the last tab closed: Streamlit keeps a closed tab's session (its files
    and its parsed set) for ``disconnectedSessionTTL``, then drops it from its
    store without shutting it down. Now a sweeper shuts a closed tab's session
    that holds an upload down through Streamlit's own ``close_session``
    (ui.upload.sweep_closed_uploads), and the worker that parsed a large file
    is replaced. The bounds (issue 21): the server within 1.5 x one file of its
    starting memory within 30 s of the last tab closing, and the worker within
    50 MB of its start.
    """
    url, proc = server
    rows = 20_000
    matrix = np.random.default_rng(0).normal(size=(rows, 256)).astype(np.float32)
    path = tmp_path / "big.tsv"
    np.savetxt(path, matrix, fmt="%.5f", delimiter="\t")
    data = path.read_bytes()
    file_mb = len(data) / 2**20
    first = browser_context.new_page()  # the page's own modules and vectors are loaded before the start
    open_page(first, url, "format_matters")
    first.close()
    time.sleep(5)
    start, worker_start = rss_mb(proc), worker_rss_mb(proc)
    peaks = []
    for student in range(STUDENTS):
        page = browser_context.new_page()
        page.set_default_timeout(180_000)
        try:
            open_page(page, url, "format_matters")
            upload(page, tmp_path, (f"big{student}.tsv", data))
            page.get_by_text(f"Read big{student}.tsv: {rows:,} rows").wait_for(state="attached", timeout=180_000)
            peaks.append(rss_mb(proc))
        finally:
            page.close()
    final, waited = settled_rss(proc, start + 1.5 * file_mb)
    worker_final = worker_rss_mb(proc)
    print(f"file {file_mb:.1f} MB; server RSS {start:.0f} MB at the start, {max(peaks):.0f} MB at the highest, "
          f"{final:.0f} MB {waited:.0f} s after the last tab closed (+{final - start:.0f} MB, "
          f"{(final - start) / file_mb:.2f} files); worker {worker_start:.0f} -> {worker_final:.0f} MB")
    assert final - start <= 1.5 * file_mb, (start, peaks, final)
    assert worker_final - worker_start <= 50, (worker_start, worker_final)
    assert_alive(server)
