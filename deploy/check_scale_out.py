"""Scale-out check: 2 replicas behind Debian's nginx, sticky sessions, working pages.

Starts two ``streamlit run`` replicas and nginx (with ``deploy/nginx.conf``,
ports rewritten to free loopback ports) and then, for several simulated
browsers:

1. fetches the app page through nginx, which sets the ``ew_route`` cookie and
   names the replica that answered (``X-Upstream``);
2. opens Streamlit's websocket through nginx with that cookie, and checks the
   handshake landed on the same replica;
3. opens every page over that session and checks none raised;
4. reconnects, as a browser does after a network blip, and checks the
   session is still served by the same replica.

It also checks that the browsers were spread over both replicas.

With PostgreSQL installed (Debian's package; ``--no-postgres`` skips it) it
also runs a live class across the replicas: a throwaway PostgreSQL server
(``initdb`` and ``pg_ctl`` on a temporary directory and port,
benchmarks/postgres_server.py) is the class database of both replicas, every
browser joins the class and votes on whichever replica it is pinned to, and
one teacher's view (on one replica) must show every student's vote.

    python deploy/check_scale_out.py [--browsers 8]

Exit code 0 means every check passed. Needs /usr/sbin/nginx (apt-get install nginx; .ci/run installs it).
"""

from __future__ import annotations

import argparse
import secrets
import shutil
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT / "benchmarks")]

from postgres_server import TemporaryPostgres, find_bin_dir  # noqa: E402
from server_utils import NGINX, running_server  # noqa: E402
from st_client import StreamlitSession  # noqa: E402

sys.path[:0] = [str(ROOT)]
VOTES = ("good", "bad", "it depends")

PAGES = ["", "format_matters", "imperfect_information", "features_losses"]


def fetch(url: str, cookie: str | None = None) -> tuple[str, str | None]:
    """GET url; return (replica that answered, route cookie set)."""
    request = urllib.request.Request(url, headers={"Cookie": f"ew_route={cookie}"} if cookie else {})
    with urllib.request.urlopen(request, timeout=30) as resp:
        upstream = resp.headers["X-Upstream"]
        set_cookie = resp.headers.get("Set-Cookie", "")
    route = set_cookie.split("ew_route=", 1)[1].split(";", 1)[0] if "ew_route=" in set_cookie else None
    return upstream, route


def live_student(session: StreamlitSession, code: str, b: int, upstream: str, students: dict) -> list[str]:
    """Browser ``b`` joins the class on its replica and votes; return problems."""
    from app_state import II

    vote = VOTES[b % len(VOTES)]
    problems = []
    runs = [session.open_page("imperfect_information", f"class={code}&seat=scale-out-seat-{b:03d}")]
    runs.append(session.set_widget(II.vote.key, vote))
    runs.append(session.set_widget(II.sentence.key, "Pets and foods sit apart."))
    runs.append(session.set_widget(II.save_answer.key, True))
    for run in runs:
        if run.status != "ok" or run.exceptions:
            problems.append(f"browser {b}: live class {run.status} {run.exceptions[:1]}")
    students[b] = (upstream, vote)
    return problems


