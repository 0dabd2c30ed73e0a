"""Pause and resume in real browsers (issue 25, part 1): a teacher and two students.

The teacher's view is on the projector in presenter mode; the teacher
presses the keyboard shortcut P. Within a few polls both students' pages
(a laptop and a phone) are dimmed by one layer over the whole screen, with
the message, which takes the pointer (a click on the page reaches the layer,
not the page). The teacher resumes with the button; the layer goes on both.
axe-core finds nothing critical or serious in the layer at either size.
"""

from __future__ import annotations

from classroom.store import ClassStore
from tests.browser.conftest import SCREENSHOTS, in_own_thread
from tests.browser.live_class_utils import READY, chromium, live_server, teacher_view  # noqa: F401 - a fixture
from tests.browser.test_browser_accessibility import SIZES, _blocking

LAYER = ".ew-paused"
# Whatever is at the middle of the screen: the pause layer (or inside it), or the page under it.
_MIDDLE_IS_LAYER = """() => { const e = document.elementFromPoint(innerWidth / 2, innerHeight / 2);
  return !!(e && e.closest('.ew-paused')); }"""


def test_the_teacher_pauses_and_resumes_two_students(live_server) -> None:
    in_own_thread(_pause_and_resume, live_server)


def _pause_and_resume(live_server) -> None:  # type: ignore[no-untyped-def]
    from axe_playwright_python.sync_playwright import Axe
    from playwright.sync_api import expect

    url, data = live_server
    store = ClassStore.from_env(data)
    new = store.create_class()
    with chromium(90_000) as browser:
        teacher = teacher_view(browser, url, new.code, new.teacher_key, presenter=True)
        pause = teacher.get_by_role("button", name="Pause the class")
        expect(pause).to_be_visible()

        students = []
        for size in SIZES.values():
            page = browser.new_context(**size).new_page()
            page.goto(f"{url}/?class={new.code}")
            page.wait_for_function(READY, timeout=180_000)
            expect(page.get_by_text("You are in class")).to_be_visible()
            expect(page.locator(LAYER)).to_have_count(0)
            students.append(page)

        teacher.locator("h1").first.click()  # the focus on the page, not in a box: P is the shortcut
        teacher.keyboard.press("p")
        expect(teacher.get_by_role("button", name="Resume the class")).to_be_visible()
        assert store.class_state(new.code).paused
        axe = Axe()
        for page, size in zip(students, SIZES):
            layer = page.locator(LAYER)
            expect(layer).to_be_visible(timeout=30_000)  # within a few polls (every 3 s)
            expect(layer.get_by_role("alert")).to_contain_text("Eyes on your teacher")
            box, viewport = layer.bounding_box(), page.viewport_size
            assert (box["x"], box["y"]) == (0, 0) and box["width"] >= viewport["width"] - 1
            assert box["height"] >= viewport["height"] - 1  # the whole screen
            assert page.evaluate(_MIDDLE_IS_LAYER)  # the page under it does not take the pointer
            problems = _blocking(axe, page, {"include": [[LAYER]]})
            assert not problems, f"the pause layer at {size}:\n" + "\n".join(problems)
            SCREENSHOTS.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(SCREENSHOTS / f"live_class_paused_{size}.png"))

        teacher.get_by_role("button", name="Resume the class").click()
        expect(teacher.get_by_role("button", name="Pause the class")).to_be_visible()
        for page in students:
            expect(page.locator(LAYER)).to_have_count(0, timeout=30_000)
            assert page.locator('[data-testid="stException"]').count() == 0
        assert not store.class_state(new.code).paused
    store.close()
