"""The load test's class mode: a live class of N students and one teacher's view.

``python benchmarks/loadtest.py --class`` (see loadtest.py). The script

1. starts the server with a class database of its own (or uses ``--url``
   with the database the environment names) and starts a class;
2. opens the teacher's view over the protocol and reruns its self-refreshing
   fragment every ``--refresh`` seconds, as the browser does, reading the
   answer charts it sends back;
3. lets N students, each over their own websocket with the seat the server
   issues (read from the link the page writes, ``?seat=``), answer
   every question of the lesson (the three Format matters exercises, then
   the Imperfect information vote) with think time between inputs;
4. checks that nothing was lost: every answer that was sent is in the
   database (count and content, the checked ones with the checker's
   verdict), and the teacher's last view shows exactly the database's counts;
5. reports the time from an answer to its appearance in the teacher's view
   (p50 / p95), the teacher view's refresh time, and the students' reruns.

Answer-to-view times pair the k-th answer sent to a question with the k-th
count the teacher's view showed for it (answers are counted, not named), so
each is the time until the view showed that many answers.
"""

from __future__ import annotations

import html
import json
import os
import random
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import parse_qs

import app_state
from app_state import FM, II, LIVE
from classroom.store import ClassStore
from server_utils import running_server
from st_client import StreamlitSession

QUEEN_WORDS = ["monarch", "princess", "queens", "empress", "king", "duchess"]
AUNT_EXPRESSIONS = ["uncle - man + woman", "uncle - he + she", "niece - woman + man", "brother - man + woman"]
AXES = [("man", "woman"), ("machine", "patient"), ("male, men", "female, women"), ("red", "blue")]
VOTES = ["good", "bad", "it depends"]


def lesson_for(index: int) -> dict[str, object]:
    """What student ``index`` answers: a few shared answers, so charts stay small and comparable."""
    rng = random.Random(index)
    low, high = rng.choice(AXES)
    return {
        "fm.exercise.queen": rng.choice(QUEEN_WORDS),
        "fm.exercise.aunt": rng.choice(AUNT_EXPRESSIONS),
        "fm.exercise.axis": (low, high),
        "ii.homework.vote": rng.choice(VOTES),
    }