def live_teacher(base: str, live: tuple, students: dict) -> list[str]:
    """One teacher's view, on whichever replica nginx gives it, must count every student's vote."""
    import json

    from app_state import LIVE

    store, new = live
    upstream, route = fetch(base + "/")
    with StreamlitSession(base, headers={"Cookie": f"ew_route={route}"}) as teacher:
        run = teacher.open_page("live_class", f"class={new.code}&teacher={new.teacher_key}")
        if run.status != "ok" or run.exceptions:
            return [f"teacher view: {run.status} {run.exceptions[:1]}"]
        chart = next((spec for key, spec in teacher.charts.items() if key.endswith(LIVE.chart.at("ii.homework.vote"))), None)
    if chart is None:
        return ["teacher view shows no vote chart"]
    trace = json.loads(chart)["data"][0]
    shown = dict(zip(trace["x"], trace["y"]))
    expected = {v: sum(1 for _, vote in students.values() if vote == v) for v in VOTES}
    replicas = sorted({replica for replica, _ in students.values()})
    stored = store.summary(new.code, new.teacher_key).questions["ii.homework.vote"].counts
    print(f"live class: {len(students)} students voted on replicas {replicas}; the teacher's view on {upstream} "
          f"shows {shown}; PostgreSQL holds {stored}")
    problems = []
    if shown != expected or stored != expected:
        problems.append(f"teacher view {shown} / database {stored}, students sent {expected}")
    if len(replicas) < 2 and len(students) >= 6:
        problems.append("the live class did not span both replicas")
    return problems


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--browsers", type=int, default=8)
    parser.add_argument("--no-postgres", action="store_true", help="skip the live class on a shared PostgreSQL")
    args = parser.parse_args()
    if not Path(NGINX).exists():
        print(f"nginx not found at {NGINX}: apt-get install -y nginx-light", file=sys.stderr)
        return 2

    workdir = Path(tempfile.mkdtemp(prefix="why-embeddings-scale-"))
    env = {"STREAMLIT_SERVER_COOKIE_SECRET": secrets.token_hex(32)}  # shared by every replica
    failures: list[str] = []
    postgres = None
    live = None  # (store, class) when the live class runs
    if not args.no_postgres and find_bin_dir() is not None:
        from classroom.store import ClassStore

        postgres = TemporaryPostgres().start()
        env["WHY_EMBEDDINGS_DATABASE_URL"] = postgres.url
        store = ClassStore(postgres.url)
        live = (store, store.create_class())
        print(f"live class on PostgreSQL at {postgres.url}")
    elif not args.no_postgres:
        print("PostgreSQL not installed (apt-get install -y postgresql): no live class check")
    students: dict[int, tuple[str, str]] = {}  # browser -> (replica, vote)
    try:
        # Two replicas and nginx with deploy/nginx.conf, as the load test's --replicas 2 starts them.
        with running_server(env=env, replicas=2, log_dir=workdir) as (base, _pids, _servers):
            replicas_used: dict[str, int] = {}
            for b in range(args.browsers):
                upstream, route = fetch(base + "/")
                if route is None:
                    failures.append(f"browser {b}: nginx set no ew_route cookie")
                    continue
                # A few more plain requests with the cookie must stick too.
                for _ in range(3):
                    again, _ = fetch(base + "/_stcore/health", cookie=route)
                    if again != upstream:
                        failures.append(f"browser {b}: HTTP request went to {again}, session began on {upstream}")
                headers = {"Cookie": f"ew_route={route}"}
                for attempt in ("connect", "reconnect"):
                    with StreamlitSession(base, headers=headers) as session:
                        ws_upstream = session.response_headers.get("x-upstream")
                        if ws_upstream != upstream:
                            failures.append(f"browser {b}: websocket {attempt} went to {ws_upstream}, not {upstream}")
                        if attempt == "connect":
                            for path in PAGES:
                                run = session.open_page(path)
                                if run.status != "ok" or run.exceptions:
                                    failures.append(f"browser {b}: page '{path or 'home'}' {run.status} {run.exceptions[:1]}")
                            if live is not None:
                                failures += live_student(session, live[1].code, b, upstream, students)
                replicas_used[upstream] = replicas_used.get(upstream, 0) + 1
                print(f"browser {b}: route {route[:8]}... -> replica {upstream} (HTTP, websocket, reconnect agree)")

            if len(replicas_used) < 2 and args.browsers >= 6:
                failures.append(f"all browsers went to one replica: {replicas_used}")
            print(f"sessions per replica: {replicas_used}")
            if live is not None:
                failures += live_teacher(base, live, students)
    finally:
        time.sleep(0.2)
        if live is not None:
            live[0].close()
        if postgres is not None:
            postgres.stop()

    for failure in failures:
        print("FAIL:", failure)
    print("scale-out check:", "PASSED" if not failures else f"FAILED ({len(failures)} problems); logs in {workdir}")
    if not failures:
        shutil.rmtree(workdir, ignore_errors=True)
    return 0 if not failures else 1


if __name__ == "__main__":
    raise SystemExit(main())
