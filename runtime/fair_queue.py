"""The worker pool's waiting room: round-robin by owner, background work last.

A plain data structure (no threads, no locks: ``runtime.worker.WorkerPool``
holds its lock around every call). Students' jobs wait in one *lane* per
owner (a Streamlit session); the next job is the first of the next lane in
turn, so one student's burst of 60 jobs puts at most one of theirs ahead of
another student's first. Jobs without an owner (tests, the command-line
warm-up) share one lane and run first come, first served. *Background* jobs
(the start-up warm-up) wait apart and run only when no lane has a job.
"""

from __future__ import annotations

from collections import OrderedDict, deque
from collections.abc import Hashable, Iterator
from typing import Any


class FairQueue:
    """Waiting tickets: one lane per owner, served in turn, and a background line.

    A ticket needs the attributes ``lane`` (its owner, or None) and ``background`` (bool).
    """

    def __init__(self) -> None:
        self._lanes: OrderedDict[Hashable, deque[Any]] = OrderedDict()  # the order of turns
        self._background: deque[Any] = deque()

    def __len__(self) -> int:
        """Students' tickets waiting (not the background)."""
        return sum(len(lane) for lane in self._lanes.values())

    def background_count(self) -> int:
        return len(self._background)

    def add(self, ticket: Any) -> None:
        """Queue ``ticket`` at the end of its owner's lane (or of the background line)."""
        if ticket.background:
            self._background.append(ticket)
        else:
            self._lanes.setdefault(ticket.lane, deque()).append(ticket)

    def remove(self, ticket: Any) -> bool:
        """Take ``ticket`` out wherever it waits; False if it was not waiting."""
        line = self._background if ticket.background else self._lanes.get(ticket.lane)
        if line is None or ticket not in line:
            return False
        line.remove(ticket)
        if not ticket.background and not line:
            del self._lanes[ticket.lane]
        return True

    def promote(self, ticket: Any, lane: Hashable) -> bool:
        """Move a background ticket to the end of ``lane`` (a student asked for it); False if not waiting."""
        if ticket not in self._background:
            return False
        self._background.remove(ticket)
        ticket.background, ticket.lane = False, lane
        self.add(ticket)
        return True

    def pop(self) -> Any | None:
        """The next ticket: the first of the lane whose turn it is, else the oldest background one."""
        for lane, line in self._lanes.items():
            ticket = line.popleft()
            if line:
                self._lanes.move_to_end(lane)  # its next job waits for every other lane's turn
            else:
                del self._lanes[lane]
            return ticket
        return self._background.popleft() if self._background else None

    def waiting(self) -> Iterator[Any]:
        """Every waiting ticket, students' first."""
        for line in self._lanes.values():
            yield from line
        yield from self._background

    def order(self) -> list[Any]:
        """The waiting tickets in the order :meth:`pop` would hand them out."""
        lanes = [list(line) for line in self._lanes.values()]
        served = []
        for depth in range(max((len(line) for line in lanes), default=0)):
            served += [line[depth] for line in lanes if depth < len(line)]
        return served + list(self._background)