def percentile(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


class Log:
    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.sent: dict[str, list[float]] = {}  # question -> times answers were sent
        self.runs: list[tuple[str, float, str, list[str]]] = []  # (kind, seconds, status, errors)
        self.crashes: list[str] = []
        self.seats: dict[int, str] = {}  # student -> the seat the server issued

    def run(self, kind: str, result) -> None:  # type: ignore[no-untyped-def]
        with self.lock:
            self.runs.append((kind, result.seconds, result.status, result.exceptions))

    def answer(self, question: str, started: float, result) -> None:  # type: ignore[no-untyped-def]
        self.run("answer", result)
        with self.lock:
            self.sent.setdefault(question, []).append(started)


def student(index: int, url: str, code: str, think: tuple[float, float], log: Log) -> None:
    rng = random.Random(1000 + index)
    plan = lesson_for(index)
    query = f"class={code}"
    try:
        with StreamlitSession(url) as s:
            time.sleep(rng.uniform(0, think[1]))
            log.run("open", s.open_page("format_matters", query))
            with log.lock:
                log.seats[index] = parse_qs(s.page_query).get("seat", [""])[0]
            for question, setting in (("fm.exercise.queen", FM.ex_queen), ("fm.exercise.aunt", FM.ex_aunt)):
                time.sleep(rng.uniform(*think))
                started = time.monotonic()
                log.answer(question, started, s.set_widget(setting.key, plan[question]))
            low, high = plan["fm.exercise.axis"]
            time.sleep(rng.uniform(*think))
            log.run("input", s.set_widget(FM.ex_axis_negative.key, low))
            started = time.monotonic()
            log.answer("fm.exercise.axis", started, s.set_widget(FM.ex_axis_positive.key, high))

            time.sleep(rng.uniform(*think))
            log.run("open", s.open_page("imperfect_information", query))
            time.sleep(rng.uniform(*think))
            log.run("input", s.set_widget(II.vote.key, plan["ii.homework.vote"]))
            log.run("input", s.set_widget(II.sentence.key, "Pets and foods sit apart; the rest do not."))
            started = time.monotonic()
            log.answer("ii.homework.vote", started, s.set_widget(II.save_answer.key, True))
    except Exception as exc:  # noqa: BLE001 - reported, not raised
        with log.lock:
            log.crashes.append(f"student {index}: {exc!r}")


def view_counts(session: StreamlitSession) -> dict[str, dict[str, int]]:
    """The answer counts the teacher's view last drew, per question (from its charts)."""
    out = {}
    for element_id, spec in session.charts.items():
        for qid in app_state_questions():
            if element_id.endswith(f"-{LIVE.chart.at(qid)}"):
                trace = json.loads(spec)["data"][0]
                # Answers reach the chart escaped for plotly (ui.text.plot), which shows them decoded.
                out[qid] = {html.unescape(label): n for label, n in zip(trace["x"], trace["y"])}
    return out


def app_state_questions() -> list[str]:
    from classroom.questions import QUESTIONS

    return list(QUESTIONS)


def teacher(url: str, code: str, key: str, refresh: float, stop: threading.Event, log: Log, seen: list) -> None:
    """The projector: open the view, then rerun its fragment every ``refresh`` seconds."""
    with StreamlitSession(url) as s:
        log.run("teacher open", s.open_page("live_class", f"class={code}&teacher={key}"))
        fragment = s.widgets[LIVE.reveal.at("ii.homework.vote")].fragment_id
        while not stop.is_set():
            result = s.rerun_fragment(fragment)
            log.run("teacher refresh", result)
            counts = view_counts(s)
            seen.append((time.monotonic(), {q: sum(c.values()) for q, c in counts.items()}, counts))
            stop.wait(refresh)
        # One last refresh after every student finished: the view must match the database.
        s.rerun_fragment(fragment)
        counts = view_counts(s)
        seen.append((time.monotonic(), {q: sum(c.values()) for q, c in counts.items()}, counts))


def check_database(store: ClassStore, code: str, n: int, seats: dict[int, str]) -> list[str]:
    """Every answer sent is stored, with its content and the checker's verdict."""
    from embedcore import exercises
    from embedcore.wordvectors import load_word_vectors

    wv = load_word_vectors()
    problems = []
    rows = {}
    with store.engine.connect() as conn:
        from sqlalchemy import select

        from classroom.store import answers

        for r in conn.execute(select(answers).where(answers.c.class_code == code)):
            rows[(r.token, r.question)] = (r.answer, r.correct)
    if len(rows) != 4 * n:
        problems.append(f"database holds {len(rows)} answers, {4 * n} were sent")
    for i in range(n):
        plan = lesson_for(i)
        low, high = plan["fm.exercise.axis"]
        expected = {
            "fm.exercise.queen": (plan["fm.exercise.queen"], exercises.check_closer_to_queen(wv, plan["fm.exercise.queen"]).passed),
            "fm.exercise.aunt": (plan["fm.exercise.aunt"], exercises.check_top_result(wv, plan["fm.exercise.aunt"]).passed),
            "fm.exercise.axis": (f"{low} -> {high}", exercises.check_opposite_sides(wv, low, high).passed),
            "ii.homework.vote": (plan["ii.homework.vote"], None),
        }
        for question, want in expected.items():
            got = rows.get((seats.get(i, ""), question))
            if got != want:
                problems.append(f"student {i} {question}: stored {got}, sent {want}")
    return problems


def run_class(args) -> int:  # type: ignore[no-untyped-def]
    if not args.url:
        os.environ["WHY_EMBEDDINGS_DATA_DIR"] = tempfile.mkdtemp(prefix="why-embeddings-loadtest-")
        os.environ.pop("WHY_EMBEDDINGS_DATABASE_URL", None)
    store = ClassStore.from_env()
    new = store.create_class()
    log = Log()
    seen: list = []
    with running_server(url=args.url) as (url, _pid, _servers):
        with StreamlitSession(url) as warm:  # the teacher's run-through: caches warm, as in the default mode
            warm.open_page("format_matters")
            warm.set_widget(FM.ex_queen.key, "monarch")
            warm.open_page("imperfect_information")
        stop = threading.Event()
        projector = threading.Thread(target=teacher, args=(url, new.code, new.teacher_key, args.refresh, stop, log, seen))
        projector.start()
        threads = [
            threading.Thread(target=student, args=(i, url, new.code, tuple(args.think), log), daemon=True)
            for i in range(args.sessions)
        ]
        started = time.monotonic()
        for t in threads:
            t.start()
            time.sleep(0.05)
        for t in threads:
            t.join(timeout=max(1.0, args.duration + 300 - (time.monotonic() - started)))
        # Let the view catch up with the last answers (a few refreshes at most).
        time.sleep(2 * args.refresh)
        stop.set()
        projector.join(timeout=120)

    problems = list(log.crashes)
    problems += [f"{kind}: {status} {errors[:1]}" for kind, _, status, errors in log.runs if status != "ok" or errors]
    problems += check_database(store, new.code, args.sessions, log.seats)
    final = seen[-1][2] if seen else {}
    summary = store.summary(new.code, new.teacher_key)
    for qid, result in summary.questions.items():
        stored = {a: n for a, n in result.counts.items() if n}
        shown = {a: n for a, n in final.get(qid, {}).items() if n}
        if stored != shown:
            problems.append(f"teacher view {qid}: shows {shown}, database has {stored}")

    # Answer -> teacher view: the k-th answer sent against the first view showing k answers.
    delays = []
    for qid, times in log.sent.items():
        for k, sent_at in enumerate(sorted(times), 1):
            shown_at = next((t for t, totals, _ in seen if totals.get(qid, 0) >= k and t >= sent_at), None)
            if shown_at is None:
                problems.append(f"{qid}: answer {k} never appeared in the teacher's view")
            else:
                delays.append(shown_at - sent_at)
    refresh = [s for kind, s, status, _ in log.runs if kind == "teacher refresh" and status == "ok"]
    answers_runs = [s for kind, s, status, _ in log.runs if kind == "answer" and status == "ok"]
    opens = [s for kind, s, status, _ in log.runs if kind == "open" and status == "ok"]

    print(f"class mode: sessions={args.sessions} think={args.think[0]:g}-{args.think[1]:g}s refresh={args.refresh:g}s "
          f"database={store.dialect}")
    print(f"answers sent={sum(len(t) for t in log.sent.values())} stored={store.count_answers(new.code)} "
          f"students joined={summary.joined}")
    print(f"{'':28}{'n':>6}{'p50 ms':>10}{'p95 ms':>10}{'max ms':>10}")
    for label, values in (
        ("answer -> teacher view", delays),
        ("teacher view refresh", refresh),
        ("answer rerun (student)", answers_runs),
        ("page open (student)", opens),
    ):
        if values:
            print(f"{label:28}{len(values):>6}{percentile(values, .5) * 1000:>10.0f}"
                  f"{percentile(values, .95) * 1000:>10.0f}{max(values) * 1000:>10.0f}")
    print(f"problems={len(problems)}")
    for p in problems[:10]:
        print("  ", p)
    print("nothing lost:", "YES" if not problems else "NO")
    store.close()
    return 0 if not problems else 1
