"""What the store hands back, and the errors it raises (each with a message people can read as it is)."""

from __future__ import annotations

from dataclasses import dataclass, field


# --------------------------------------------------------------------------
# Errors: each carries a message a student or teacher can read as it is.
# --------------------------------------------------------------------------
class ClassError(ValueError):
    """Something the class cannot do; ``str(error)`` is a plain-language message."""


class ClassNotFound(ClassError):
    def __init__(self) -> None:
        super().__init__("There is no class with that code, or it has ended. Check the code with your teacher.")


class TooManyTries(ClassError):
    def __init__(self) -> None:
        super().__init__(
            "Too many wrong codes from this browser. Wait a few minutes, then open the link your teacher shows."
        )


class ClassFull(ClassError):
    def __init__(self) -> None:
        super().__init__(
            "This class has taken as many seats from your network as it allows. Ask your teacher: the count "
            "is on their screen."
        )


class WrongKey(ClassError):
    def __init__(self) -> None:
        super().__init__("That teacher key does not open this class.")


class NotJoined(ClassError):
    def __init__(self) -> None:
        super().__init__("Join the class first (open your teacher's class link).")


class NotRevealed(ClassError):
    def __init__(self) -> None:
        super().__init__("Your teacher has not revealed this question yet.")


# --------------------------------------------------------------------------
# What the store hands back
# --------------------------------------------------------------------------
@dataclass(frozen=True)
class NewClass:
    code: str
    teacher_key: str
    expires_at: float


@dataclass(frozen=True)
class ClassState:
    """What every student's page polls: which questions are revealed, where to go, how far, paused.

    Attributes
    ----------
    pace : dict of str to str
        Lesson page -> the slug of its last section open to students
        (``app_state.lessons``); a lesson not in it is open to its end.
    paused : bool
        The teacher has paused every student's page.
    """

    code: str
    expires_at: float
    revealed: frozenset[str]
    move_to: str | None
    move_seq: int
    pace: dict[str, str] = field(default_factory=dict)
    paused: bool = False


@dataclass(frozen=True)
class Seat:
    """A student's place in a class: the token the server issued, and the class as it is now.

    ``reused`` is True when the seat existed before (a reconnect with its
    ``?seat=``, or another tab of the same browser).
    """

    token: str
    state: ClassState
    reused: bool


@dataclass(frozen=True)
class Reason:
    """One student's reason for their latest answer, as the teacher's view lists it.

    Attributes
    ----------
    student : str
        The student's pseudonym in this class (10 hex characters, as in the CSV): never the seat token.
    answer : str
        The answer the reason was given with.
    text : str
        The reason, as the student typed it (plain text: show it as text, never as markup).
    shown : bool
        On the projector (the teacher chose it; at most three per question).
    hidden : bool
        The teacher hid it: it is neither listed for showing nor counted in the summary's shown reasons.
    """

    student: str
    answer: str
    text: str
    shown: bool = False
    hidden: bool = False


@dataclass(frozen=True)
class QuestionSummary:
    """How the class answered one question.

    Attributes
    ----------
    counts : dict of str to int
        Answers and how many students gave each (latest answer per student).
    answered : int
        Students who answered.
    correct : int or None
        Students whose answer is right; ``None`` if the question has no right answer.
    reasons : tuple of Reason
        The students' reasons (the teacher's view only; empty for students), shown ones first in the
        order they were put on the projector, then by answer.

    A checkpoint (a prediction) counts each student's first answer, in ``counts``
    and ``correct``; a vote or an exercise their latest (``Question.counts_first``).
    """

    question: str
    counts: dict[str, int]
    answered: int
    correct: int | None
    revealed: bool
    reasons: tuple[Reason, ...] = ()

    @property
    def share_correct(self) -> float | None:
        if self.correct is None or self.answered == 0:
            return None
        return self.correct / self.answered


@dataclass(frozen=True)
class ClassSummary:
    """Everything the teacher's view shows.

    Attributes
    ----------
    joins_per_minute : tuple of int
        New seats in each of the last :data:`classroom.teacher.JOIN_MINUTES`
        minutes, oldest first; the last is the current minute. A script taking
        seats shows as a spike.
    seats_refused : int
        Seats the per-address cap turned away.
    pace, paused
        As in :class:`ClassState`.
    """

    code: str
    expires_at: float
    joined: int
    nicknames: list[str]
    questions: dict[str, QuestionSummary] = field(default_factory=dict)
    move_to: str | None = None
    joins_per_minute: tuple[int, ...] = ()
    seats_refused: int = 0
    pace: dict[str, str] = field(default_factory=dict)
    paused: bool = False
