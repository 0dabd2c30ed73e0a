"""Class codes and seat tokens as they are typed, stored and shown."""

from __future__ import annotations

import re

from classroom.schema import MAX_TOKEN

CODE_ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"  # no 0/O, 1/I: read off a projector
CODE_LENGTH = 8


def normalise_code(text: object) -> str:
    """A typed class code as stored: upper case, dashes and spaces dropped."""
    if not isinstance(text, str):
        return ""
    return re.sub(r"[\s-]", "", text).upper()[: CODE_LENGTH + 8]


def format_code(code: str) -> str:
    """``ABCD2345`` -> ``ABCD-2345``, easier to read off a projector."""
    return f"{code[:4]}-{code[4:]}" if len(code) == CODE_LENGTH else code


def valid_token(token: object) -> bool:
    """Whether ``token`` looks like a seat: 8-64 characters of ``A-Z a-z 0-9 _ -`` (issued or not)."""
    return isinstance(token, str) and 8 <= len(token) <= MAX_TOKEN and re.fullmatch(r"[A-Za-z0-9_-]+", token) is not None
