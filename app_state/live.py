"""The live class's keys, and the settings every page shares (APP)."""

from __future__ import annotations

from app_state.kinds import Action, Setting, Store, _Page

# --------------------------------------------------------------------------
# 4. Live class (ui/live_class.py, pages/live_class.py)
# --------------------------------------------------------------------------
class LIVE(_Page):
    """The live class: a student's place in a class (on every page) and the teacher's view.

    A student's stores are filled by ``ui.live_class`` on whichever page the
    class link opens; the teacher's by ``init_page(LIVE)`` on the Live class page.
    """

    # A student in a class. "joined": {"code", "token"} once the store let them in;
    # "seen": the class state last polled ({"revealed": [...], "move_seq": n, "pace": {page: slug}, "paused": bool});
    # "sent": question id -> [answer, reason] last recorded (so an unchanged answer is not re-sent);
    # "refused": class code -> the message the store gave (so a bad code is not retried every run);
    # "scroll_to": the id of a section to scroll to after "Move the class to ..." (app_state.lessons);
    # "browser": {"id", "from_cookie"}: this browser's id for the seat cookie (ui.live_session).
    joined = Store("live.joined", factory=dict)
    seen = Store("live.seen", factory=dict)
    sent = Store("live.sent", factory=dict)
    refused = Store("live.refused", factory=dict)
    scroll_to = Store("live.scroll_to", factory=lambda: None)
    browser = Store("live.browser", factory=dict)
    nickname = Setting("live.nickname", "")
    nickname_save = Action("live.nickname_save")
    leave = Action("live.leave")
    result_chart = Action("live.result_chart")  # used as result_chart.at(<question id>)
    closed = Action("live-closed")  # a section past the pace: "live-closed-<section anchor>"

    # The teacher: {"code", "key", "expires_at", "show_link"} of the class this session runs
    # ("show_link": the teacher link box after Start a class, until the teacher hides it);
    # "teacher_checked": this session has looked for the class in the teacher cookie.
    teacher = Store("live.teacher", factory=dict)
    teacher_checked = Store("live.teacher_checked", factory=bool)
    link_box = Action("live-teacher-link")  # the box that shows the teacher link once
    link_saved = Action("live.link_saved")
    joins_chart = Action("live.joins_chart")
    start = Action("live.start")
    open_code = Setting("live.open_code", "")
    open_key = Setting("live.open_key", "")
    open_form = Action("live.open_form")
    chart = Action("live.chart")  # used as chart.at(<question id>)
    question_box = Action("live-question")  # a question's container: "live-question-<id with dashes>"
    reveal = Action("live.reveal")  # used as reveal.at(<question id>)
    move_to = Setting("live.move_to", None)
    move = Action("live.move")
    # Pacing and pause (ui/live_pacing.py): "Open up to" per lesson, pace.at(<lesson page>); the pause button.
    pacing_box = Action("live-pacing")
    pace = Action("live.pace")
    pause = Action("live.pause")
    # Reasons (ui/live_reasons.py): per question a fold that lists them, reasons.at(<question id>) ("live-reasons-..."
    # as a container), the ones on the projector ("live-projector-<id with dashes>"), and the buttons
    # reason_show.at(<question id>, <student>) / reason_hide.at(<question id>, <student>).
    reasons = Action("live-reasons")
    projector = Action("live-projector")
    reason_show = Action("live.reason_show")
    reason_hide = Action("live.reason_hide")
    # The end-of-class summary (ui/live_summary.py): its box, its table and its HTML download.
    summary_box = Action("live-summary")
    summary_table = Action("live.summary_table")
    summary_html = Action("live.summary_html")
    csv = Action("live.csv")
    qr = Action("live.qr")
    end = Action("live.end")


# Link parameters of the live class, read by ui.live_class (not widgets):
# ?class=CODE joins a class, ?seat=TOKEN keeps a student's seat across a
# reconnect, ?teacher=KEY (Live class page only) opens the teacher's view.
LIVE_LINK_PARAMETERS = ("class", "seat", "teacher")


# --------------------------------------------------------------------------
# App-wide
# --------------------------------------------------------------------------
class APP(_Page):
    """Settings shared by every page."""

    presenter = Setting("app.presenter", False, link=True)
    header_drawn = Store("app.header_drawn", factory=bool)  # the page header has run once in this session
    share = Action("app.share")

    # Predict-then-reveal checkpoints and checked questions (ui/checkpoint.py), on every lesson.
    # "checks": question id -> {"choice", "answer", "correct", "evidence"} of the prediction locked in.
    checks = Store("app.checks", factory=dict)
    # Question id -> {"choice", "correct"} of the FIRST prediction locked in: what the score and a live class count.
    first_checks = Store("app.first_checks", factory=dict)
    check_box = Action("app-check")  # a checkpoint's container: "app-check-<id with dashes>"
    check_choice = Action("app.check_choice")  # used as check_choice.at(<question id>)
    check_lock = Action("app.check_lock")  # used as check_lock.at(<question id>)
    check_again = Action("app.check_again")  # used as check_again.at(<question id>)
    check_reason = Action("app.check_reason")  # in a live class: the optional reason, check_reason.at(<question id>)
    downloads = Action("app.downloads")  # a section's download fold: downloads.at(<its function>)
    more = Action("app.more")  # a section's "More controls" expander: more.at(<section>)
    glossary = Action("app.glossary")  # a definitions fold: glossary.at(<its terms>)
