"""The worker pool: a crash or a time-out ends one job, never the server; queue, coalescing, progress."""

from __future__ import annotations

import contextlib
import threading
import time

import pytest

from runtime.worker import JobCancelled, JobTimedOut, QueueFull, WorkerCrashed, WorkerPool
from tests import worker_jobs as jobs


@pytest.fixture()
def pool():
    pool = WorkerPool(n_workers=1, time_limit=20.0, max_queued=8)
    yield pool
    pool.shutdown()


def test_a_job_runs_in_another_process_and_returns_its_result(pool) -> None:
    import os

    assert pool.run(jobs.add, 2, 3) == 5
    assert pool.run(jobs.pid) != os.getpid()


def test_the_jobs_own_exception_comes_back(pool) -> None:
    with pytest.raises(ValueError, match="bad input"):
        pool.run(jobs.fail, "bad input")
    assert pool.run(jobs.add, 1, 1) == 2  # the worker is still fine


def test_a_crash_ends_the_job_not_the_pool(pool) -> None:
    first = pool.run(jobs.pid)
    with pytest.raises(WorkerCrashed, match="exit code -11"):
        pool.run(jobs.crash)
    # The next job gets a fresh worker process.
    second = pool.run(jobs.pid)
    assert second != first
    assert pool.run(jobs.add, 20, 22) == 42


def test_a_crash_fails_only_the_job_that_crashed(pool) -> None:
    crashing = pool.submit(jobs.crash)
    waiting = pool.submit(jobs.add, 4, 5)
    with pytest.raises(WorkerCrashed):
        crashing.result(timeout=60)
    assert waiting.result(timeout=60) == 9


def test_a_job_past_its_time_limit_is_stopped(pool) -> None:
    with pytest.raises(JobTimedOut, match="limit of 1 s"):
        pool.submit(jobs.sleep, 30, time_limit=1.0).result(timeout=60)
    assert pool.run(jobs.add, 1, 2) == 3


def test_identical_requests_share_one_run(pool) -> None:
    first = pool.submit(jobs.stamped_sleep, 0.5, "a", key=("map", 1))
    second = pool.submit(jobs.stamped_sleep, 0.5, "b", key=("map", 1))
    other = pool.submit(jobs.stamped_sleep, 0.0, "c", key=("map", 2))
    assert second is first
    assert first.result(timeout=60) == second.result(timeout=60)
    assert first.result()[0] == "a"
    assert other.result(timeout=60)[0] == "c"


def test_the_queue_is_bounded_and_first_come_first_served() -> None:
    pool = WorkerPool(n_workers=1, time_limit=20.0, max_queued=2)
    try:
        running = pool.submit(jobs.sleep, 1.0)
        while running.position() != 0 or pool.queued():  # wait until the worker took it
            time.sleep(0.01)
        second = pool.submit(jobs.stamped_sleep, 0.0, "second")
        third = pool.submit(jobs.stamped_sleep, 0.0, "third")
        assert (second.position(), third.position()) == (1, 2)
        with pytest.raises(QueueFull):
            pool.submit(jobs.add, 1, 1)
        # First come, first served: the second finished before the third.
        assert second.result(timeout=60)[1] < third.result(timeout=60)[1]
        assert third.position() == 0
    finally:
        pool.shutdown()


def test_progress_reports_reach_the_ticket(pool) -> None:
    ticket = pool.submit(jobs.count_up, 5, report_progress=True)
    assert ticket.result(timeout=60) == 5
    assert ticket.progress == (5, 5)


