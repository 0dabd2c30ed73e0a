"""The live class's plumbing for one browser session: the store, who is asking, and the two cookies.

* :func:`get_store`: the process's one store (SQLite in ./data, or
  ``WHY_EMBEDDINGS_DATABASE_URL``).
* :func:`caller`: who is asking, for the guessing limits and the seat caps
  (:class:`classroom.guard.Caller`): the client's address as a trusted proxy
  reports it (``classroom.guard.client_address``, ``FORWARDED_ALLOW_IPS``) and
  this browser's id.
* **The seat cookie** ``ew_seat``: a random id for this browser, signed by the
  server (``ClassStore.sign``). It is set only once the browser opens a class
  link, and it makes every tab and every reconnect of the browser one guessing
  session and one seat per class. A browser without it (first visit, cookies
  off, a script) gets an id for the Streamlit session only.
* **The teacher cookie** ``ew_teacher``: ``CODE.KEY`` of the class this
  browser started or opened, until the class ends. After a server restart
  the teacher's page reconnects, and its new session finds the class again
  from it (Streamlit hands the cookies of the websocket's handshake to the
  script as ``st.context.cookies``). The key is never shown on the page.
  One class per browser: a teacher who starts a second class in the same
  browser gets that one back after a restart; the first reopens with its
  teacher link.

Cookies are written by a small fixed script (:func:`_cookie_script`) whose
only inputs are the cookie's name, a value the server made and checks
against a strict pattern, and a number: never text a student typed.
"""

from __future__ import annotations

import json
import re
import secrets

import streamlit as st

from app_state import LIVE
from classroom.guard import Caller, client_address
from classroom.store import ClassStore

SEAT_COOKIE = "ew_seat"
TEACHER_COOKIE = "ew_teacher"
_VALUES = {  # what each cookie may hold; anything else is never written into a script
    SEAT_COOKIE: re.compile(r"[A-Za-z0-9_-]{16,64}\.[0-9a-f]{32}"),
    TEACHER_COOKIE: re.compile(r"[2-9A-Z]{8}\.[A-Za-z0-9_-]{16,64}"),
}
_COOKIE_TEMPLATE = (
    "<script>(function(){{document.cookie={name}+'='+{value}+'; Path=/; Max-Age={age}; SameSite=Strict'"
    "+(location.protocol==='https:'?'; Secure':'');}})();</script>"
)


@st.cache_resource
def get_store() -> ClassStore:
    """The process's one store (SQLite in ./data, or WHY_EMBEDDINGS_DATABASE_URL)."""
    return ClassStore.from_env()


def _cookie_script(name: str, value: str, max_age: int) -> str:
    """The fixed script that sets (``max_age`` > 0) or deletes (0) cookie ``name``."""
    if name not in _VALUES or not (value == "" or _VALUES[name].fullmatch(value)):
        raise ValueError(f"refusing to write {name!r} with a value of the wrong shape")
    return _COOKIE_TEMPLATE.format(name=json.dumps(name), value=json.dumps(value), age=max(0, int(max_age)))


def write_cookie(name: str, value: str, max_age: float) -> None:
    """Set cookie ``name`` in this browser (an invisible element; no student text in it)."""
    st.html(_cookie_script(name, value, int(max_age)), unsafe_allow_javascript=True)


def cookie(name: str) -> str:
    """A cookie the browser sent when this session connected ("" if none)."""
    value = st.context.cookies.get(name)
    return value if isinstance(value, str) else ""


def address() -> str:
    """The client's address (``classroom.guard.client_address``: X-Forwarded-For only from a trusted proxy)."""
    peer = st.context.ip_address
    return client_address(peer if isinstance(peer, str) else None, list(st.context.headers.get_all("X-Forwarded-For")))


def _browser() -> dict:
    """{"id", "from_cookie"}: this browser's id, from its signed seat cookie or made for this session."""
    state = st.session_state.setdefault(LIVE.browser.key, {})
    if not state:
        found = get_store().unsign(cookie(SEAT_COOKIE))
        state.update(id=found or secrets.token_urlsafe(16), from_cookie=found is not None)
    return state


def caller() -> Caller:
    """Who is asking: this browser (or session) and its address."""
    browser = _browser()["id"]
    return Caller(session=f"browser:{browser}", address=address(), browser=browser)


def remember_browser(max_age: float) -> None:
    """Give this browser its seat cookie, if it does not have it yet (call only once it uses a class)."""
    browser = _browser()
    if not browser["from_cookie"]:
        write_cookie(SEAT_COOKIE, get_store().sign(browser["id"]), max_age)


def saved_teacher() -> tuple[str, str] | None:
    """(code, key) from the teacher cookie, if the browser sent a well-formed one."""
    value = cookie(TEACHER_COOKIE)
    if not _VALUES[TEACHER_COOKIE].fullmatch(value):
        return None
    code, key = value.split(".", 1)
    return code, key


def remember_teacher(code: str, key: str, max_age: float) -> None:
    """Keep the class's code and key in this browser until the class ends (unless it has them already)."""
    value = f"{code}.{key}"
    if cookie(TEACHER_COOKIE) != value:
        write_cookie(TEACHER_COOKIE, value, max_age)


def forget_teacher() -> None:
    """Delete the teacher cookie (the class has ended)."""
    if cookie(TEACHER_COOKIE):
        write_cookie(TEACHER_COOKIE, "", 0)
