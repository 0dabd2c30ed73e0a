"""Links a student might send, opened in a real browser (issue 11, findings 4 and 7).

* ``/home`` opens Home, with no "Page not found" dialog first.
* Markdown and HTML in a link's parameter names and values, and in a text
  box the link fills, are shown as text: the page holds no link or image
  pointing at the link's host, and the browser never requests anything from it.
"""

from __future__ import annotations

from urllib.parse import quote, urlsplit

from tests.apptest_utils import TITLES
from tests.browser.conftest import wait_until_rendered

HOST = "evil.example"
# Streamlit's own markdown: coloured text, LaTeX, icons and emoji shortcodes.
DIRECTIVES = ":red[RED] $x^2$ :material/home: :smile:"


def test_home_path_opens_home_without_a_dialog(app_url: str, page) -> None:
    # The dialog came once the server had left its pages/-folder mode, i.e. after any first visit.
    page.goto(f"{app_url}/")
    wait_until_rendered(page)
    page.goto(f"{app_url}/home")
    wait_until_rendered(page)
    assert TITLES["home"] in page.locator('[data-testid="stMainBlockContainer"] h1').first.inner_text()
    page.wait_for_timeout(1500)
    assert page.locator('[data-testid="stDialog"], [role="dialog"]').count() == 0
    assert page.locator('[data-testid="stException"]').count() == 0


def test_markup_in_a_link_is_shown_as_text(app_url: str, page) -> None:
    requested: list[str] = []
    page.on("request", lambda r: requested.append(r.url) if (urlsplit(r.url).hostname or "").endswith(HOST) else None)
    query = "&".join(f"{quote(name, safe='')}={quote(value, safe='')}" for name, value in (
        (f"[click me](https://{HOST}/x)", "1"),
        ("fm.noise", f"![i](http://{HOST}/u.png)"),
        ("fm.encode_text", f"[x](https://{HOST}/e) <b>b</b>"),
        ("fm.expression", f'king + "![i](http://{HOST}/p.png)"'),
        ("fm.map_method", "PCA"),
        ("fm.noise_seed", DIRECTIVES),
    ))
    page.goto(f"{app_url}/format_matters?{query}")
    wait_until_rendered(page, timeout_ms=180_000)
    assert page.locator('[data-testid="stException"]').count() == 0
    live = page.evaluate(
        """host => Array.from(document.querySelectorAll('*')).flatMap(e => Array.from(e.attributes)
                .filter(a => ['href', 'src', 'xlink:href', 'srcset', 'action'].includes(a.name) && a.value.includes(host))
                .map(a => e.tagName + ' ' + a.name + '=' + a.value))""",
        HOST,
    )
    assert live == []
    text = page.locator('[data-testid="stMainBlockContainer"]').inner_text().replace("\u2060", "")  # md's word joiners
    assert f"[click me](https://{HOST}/x)" in text  # the notice quotes the parameter, as text
    assert f"![i](http://{HOST}/u.png)" in text
    assert requested == []
    notice = page.locator('[data-testid="stCaptionContainer"]', has_text="link_off").first
    assert DIRECTIVES in notice.inner_text().replace("\u2060", "")
    assert notice.locator('.katex, [class*="stMarkdownColored"]').count() == 0
    assert notice.locator('[role="img"]').count() == 1  # the notice's own link_off icon, not :material/home:
