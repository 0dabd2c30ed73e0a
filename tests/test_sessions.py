"""Two students, two sessions: settings, experiment logs and taxi runs never leak.

Each AppTest is its own session (its own session state) in one process, so the
process-wide caches are shared between them exactly as on a hosted server:
what is shared must be read-only, and what a student makes must stay theirs.
Uploads are covered the same way in tests/test_page_upload.py.
"""

from __future__ import annotations

from app_state import FE, II
from tests.apptest_utils import assert_no_exception, button, open_page


def test_experiment_logs_and_settings_stay_in_their_own_session() -> None:
    alice = open_page("features_losses", timeout=180)
    bob = open_page("features_losses", timeout=180)
    assert_no_exception(alice)
    assert_no_exception(bob)

    # Alice runs an experiment and trains the taxi models at 40 pictures; Bob changes nothing.
    alice.slider(key=FE.exp_train.key).set_value(60)
    alice.slider(key=FE.exp_embedding.key).set_value(3)
    button(alice, "Run experiment").click().run(timeout=180)
    alice.slider(key=FE.taxi_train.key).set_value(40)
    button(alice, "Train with these settings").click().run(timeout=180)
    assert_no_exception(alice)
    assert len(alice.session_state[FE.log.key]) == 1
    assert alice.session_state[FE.log.key][0]["embedding"] == 3
    assert [row["run"] for row in alice.session_state[FE.taxi_runs.key]] == [1] * 4 + [2] * 4

    bob.run(timeout=180)
    assert_no_exception(bob)
    assert bob.session_state[FE.log.key] == []
    assert [row["run"] for row in bob.session_state[FE.taxi_runs.key]] == [1] * 4  # his own default run only
    assert bob.session_state[FE.exp_embedding.key] == FE.exp_embedding.default
    assert bob.session_state[FE.taxi_train.key] == FE.taxi_train.default
    assert not any("accuracy taxi" in df.value.columns for df in bob.dataframe)

    # Bob's own experiment starts his own log at one row, and Alice's keeps hers.
    bob.slider(key=FE.exp_train.key).set_value(40)
    button(bob, "Run experiment").click().run(timeout=180)
    assert [row["train pictures"] for row in bob.session_state[FE.log.key]] == [40]
    alice.run(timeout=180)
    assert [row["train pictures"] for row in alice.session_state[FE.log.key]] == [60]


def test_a_vote_and_a_slider_in_one_session_do_not_move_another() -> None:
    first = open_page("imperfect_information", timeout=180)
    second = open_page("imperfect_information", timeout=180)
    first.slider(key=II.k.key).set_value(3).run()
    first.radio(key=II.vote.key).set_value("bad").run()
    assert first.session_state[II.k.key] == 3
    second.run()
    assert_no_exception(second)
    assert second.session_state[II.k.key] == II.k.default
    assert second.session_state[II.vote.key] is None
    assert second.session_state[II.answer.key] == {}
