"""What a page's sentences report, read back as values.

Tests assert on values, not on English sentences. A note or a takeaway sits
in a container whose key ``app_state`` declares; a test finds it by that key
(:func:`has`, :func:`keyed_text`) and reads back the numbers it quotes
(:func:`numbers`), to compare them with the numbers recomputed from embedcore.
"""

from __future__ import annotations

import re

from streamlit.testing.v1 import AppTest

from tests.apptest_utils import shown

# A number as the pages write it: an optional sign (or the minus sign U+2212), thousands
# separators ("50,001", never "0, 1"), decimals; not a digit inside a word ("UTF-8", "0xff", "PCA1").
_NUMBER = re.compile(
    r"(?:(?<![\w.])[-+\u2212]|(?<![\w.+\u2212-]))(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?(?![\w])"
)


def numbers(text: str) -> list[float]:
    """The numbers ``text`` quotes, in order.

    ``"[-0.50, 1.00] ... #1,234 ... 62%"`` gives ``[-0.5, 1.0, 1234.0, 62.0]``.
    """
    return [float(m.group().replace(",", "").replace("\u2212", "-")) for m in _NUMBER.finditer(text)]


def has(at: AppTest, key: str) -> bool:
    """Whether the page shows an element or container keyed ``key``."""
    try:
        at.get_by_key(key)
    except KeyError:
        return False
    return True


def keyed_text(at: AppTest, key: str) -> str:
    """The text inside the container keyed ``key`` (its markdown, captions, alerts), one element per line.

    Escapes are undone (``shown``); a missing key fails the test with the key's name.
    """
    assert has(at, key), f"no element keyed {key!r}"
    texts = [node.value for node in at.get_by_key(key) if isinstance(getattr(node, "value", None), str)]
    return "\n".join(shown(text) for text in texts)
