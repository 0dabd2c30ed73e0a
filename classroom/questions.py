"""The questions a live class records, each declared once.

A question names the lesson page and section it lives in, what a student may
answer, and how correctness is computed:

* a **choice** question lists its ``choices``; ``correct`` lists the right
  ones, or is ``None`` when there is no single right answer (the homework
  vote: the point is the discussion);
* a **checked** question takes bounded free text, and its correctness is the
  verdict of the page's embedcore checker (``checker`` names it), which the
  page has already computed to show the student's feedback.

Adding a checkpoint to the live class is one more :class:`Question` in
:data:`QUESTIONS`, its id in the ``asks`` of the section that asks it
(``app_state.lessons``), and one ``live_class.record(...)`` call where the
page checks the answer. :data:`SECTIONS` lists the places "Move the class
to" can send students: the lessons' sections.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from app_state.lessons import Section, all_sections
from classroom.schema import MAX_REASON


class BadAnswer(ValueError):
    """An answer the question does not allow (the message says why, in plain words)."""


@dataclass(frozen=True)
class Question:
    """One question a class records.

    Attributes
    ----------
    id : str
        Stable identifier stored with each answer (never change it).
    section : Section
        Where the question lives.
    prompt : str
        Short label for the teacher's view.
    choices : tuple of str
        The allowed answers of a choice question; empty for free text.
    correct : tuple of str or None
        The right choices; ``None`` when there is no single right answer.
    checker : str
        For checked questions: the embedcore function whose verdict is
        recorded as correct or not.
    max_length : int
        Longest free-text answer kept.
    counts_first : bool
        The teacher's view counts each student's first answer (a prediction:
        the first one locked in is the one that counts); otherwise the latest
        (a vote or an exercise: a changed answer replaces the old one). The
        store keeps both either way.
    """

    id: str
    section: Section
    prompt: str
    choices: tuple[str, ...] = ()
    correct: tuple[str, ...] | None = None
    checker: str = ""
    max_length: int = 200
    counts_first: bool = False

    @property
    def has_right_answer(self) -> bool:
        return bool(self.checker) or self.correct is not None

    def validate(self, answer: object) -> str:
        """The answer as stored: a choice, or tidied free text. Raises :class:`BadAnswer`."""
        if not isinstance(answer, str):
            raise BadAnswer("An answer must be text.")
        if self.choices:
            if answer not in self.choices:
                raise BadAnswer(f"'{answer[:40]}' is not one of the answers to this question.")
            return answer
        text = _one_line(answer, self.max_length, "The answer")
        if not text:
            raise BadAnswer("The answer is empty.")
        return text

    def grade(self, answer: str, checked: bool | None = None) -> bool | None:
        """Whether ``answer`` is right; ``None`` when the question has no right answer.

        ``checked`` is the page's checker verdict (checked questions only).
        """
        if self.checker:
            if checked is None:
                raise BadAnswer("This answer needs the page's check.")
            return bool(checked)
        if self.correct is None:
            return None
        return answer in self.correct


#: The places "Move the class to ..." can send students: every lesson section, in order (app_state.lessons).
SECTIONS: tuple[Section, ...] = all_sections()
SECTIONS_BY_ID: dict[str, Section] = {s.id: s for s in SECTIONS}
#: The section that asks each question (the lessons' lists say which).
SECTION_OF: dict[str, Section] = {question: s for s in SECTIONS for question in s.asks}


def section_label(section_id: str) -> str:
    """``"Format matters: 1. Concepts as coordinates"``: a section as the teacher's menus and reports name it."""
    section = SECTIONS_BY_ID[section_id]
    return f"{section.page.replace('_', ' ').capitalize()}: {section.heading}"


def _checkpoint_questions() -> list[Question]:
    """One checked choice question per checkpoint: the page's judge decides, the store records its verdict."""
    from embedcore.checkpoints import CHECKPOINTS

    return [
        Question(c.id, SECTION_OF[c.id], c.prompt, choices=c.choices,
                 checker=f"embedcore.checkpoints.judge_{c.id.rsplit('.', 1)[1]}", counts_first=True)
        for c in CHECKPOINTS.values()
    ]

