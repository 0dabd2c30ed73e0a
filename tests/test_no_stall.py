"""One student's heavy job never stalls another student's light rerun (two AppTest sessions).

Session A opens "Features, embeddings & losses" at a width whose twins are
not trained yet, so its run waits on a training job in the worker. The
worker is held busy by a job that ends only when the test says so, so A is
certainly still waiting while session B opens "Format matters" and moves a
light control. The test asserts the order of events - B's runs finish
while A's job has not - not a timing.
"""

from __future__ import annotations

import threading

from streamlit.testing.v1 import AppTest

from app_state import FE, FM
from tests import worker_jobs
from tests.apptest_utils import DASHBOARD, PAGES, assert_no_exception, chart
from ui import heavy, training


def test_a_heavy_job_in_one_session_does_not_block_a_light_rerun_in_another(tmp_path, monkeypatch) -> None:
    monkeypatch.setenv("WHY_EMBEDDINGS_CACHE_DIR", str(tmp_path / "results"))
    heavy.disk.clear()  # an empty result cache: A's twins must be trained
    training.trained_models.clear()
    pool = heavy.pool()
    gate = tmp_path / "release"
    holder = pool.submit(worker_jobs.wait_for, str(gate), 120.0)
    events: list[str] = []

    a = AppTest.from_file(DASHBOARD, default_timeout=240)
    a.session_state[FE.width.key] = 16
    a.switch_page(PAGES["features_losses"])

    def session_a() -> None:
        a.run()
        events.append("A: page drawn")

    thread = threading.Thread(target=session_a, daemon=True)
    try:
        thread.start()
        # Wait (without a time assertion) until A's training job is queued behind the holder.
        while pool.queued() == 0 and thread.is_alive():
            thread.join(timeout=0.05)
        assert pool.queued() >= 1, "session A never asked the worker for its twins"

        b = AppTest.from_file(DASHBOARD, default_timeout=240)
        b.session_state[FM.map_method.key] = "PCA"  # no worker job on B's page
        b.switch_page(PAGES["format_matters"])
        b.run()
        events.append(f"B: page drawn, A waiting={thread.is_alive()}, worker busy={not holder.future.done()}")
        b.slider(key=FM.noise_seed.key).set_value(5).run()
        events.append(f"B: slider rerun, A waiting={thread.is_alive()}, worker busy={not holder.future.done()}")
        assert_no_exception(b)
        assert chart(b, FM.strip_chart.key)
    finally:
        gate.touch()
    thread.join(timeout=240)
    assert_no_exception(a)
    assert events == [
        "B: page drawn, A waiting=True, worker busy=True",
        "B: slider rerun, A waiting=True, worker busy=True",
        "A: page drawn",
    ]
    assert any("16-number" in c.value for c in a.caption)  # A got its twins once the worker was free
    heavy.disk.clear()
