"""The three kinds of declaration: :class:`Setting`, :class:`Store` and :class:`Action`.

Plain data: nothing here imports streamlit. ``ui.state`` binds the
declarations to ``st.session_state``, the widgets and the URL.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from embedcore.projection import METHODS as _METHODS

# Menus hold the labels a student reads (a shared link carries the label, not
# an internal name); pages map a label back to its embedcore name with the
# registry's own lookup (``embedcore.projection.method_of``, ...).
PROJECTION_LABELS: tuple[str, ...] = tuple(_METHODS.values())
# The last entry of the word-list and axis menus: the student's own words.
OWN_WORDS = "my own words"


@dataclass(frozen=True)
class Setting:
    """A widget's value in session state.

    Parameters
    ----------
    key : str
        The session-state key, ``"<page>.<name>"``.
    default : Any
        The value a new session starts with. Its type is the setting's type.
    link : bool, optional
        True for the page's main controls: the widget is then bound to a URL
        query parameter named by ``key`` (one name per setting), so a copied
        link reproduces the view.
    choices : tuple, optional
        The allowed values: the widget's ``options`` (select boxes, radios,
        select sliders, segmented controls, multiselects). A URL value
        outside them is ignored. Leave it out where the options change with
        the data (the words of a table, a model's layers): the page passes
        ``options`` itself.
    bounds : (low, high), optional
        Inclusive numeric range: the widget's ``min_value`` and
        ``max_value`` (sliders, number inputs). A URL value outside it is
        ignored.
    step : int or float, optional
        The widget's ``step`` (sliders, number inputs).
    default_arg : {"value", "index", "default"}, optional
        For URL-bound settings: the widget's keyword for its default
        (``value`` for sliders, toggles, text inputs and select sliders,
        ``index`` for select boxes and radios, ``default`` for multiselects
        and segmented controls). Inferred from ``default`` and ``choices``
        when not given.
    in_browser : bool
        The control answers in the browser (a slider over precomputed frames,
        a point dragged in a component): moving it sends nothing to the
        server until it settles, if ever. Its setting is only where a link
        starts it. The load test counts its moves as browser-side events.
    """

    key: str
    default: Any
    link: bool = False
    choices: tuple[Any, ...] | None = None
    bounds: tuple[float, float] | None = None
    step: float | None = None
    default_arg: str | None = None
    in_browser: bool = False

    @property
    def widget(self) -> dict[str, Any]:
        """Keyword arguments for the widget: ``st.slider("Numbers kept (k)", **II.k.widget)``.

        They carry everything declared here: the key, the bounds and step
        (``min_value``, ``max_value``, ``step``) and the options, so no page
        restates a range or an option list.

        A URL-bound widget is also told its default. Streamlit drops a URL
        value that equals the widget's *own* default, and the frontend leaves
        such a value out of the URL; without ``value=`` that default is the
        slider's minimum or the first option, so a link asking for
        ``k=1`` would silently open the page at our default ``k=8``.
        """
        kwargs: dict[str, Any] = {"key": self.key, "persist_state": "session"}
        if self.bounds is not None:
            kwargs["min_value"], kwargs["max_value"] = self.bounds
        if self.step is not None:
            kwargs["step"] = self.step
        if self.choices is not None:
            kwargs["options"] = self.choices
        if self.link:
            kwargs["bind"] = "query-params"
            kwargs.update(self._default_kwargs())
        return kwargs

    def _default_kwargs(self) -> dict[str, Any]:
        arg = self.default_arg
        if arg is None:
            if isinstance(self.default, list):
                arg = "default"
            elif self.choices is not None:
                arg = "index"
            else:
                arg = "value"
        if arg == "index":
            assert self.choices is not None, self.key
            return {"index": None if self.default is None else self.choices.index(self.default)}
        return {arg: copy.deepcopy(self.default)}

    def alternative(self) -> Any:
        """One valid value other than the default, or None (free text has none).

        The benchmarks flip a control between its default and this value:
        the first other choice, the other boolean, or the middle of the
        range (its top when the middle is the default).
        """
        if self.choices:
            others = [c for c in self.choices if c != self.default]
            return others[0] if others else None
        if isinstance(self.default, bool):
            return not self.default
        if self.bounds is not None and isinstance(self.default, (int, float)):
            lo, hi = self.bounds
            middle = type(self.default)((lo + hi) / 2)
            return middle if middle != self.default else type(self.default)(hi)
        return None

    def accepts(self, raw: str) -> bool:
        """Whether a URL value ``raw`` is a valid value of this setting."""
        try:
            value = parse_url_value(raw, self.default)
        except ValueError:
            return False
        if self.choices is not None and value not in self.choices:
            return False
        if self.bounds is not None and not self.bounds[0] <= value <= self.bounds[1]:
            return False
        return True


# Numbers in a link: ASCII digits only. Python's int() and float() also read other
# scripts' digits ("\u0665" is 5) and underscores ("1_0" is 10); a link is not the place for them.
_URL_INT = re.compile(r"[+-]?[0-9]+")
_URL_FLOAT = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?")


def parse_url_value(raw: str, like: Any) -> Any:
    """Parse a URL string into the type of ``like`` (raises ValueError).

    Toggles take "true" or "false" (any case) and nothing else: that is all
    Streamlit 1.67's query-parameter binding reads for a toggle or checkbox
    (``parse_url_param``, "bool_value"); it drops "yes", "0" or "on".
    """
    if isinstance(like, bool):
        if raw.lower() == "true":
            return True
        if raw.lower() == "false":
            return False
        raise ValueError(raw)
    if isinstance(like, int):
        if not _URL_INT.fullmatch(raw):
            raise ValueError(raw)
        return int(raw)
    if isinstance(like, float):
        if not _URL_FLOAT.fullmatch(raw):
            raise ValueError(raw)
        value = float(raw)
        if value in (float("inf"), float("-inf")):
            raise ValueError(raw)
        return value
    return raw


@dataclass(frozen=True)
class Store:
    """Non-widget session state, created fresh per session by ``factory``."""

    key: str
    factory: Callable[[], Any] = field(default=dict)


@dataclass(frozen=True)
class Action:
    """A button, form or display element's key: it holds no value worth keeping.

    Parameters
    ----------
    key : str
        The element key, ``"<page>.<name>"`` (a container's key may use
        dashes instead: it also names its CSS class, ``st-key-<key>``).
    """

    key: str

    def at(self, *parts: object) -> str:
        """The key extended by ``parts``: ``Action("fe.twin_map").at("A", "colour") == "fe.twin_map.A.colour"``."""
        return ".".join([self.key, *(str(part) for part in parts)])


class _Page:
    """A namespace of one page's declarations; iterate it to get them all."""

    @classmethod
    def items(cls) -> Iterator[Setting | Store]:
        """The page's state: its settings and stores (what :func:`init_page` fills)."""
        for value in vars(cls).values():
            if isinstance(value, (Setting, Store)):
                yield value

    @classmethod
    def actions(cls) -> Iterator[Action]:
        """The page's element keys that hold no state."""
        for value in vars(cls).values():
            if isinstance(value, Action):
                yield value
