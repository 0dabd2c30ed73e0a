"""A crash in the middle of a class: the teacher's view comes back with its class (issue 21, finding 2).

``deploy/serve.sh`` runs the server, as in a container; the teacher starts a
class in presenter mode (chromium), a student joins and votes, and the
server is killed with SIGSEGV, as ``tests/test_restart.py`` does. serve.sh
starts it again, and a second student joins. The teacher's open page
reconnects and must show the same class, now with two students and the
vote, never "Start a class". Before the fix the key lived only in the
session, so the view came back as "Start a class".

What reaches the server after the reconnect is the browser's cookies on the
new websocket's handshake: the teacher cookie ``ew_teacher`` (the class's code
and key) and the student's seat cookie ``ew_seat``; the test checks the
browser holds them and that the key never shows on the page.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

import pytest

from classroom.store import ClassStore
from tests.browser.conftest import ROOT, _free_port, _require_chromium, in_own_thread
from tests.browser.live_class_utils import READY, chromium, expect_metric
from tests.test_restart import _children, _healthy



def _wait(condition, seconds: float = 120) -> None:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.3)
    raise AssertionError(f"timed out after {seconds} s waiting for {condition}")


def _server_pid(supervisor: int) -> int:
    (pid,) = _children(supervisor)
    return pid


@pytest.fixture()
def supervised(tmp_path):
    """deploy/serve.sh on a free port with a class database of its own: (URL, port, supervisor, data dir)."""
    _require_chromium()
    port = _free_port()
    data = tmp_path / "data"
    log = (tmp_path / "serve.log").open("wb")
    env = {**os.environ, "PYTHON": sys.executable, "PORT": str(port), "ADDRESS": "127.0.0.1", "HF_HUB_OFFLINE": "1",
           "WHY_EMBEDDINGS_WARMUP": "0", "WHY_EMBEDDINGS_DATA_DIR": str(data)}
    env.pop("WHY_EMBEDDINGS_DATABASE_URL", None)
    supervisor = subprocess.Popen(["bash", str(ROOT / "deploy" / "serve.sh")], env=env, stdout=log,
                                  stderr=subprocess.STDOUT, start_new_session=True)
    try:
        _wait(lambda: _healthy(port))
        yield f"http://127.0.0.1:{port}", port, supervisor, data
    finally:
        supervisor.send_signal(signal.SIGTERM)
        try:
            supervisor.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(supervisor.pid, signal.SIGKILL)
        log.close()


def test_the_teachers_view_comes_back_after_a_crash(supervised) -> None:
    in_own_thread(_crash, supervised)


def _crash(supervised) -> None:  # type: ignore[no-untyped-def]
    from playwright.sync_api import expect

    url, port, supervisor, data = supervised
    with chromium(120_000) as browser:
        context = browser.new_context(viewport={"width": 1600, "height": 2000})
        teacher = context.new_page()
        teacher.goto(url)
        teacher.wait_for_function(READY, timeout=180_000)
        teacher.get_by_text("Presenter mode", exact=True).click()
        teacher.get_by_role("button", name="Start a class").click()
        teacher.locator('[data-testid="stImage"] img').first.wait_for()  # the QR code
        code = teacher.locator("h1").filter(has_text="-").first.inner_text().replace("-", "").strip()
        assert len(code) == 8

        student = browser.new_context(viewport={"width": 1280, "height": 1000}).new_page()
        student.goto(f"{url}/imperfect_information?class={code}")
        student.wait_for_function(READY, timeout=180_000)
        student.locator('[data-testid="stRadio"]').filter(has_text="Your vote").get_by_text("bad", exact=True).click()
        sentence = student.get_by_label("Your reason, in one sentence")
        sentence.fill("Because.")
        sentence.press("Enter")
        student.get_by_role("button", name="Save my answer").click()
        expect(student.get_by_text("Your teacher has your answer.")).to_be_visible()
        expect_metric(teacher, "Students joined", "1")

        first = _server_pid(supervisor.pid)
        os.kill(first, signal.SIGSEGV)  # in the middle of the class
        _wait(lambda: not _healthy(port), 30)
        _wait(lambda: _healthy(port))
        assert _server_pid(supervisor.pid) != first

        # A second student joins the restarted server. Until the teacher's page has reconnected it shows
        # what it showed before the crash; only a view that found its class again can count two.
        late = browser.new_context(viewport={"width": 1280, "height": 1000}).new_page()
        late.goto(f"{url}/?class={code}")
        late.wait_for_function(READY, timeout=180_000)
        expect(late.get_by_text(f"You are in class {code[:4]}-{code[4:]}").first).to_be_visible()
        expect_metric(teacher, "Students joined", "2")
        expect(teacher.locator("h1").filter(has_text=f"{code[:4]}-{code[4:]}").first).to_be_visible()
        vote_box = teacher.locator(".st-key-live-question-ii-homework-vote")
        expect(vote_box.locator('[data-testid="stMetricValue"]').first).to_have_text("1 of 2")
        expect(teacher.get_by_role("button", name="Start a class")).to_have_count(0)
        expect(student.get_by_text(f"You are in class {code[:4]}-{code[4:]}").first).to_be_visible()
        expect(student.get_by_text("Your answer: bad").first).to_be_visible()
        for page in (teacher, student):
            assert page.locator('[data-testid="stException"]').count() == 0

        cookies = {c["name"]: c["value"] for c in context.cookies()}
        saved_code, key = cookies["ew_teacher"].split(".", 1)
        assert saved_code == code
        assert key not in teacher.locator('[data-testid="stMain"]').inner_text() and key not in teacher.url
        assert "ew_seat" in {c["name"] for c in student.context.cookies()}
    store = ClassStore.from_env(data)
    summary = store.summary(code, key)
    assert summary.joined == 2 and summary.questions["ii.homework.vote"].counts["bad"] == 1
    store.close()