QUESTIONS: dict[str, Question] = {
    q.id: q
    for q in (
        Question(
            "fm.exercise.queen",
            SECTION_OF["fm.exercise.queen"],
            "A word closer to queen than king is",
            checker="embedcore.exercises.check_closer_to_queen",
            max_length=30,
        ),
        Question(
            "fm.exercise.aunt",
            SECTION_OF["fm.exercise.aunt"],
            "An expression whose top result is aunt",
            checker="embedcore.exercises.check_top_result",
        ),
        Question(
            "fm.exercise.axis",
            SECTION_OF["fm.exercise.axis"],
            "An axis that puts nurse and engineer on opposite sides",
            checker="embedcore.exercises.check_opposite_sides",
            max_length=410,
        ),
        Question(
            "ii.homework.vote",
            SECTION_OF["ii.homework.vote"],
            "Is this a good embedding?",
            choices=("good", "bad", "it depends"),
            correct=None,
        ),
        *_checkpoint_questions(),
    )
}


def question(question_id: str) -> Question:
    """The declared question ``question_id`` (raises :class:`BadAnswer` for an unknown one)."""
    try:
        return QUESTIONS[question_id]
    except (KeyError, TypeError):
        raise BadAnswer("There is no such question.") from None


def _one_line(text: str, max_length: int, what: str) -> str:
    """``text`` tidied to one line (NFC, runs of white space as one space); :class:`BadAnswer` if too long or
    holding control or format characters (``what`` names it in the message)."""
    line = " ".join(unicodedata.normalize("NFC", text).split())
    if len(line) > max_length:
        raise BadAnswer(f"{what} is longer than {max_length} characters.")
    if any(unicodedata.category(ch) in ("Cc", "Cf") for ch in line):
        raise BadAnswer(f"{what} contains control characters.")
    return line


def clean_reason(text: object) -> str:
    """A student's reason as stored: optional ("" none), one line of at most :data:`MAX_REASON` characters.

    Plain text: whatever characters it holds (``<b>``, ``**``, a link) are kept
    as typed and must be shown as text. Raises :class:`BadAnswer` with the
    reason otherwise.
    """
    if text is None:
        return ""
    if not isinstance(text, str):
        raise BadAnswer("A reason must be text.")
    return _one_line(text, MAX_REASON, "The reason")


def tidy_reason(text: object) -> str:
    """What a page sends as a reason: :func:`clean_reason`'s line, with control characters dropped and cut to fit.

    Never raises: a pasted reason with an invisible control character still
    reaches the teacher (the store itself refuses one, :func:`clean_reason`).
    """
    if not isinstance(text, str):
        return ""
    kept = "".join(ch if unicodedata.category(ch) not in ("Cc", "Cf") else " " for ch in text)
    return " ".join(unicodedata.normalize("NFC", kept).split())[:MAX_REASON].rstrip()


_NICKNAME = re.compile(r"[^\W_][\w .'-]*")
MAX_NICKNAME = 24


def clean_nickname(text: str) -> str:
    """A nickname as stored: optional, at most 24 letters, digits, spaces, ``- _ . '``.

    It must start with a letter or digit (so a spreadsheet never reads it as
    a formula). Raises :class:`BadAnswer` with the reason otherwise.
    """
    if not isinstance(text, str):
        raise BadAnswer("A nickname must be text.")
    name = " ".join(unicodedata.normalize("NFC", text).split())
    if not name:
        return ""
    if len(name) > MAX_NICKNAME:
        raise BadAnswer(f"A nickname can be at most {MAX_NICKNAME} characters.")
    if not _NICKNAME.fullmatch(name):
        raise BadAnswer("A nickname may use letters, digits, spaces and - _ . ' only, starting with a letter or digit.")
    return name
