"""A whole school behind one address (issue 21, findings 1 and 5), over Streamlit's own protocol.

One server behind nginx with ``deploy/nginx.conf`` (both upstream lines on
that one server): every student reaches it through nginx from 127.0.0.1, so
they share one address, as a school behind one public address does. The
students are protocol clients (``benchmarks/st_client.py``), one websocket
session each, without cookies unless a test gives them one.

* Finding 1: one student opens 10 links with wrong codes and keeps guessing;
  30 other students with the right code all get in, the projector's view
  keeps its class through its refreshes and a reload, and the teacher link
  still opens it. Before the fix every one of them was refused for 10 minutes.
* Finding 5: a script opening ``?class=CODE&seat=<anything>`` in a loop gets
  only seats the server issues (never the forged ones), at most
  ``WHY_EMBEDDINGS_SEATS_PER_ADDRESS`` of them (40 here), and the teacher's
  view counts the seats it refused and charts joins per minute.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import select

from app_state import II, LIVE
from classroom.store import ClassStore, database_url_from_env, students

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT / "benchmarks")]

from server_utils import NGINX, free_port, nginx_config, start_streamlit, stop, wait_healthy  # noqa: E402
from st_client import StreamlitSession  # noqa: E402

VOTE = "ii.homework.vote"
SEAT_CAP = 40


@pytest.fixture(scope="module")
def school(tmp_path_factory: pytest.TempPathFactory):
    """(nginx's URL, the class store): one server behind deploy/nginx.conf, its own class database."""
    if not Path(NGINX).exists():
        pytest.skip("nginx not installed (apt-get install -y nginx)")
    work = tmp_path_factory.mktemp("school")
    data = work / "data"
    env = {"WHY_EMBEDDINGS_DATA_DIR": str(data), "WHY_EMBEDDINGS_SEATS_PER_ADDRESS": str(SEAT_CAP)}
    port, listen = free_port(), free_port()
    server = start_streamlit(port, env=env, log=(work / "server.log").open("wb"))
    conf = work / "nginx.conf"
    conf.write_text(nginx_config((ROOT / "deploy" / "nginx.conf").read_text(), [port, port], listen, work))
    nginx = subprocess.Popen([NGINX, "-c", str(conf), "-p", str(work), "-g", "daemon off;"],
                             stdout=(work / "nginx.log").open("wb"), stderr=subprocess.STDOUT)
    store = None
    try:
        wait_healthy(f"http://127.0.0.1:{port}", proc=server)
        wait_healthy(f"http://127.0.0.1:{listen}", proc=nginx)
        store = ClassStore(database_url_from_env(data))
        yield f"http://127.0.0.1:{listen}", store
    finally:
        stop(nginx)
        stop(server)
        if store is not None:
            store.close()


def _joined(session: StreamlitSession) -> bool:
    """Whether the page shows the student's class bar (its Leave button)."""
    return LIVE.leave.key in session.widgets


def _teacher_view_open(session: StreamlitSession) -> bool:
    """Whether the Live class page shows the room (not its Start button)."""
    return LIVE.reveal.at(VOTE) in session.widgets and LIVE.start.key not in session.widgets


def _open(session: StreamlitSession, page: str, query: str) -> None:
    run = session.open_page(page, query)
    assert run.status == "ok" and not run.exceptions, (run.status, run.exceptions)


def test_one_guessing_student_cannot_lock_out_a_school_behind_one_address(school) -> None:
    base, store = school
    new = store.create_class()
    teacher_link = f"class={new.code}&teacher={new.teacher_key}"
    with StreamlitSession(base) as projector:
        _open(projector, "live_class", teacher_link)
        assert _teacher_view_open(projector)

        for i in range(10):  # one student opens 10 links with wrong codes, each in a new tab
            with StreamlitSession(base) as tab:
                _open(tab, "", f"class=WRONG{i:03d}")
                assert not _joined(tab)
        with StreamlitSession(base) as guesser:  # ... and keeps guessing in one tab
            for i in range(10):
                _open(guesser, "", f"class=GUESS{i:03d}")
            _open(guesser, "", f"class={new.code}")
            assert not _joined(guesser)  # that session waits, even with the right code

        for i in range(30):  # every other student, behind the same address, gets in with the right code
            with StreamlitSession(base) as student:
                _open(student, "", f"class={new.code}")
                assert _joined(student), f"student {i} was refused"

        fragment = projector.widgets[LIVE.reveal.at(VOTE)].fragment_id
        assert projector.rerun_fragment(fragment).status == "ok"  # the projector's next refresh
        assert _teacher_view_open(projector)
        _open(projector, "live_class", "")  # a full rerun
        assert _teacher_view_open(projector)

    with StreamlitSession(base) as laptop:  # the teacher link, on another device
        _open(laptop, "live_class", teacher_link)
        assert _teacher_view_open(laptop)
    assert store.summary(new.code, new.teacher_key).joined == 30


def _seats(store: ClassStore, code: str) -> set[str]:
    with store.engine.connect() as conn:
        return set(conn.execute(select(students.c.token).where(students.c.class_code == code)).scalars())


def test_a_script_cannot_stuff_the_ballot_and_the_teacher_sees_it(school) -> None:
    base, store = school
    new = store.create_class()
    forged = [f"stuffed-seat-{i:04d}" for i in range(SEAT_CAP + 5)]
    for i, seat in enumerate(forged):  # open ?class=CODE&seat=<anything>, vote, leave, in a loop
        with StreamlitSession(base) as script:
            page = "imperfect_information" if i % 15 == 0 else ""
            _open(script, page, f"class={new.code}&seat={seat}")
            assert _joined(script) == (i < SEAT_CAP), i
            if page and _joined(script):
                script.set_widget(II.vote.key, "bad")
                script.set_widget(II.sentence.key, "Stuffed.")
                script.set_widget(II.save_answer.key, True)
    seats = _seats(store, new.code)
    assert len(seats) == SEAT_CAP and not seats & set(forged)  # never a forged seat; capped per address
    assert store.count_answers(new.code) == 3
    with StreamlitSession(base, headers={"X-Forwarded-For": "198.51.100.7"}) as elsewhere:
        _open(elsewhere, "", f"class={new.code}")  # from another address (a trusted proxy's word)
        assert _joined(elsewhere)

    other = store.create_class()  # a real browser: its seat cookie makes every tab one seat
    cookie = {"Cookie": f"ew_seat={store.sign('one-real-browser-0001')}"}
    for _ in range(3):
        with StreamlitSession(base, headers=cookie) as tab:
            _open(tab, "", f"class={other.code}")
            assert _joined(tab)
    assert len(_seats(store, other.code)) == 1

    summary = store.summary(new.code, new.teacher_key)
    assert summary.joined == SEAT_CAP + 1 and summary.seats_refused == 5
    with StreamlitSession(base) as projector:
        _open(projector, "live_class", f"class={new.code}&teacher={new.teacher_key}")
        spec = next(json.loads(s) for k, s in projector.charts.items() if k.endswith(LIVE.joins_chart.key))
    assert sum(spec["data"][0]["y"]) == SEAT_CAP + 1 == sum(summary.joins_per_minute)