def test_a_heavy_job_does_not_block_a_light_rerun_in_another_session(pool) -> None:
    """Session A waits on a long job; session B's light work finishes meanwhile (an ordering, not a timing)."""
    events: list[str] = []
    heavy = pool.submit(jobs.sleep, 2.0)

    def session_a() -> None:
        heavy.result(timeout=60)
        events.append("A: heavy job done")

    def session_b() -> None:
        sum(i * i for i in range(200_000))  # a light rerun: pure Python, needs the GIL
        events.append(f"B: light rerun done, heavy job done={heavy.future.done()}")

    threads = [threading.Thread(target=session_a), threading.Thread(target=session_b)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert events == ["B: light rerun done, heavy job done=False", "A: heavy job done"]


def test_warm_up_imports_modules_in_the_worker(pool) -> None:
    from runtime.worker import warm_up

    assert pool.run(warm_up, "json", "sklearn.manifold") == ["json", "sklearn.manifold"]


def test_background_jobs_wait_for_the_students_jobs(tmp_path) -> None:
    """The warm-up queues in the background: a student's job submitted later still runs first."""
    gate = tmp_path / "go"
    pool = WorkerPool(n_workers=1, time_limit=60.0, max_queued=4, max_background=2)
    try:
        holding = pool.submit(jobs.wait_for, str(gate))
        while pool.queued():  # until the worker took it
            time.sleep(0.01)
        warm = pool.submit(jobs.stamped_sleep, 0.0, "warm", background=True)
        student = pool.submit(jobs.stamped_sleep, 0.0, "student")
        assert (student.position(), warm.position()) == (1, 2)
        assert pool.background_queued() == 1 and pool.queued() == 1
        pool.submit(jobs.add, 1, 2, background=True)
        with pytest.raises(QueueFull):  # the background queue has its own bound
            pool.submit(jobs.add, 2, 3, background=True)
        gate.touch()
        assert holding.result(timeout=60) == str(gate)
        assert student.result(timeout=60)[1] < warm.result(timeout=60)[1]
    finally:
        gate.touch()
        pool.shutdown()


def test_a_student_asking_for_a_queued_warm_up_result_moves_it_to_the_front(tmp_path) -> None:
    gate = tmp_path / "go"
    pool = WorkerPool(n_workers=1, time_limit=60.0, max_queued=4)
    try:
        holding = pool.submit(jobs.wait_for, str(gate))
        while pool.queued():
            time.sleep(0.01)
        early = pool.submit(jobs.stamped_sleep, 0.0, "early warm", background=True)
        wanted = pool.submit(jobs.stamped_sleep, 0.0, "wanted", key=("map", 7), background=True)
        assert wanted.position() == 2
        asked = pool.submit(jobs.stamped_sleep, 0.0, "student's copy", key=("map", 7))
        assert asked is wanted  # coalesced with the warm-up's job, not run twice
        assert (wanted.position(), early.position()) == (1, 2)
        assert pool.background_queued() == 1
        gate.touch()
        holding.result(timeout=60)
        assert wanted.result(timeout=60)[0] == "wanted"
        assert wanted.result()[1] < early.result(timeout=60)[1]
    finally:
        gate.touch()
        pool.shutdown()


def test_shutdown_fails_the_waiting_background_jobs(tmp_path) -> None:
    from runtime.worker import JobError

    gate = tmp_path / "go"
    pool = WorkerPool(n_workers=1, time_limit=60.0)
    holding = pool.submit(jobs.wait_for, str(gate))
    while pool.queued():
        time.sleep(0.01)
    warm = pool.submit(jobs.add, 1, 1, background=True)
    gate.touch()
    pool.shutdown()
    holding.result(timeout=60)
    with pytest.raises(JobError):
        warm.result(timeout=60)


# -- a fair queue (issue 21, finding 3: one student's 62 jobs made another wait 99-105 s) --------------
@contextlib.contextmanager
def held_pool(tmp_path, **options):
    """A pool whose worker is busy until ``release()`` is called: yields ``(pool, release)``."""
    gate = tmp_path / "go"
    pool = WorkerPool(n_workers=1, time_limit=60.0, **options)
    try:
        pool.submit(jobs.wait_for, str(gate))
        while pool.queued():  # until the worker took it
            time.sleep(0.01)
        yield pool, gate.touch
    finally:
        gate.touch()
        pool.shutdown()


def test_the_queue_takes_owners_in_turn_so_a_burst_never_goes_first() -> None:
    from runtime.fair_queue import FairQueue

    class T:
        def __init__(self, lane):
            self.lane, self.background = lane, False

    waiting = FairQueue()
    burst = [T("greedy") for _ in range(60)]
    for ticket in burst:
        waiting.add(ticket)
    first, second = T("student"), T("another")
    waiting.add(first)
    waiting.add(second)
    order = waiting.order()
    assert order.index(first) == 1 and order.index(second) == 2  # one of the burst ahead, not 60
    assert [waiting.pop() for _ in range(4)] == [burst[0], first, second, burst[1]]


def test_students_sessions_take_turns_in_the_pool(tmp_path) -> None:
    """Four greedy tabs and one other student: the student's job runs after one job per tab, not after all."""
    with held_pool(tmp_path, max_queued=16) as (pool, release):
        for i in range(4):
            pool.submit(jobs.stamped_sleep, 0.0, f"tab {i}", owner=f"tab {i}")
        student = pool.submit(jobs.stamped_sleep, 0.0, "student", owner="student")
        later = pool.submit(jobs.stamped_sleep, 0.0, "tab 0 again", owner="tab 0")  # replaces tab 0's first
        assert student.position() == 4 and later.position() == 5
        release()
        assert student.result(timeout=60)[1] < later.result(timeout=60)[1]


def test_a_new_job_replaces_the_same_sessions_older_waiting_one(tmp_path) -> None:
    with held_pool(tmp_path) as (pool, release):
        old = pool.submit(jobs.add, 1, 1, owner="tab")
        new = pool.submit(jobs.add, 2, 2, owner="tab")
        with pytest.raises(JobCancelled, match="replaced"):
            old.result(timeout=5)
        assert pool.queued() == 1
        release()
        assert new.result(timeout=60) == 4


def test_a_shared_job_is_cancelled_only_when_no_owner_wants_it(tmp_path) -> None:
    with held_pool(tmp_path) as (pool, _):
        shared = pool.submit(jobs.add, 3, 4, key=("map", 1), owner="a")
        assert pool.submit(jobs.add, 3, 4, key=("map", 1), owner="b") is shared
        pool.submit(jobs.add, 0, 0, owner="a")  # a moves on; b still waits for the map
        assert not shared.future.done() and shared.owners == {"b"}
        pool.submit(jobs.add, 0, 1, owner="b")  # now nobody wants it
        with pytest.raises(JobCancelled):
            shared.result(timeout=5)


def test_a_closed_sessions_waiting_jobs_are_cancelled(tmp_path) -> None:
    open_tabs = {"open tab", "closed tab"}
    with held_pool(tmp_path, owner_alive=lambda owner: owner in open_tabs) as (pool, release):
        orphan = pool.submit(jobs.add, 1, 2, owner="closed tab")
        wanted = pool.submit(jobs.add, 3, 4, owner="open tab")
        open_tabs.discard("closed tab")  # the tab is closed while its job waits
        release()
        with pytest.raises(JobCancelled, match="closed"):
            orphan.result(timeout=60)
        assert wanted.result(timeout=60) == 7


def test_one_session_may_not_run_more_than_its_share(tmp_path) -> None:
    gate = tmp_path / "go"
    pool = WorkerPool(n_workers=2, time_limit=60.0, max_per_owner=2)
    try:
        for limit in (60.0, 61.0):  # each waits for a worker to take it, so neither replaces the other
            pool.submit(jobs.wait_for, str(gate), limit, owner="tab")
            while pool.queued():
                time.sleep(0.01)
        with pytest.raises(QueueFull, match="already have 2 calculations running"):
            pool.submit(jobs.add, 1, 1, owner="tab")
        other = pool.submit(jobs.add, 1, 1, owner="other tab")  # another session still gets in line
        assert other.position() == 2
        gate.touch()
        assert other.result(timeout=60) == 2
    finally:
        gate.touch()
        pool.shutdown()


def test_a_recycled_worker_is_a_fresh_process(pool) -> None:
    first = pool.run(jobs.pid, recycle=True)
    assert pool.run(jobs.pid) != first


def test_an_exception_that_cannot_travel_back_leaves_the_pool_working(pool) -> None:
    with pytest.raises(RuntimeError, match="Picky: x"):
        pool.run(jobs.raise_picky)
    assert pool.run(jobs.add, 2, 2) == 4


def test_a_worker_never_runs_the_parents_main_script(tmp_path) -> None:
    """While Streamlit runs a page, __main__ is the page's script: a worker started then must not run it."""
    import sys
    import types

    marker = tmp_path / "ran"
    script = tmp_path / "page.py"
    script.write_text(f"open({str(marker)!r}, 'w').close()\n")
    page = types.ModuleType("__main__")
    page.__file__ = str(script)
    real = sys.modules["__main__"]
    sys.modules["__main__"] = page  # as Streamlit's script runner does
    pool = WorkerPool(n_workers=1, time_limit=60.0)
    try:
        assert pool.run(jobs.add, 1, 2) == 3
    finally:
        sys.modules["__main__"] = real
        pool.shutdown()
    assert not marker.exists()
