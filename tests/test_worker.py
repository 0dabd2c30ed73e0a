"""The worker pool: a crash or a time-out ends one job, never the server; queue, coalescing, progress."""

from __future__ import annotations

import threading
import time

import pytest

from tests import worker_jobs as jobs
from runtime.worker import JobTimedOut, QueueFull, WorkerCrashed, WorkerPool


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
