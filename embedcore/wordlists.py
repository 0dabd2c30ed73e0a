"""Curated word lists for the "Format matters" lesson, and a safe list parser.

Registries map a name to its data (as in TensorFlow Playground's
``datasets``), so the page builds its menus from the keys. Everything here
is an immutable tuple: presets are read, never edited.

Every word is checked against the bundled vocabulary by the tests, so a
preset never silently falls back to word pieces.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

MAX_LIST_WORDS = 40
MAX_WORD_LENGTH = 30


@dataclass(frozen=True)
class Analogy:
    """A classic analogy: ``expression`` should land on ``expected``."""

    expression: str
    expected: str


#: Classic analogies by group (Mikolov et al., 2013). Some miss on the
#: bundled vectors; the page shows the expected answer's rank honestly.
ANALOGIES: dict[str, tuple[Analogy, ...]] = {
    "capitals": (
        Analogy("berlin - germany + japan", "tokyo"),
        Analogy("paris - france + italy", "rome"),
        Analogy("madrid - spain + russia", "moscow"),
        Analogy("athens - greece + egypt", "cairo"),
        Analogy("tokyo - japan + france", "paris"),
    ),
    "gender": (
        Analogy("king - man + woman", "queen"),
        Analogy("brother - man + woman", "sister"),
        Analogy("father - man + woman", "mother"),
        Analogy("husband - man + woman", "wife"),
        Analogy("prince - boy + girl", "princess"),
    ),
    "plurals": (
        Analogy("cars - car + dog", "dogs"),
        Analogy("apples - apple + banana", "bananas"),
        Analogy("mice - mouse + child", "children"),
        Analogy("feet - foot + tooth", "teeth"),
    ),
    "tenses": (
        Analogy("walking - walk + swim", "swimming"),
        Analogy("went - go + see", "saw"),
        Analogy("ran - run + eat", "ate"),
        Analogy("played - play + write", "wrote"),
    ),
    "comparatives": (
        Analogy("bigger - big + small", "smaller"),
        Analogy("better - good + bad", "worse"),
        Analogy("faster - fast + slow", "slower"),
        Analogy("biggest - big + long", "longest"),
    ),
}


def analogy_menu() -> dict[str, Analogy]:
    """A flat menu for a select box: ``"gender: king - man + woman"`` -> Analogy."""
    return {f"{group}: {a.expression}": a for group, items in ANALOGIES.items() for a in items}


@dataclass(frozen=True)
class AxisPreset:
    """An axis from the mean of ``negative`` words to the mean of ``positive`` words."""

    negative: tuple[str, ...]
    positive: tuple[str, ...]


#: Axes made of words; the first two recover the toy plane of the lesson.
AXIS_PRESETS: dict[str, AxisPreset] = {
    "gender: man -> woman": AxisPreset(("man",), ("woman",)),
    "gender (many pairs): he, man, boy -> she, woman, girl": AxisPreset(
        ("he", "man", "boy", "male", "his"), ("she", "woman", "girl", "female", "her")
    ),
    "royalty: person, peasant -> royal, monarch": AxisPreset(("person", "peasant"), ("royal", "monarch")),
    "age: young, child -> old, elderly": AxisPreset(("young", "child"), ("old", "elderly")),
    "size: small, tiny -> big, huge": AxisPreset(("small", "tiny"), ("big", "huge")),
    "wild: pet, tame -> wild, dangerous": AxisPreset(("pet", "tame"), ("wild", "dangerous")),
    "price: cheap, budget -> expensive, luxury": AxisPreset(("cheap", "budget"), ("expensive", "luxury")),
}

#: The axis the bias note uses: several pairs averaged, so no single word decides it.
GENDER_AXIS: AxisPreset = AXIS_PRESETS["gender (many pairs): he, man, boy -> she, woman, girl"]

#: Word lists to project onto two word axes.
WORD_LIST_PRESETS: dict[str, tuple[str, ...]] = {
    "royalty and family": (
        "king", "queen", "prince", "princess", "emperor", "duke", "man", "woman",
        "boy", "girl", "father", "mother", "son", "daughter", "husband", "wife",
        "brother", "sister", "uncle", "grandmother", "grandfather", "baby",
    ),
    "professions": (
        "nurse", "engineer", "doctor", "teacher", "secretary", "programmer",
        "cashier", "mechanic", "carpenter", "librarian", "pilot", "scientist",
        "dancer", "firefighter", "surgeon", "barber", "plumber", "nanny",
        "manager", "soldier", "farmer", "lawyer",
    ),
    "animals": (
        "cat", "dog", "puppy", "kitten", "lion", "goat", "tiger", "horse",
        "cow", "bull", "hen", "rooster", "mouse", "elephant", "shark", "wolf",
        "rabbit", "snake", "bee", "spider",
    ),
    "cars": (
        "mercedes", "bmw", "porsche", "ferrari", "toyota", "honda", "fiat",
        "tesla", "bus", "truck", "van", "tractor", "bicycle", "taxi", "limo",
    ),
}

#: Car-Land: makes, types and a few other ways to travel, for a map where
#: similar things should sit close together.
CAR_LAND: tuple[str, ...] = (
    # premium and sports makes
    "mercedes", "bmw", "audi", "porsche", "ferrari", "jaguar", "bentley", "cadillac",
    # everyday makes
    "toyota", "honda", "ford", "volkswagen", "volvo", "nissan", "hyundai", "fiat",
    "tesla", "chevrolet",
    # kinds of car
    "car", "sedan", "convertible", "limo", "jeep", "taxi", "suv", "pickup", "coupe",
    # working vehicles
    "bus", "truck", "van", "tractor", "ambulance", "tanker",
    # two wheels, rails, air and water
    "bicycle", "scooter", "motorcycle", "train", "tram", "helicopter", "boat",
)

#: Professions whose place on the gender axis the bias note shows.
#: Pairs whose distances show whether the Car-Land map is honest: two makes of car, and a car and a bus.
CAR_LAND_PAIRS: tuple[tuple[str, str], ...] = (("mercedes", "bmw"), ("mercedes", "bus"), ("bmw", "bus"))


def pairs_to_check(
    words: Sequence[str], own: Sequence[str] = (), known: Sequence[tuple[str, str]] | None = CAR_LAND_PAIRS,
    max_own: int = 3,
) -> list[tuple[str, str]]:
    """The word pairs whose distances a map is checked on.

    ``known`` pairs (the Car-Land pairs), or, with ``known=None`` (an upload's
    own labels), the three pairs among the first three of ``words``; then the
    first word of those pairs with each of the student's first ``max_own``
    ``own`` words.
    """
    if known is None:
        first = list(words[:3])
        if not first:
            return []
        pairs = [(first[0], first[1 % len(first)]), (first[0], first[-1]), (first[1 % len(first)], first[-1])]
    else:
        pairs = list(known)
    anchor = pairs[0][0]
    return pairs + [(anchor, word) for word in own[:max_own]]


BIAS_PROFESSIONS: tuple[str, ...] = WORD_LIST_PRESETS["professions"]


_SPLIT = re.compile(r"[,;\n]+")


def parse_word_list(
    text: str, *, max_words: int = MAX_LIST_WORDS, max_length: int = MAX_WORD_LENGTH
) -> list[str]:
    """Split typed text into a clean list of words or short phrases.

    Items are separated by commas, semicolons or new lines; each is lower-cased
    with its spaces collapsed ("old  King" -> "old king"). Repeats are dropped,
    keeping the first.

    Raises
    ------
    ValueError
        If the list is empty, has more than ``max_words`` items, or an item is
        longer than ``max_length`` characters.
    """
    items: list[str] = []
    for raw in _SPLIT.split(str(text)):
        item = " ".join(raw.split()).lower()
        if not item or item in items:
            continue
        if len(item) > max_length:
            raise ValueError(f"'{item[:max_length]}...' is longer than {max_length} characters.")
        items.append(item)
    if not items:
        raise ValueError("Type at least one word (separate words with commas).")
    if len(items) > max_words:
        raise ValueError(f"That is {len(items)} words; the limit is {max_words}.")
    return items
