"""plane.js computes what embedcore.toyplane computes: the same numbers, bit for bit, on random tables.

The component's JS module is loaded into a blank chromium page (no server)
and its exported functions run on seeded random tables on the 0.1 grid,
where ties between words are common. Each result is compared with
embedcore's ``arithmetic``, ``midpoint``, ``compare`` and ``nearest``: the
point, the nearest word (ties keep table order) and its distance, and the
cosine. The readout's numbers are Python's ``:.2f``.
"""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pytest

from embedcore import toyplane
from ui.components import plane

JS = (Path(plane.__file__).parent / "plane.js").read_text()
CASES = 300


def _cases(seed: int = 0) -> list[dict]:
    """Random tables (3-12 words on the 0.1 grid in [-3, 3]) with a sum, a mean and a comparison each."""
    rng = np.random.default_rng(seed)
    cases = []
    for _ in range(CASES):
        n = int(rng.integers(3, 13))
        words = tuple(f"w{i}" for i in range(n))
        coords = np.round(rng.integers(-30, 31, size=(n, 2)) / 10, 1)
        if rng.random() < 0.3:  # duplicate points: exact ties for the nearest word
            coords[-1] = coords[0]
        terms = [(float(rng.choice([-1, 1])), words[int(i)]) for i in rng.integers(0, n, size=int(rng.integers(1, 4)))]
        chosen = [words[int(i)] for i in rng.choice(n, size=int(rng.integers(1, min(n, 10) + 1)), replace=False)]
        pair = [words[int(i)] for i in rng.choice(n, size=2, replace=False)]
        if rng.random() < 0.1:
            coords[words.index(pair[0])] = 0.0  # the origin: cosine undefined
        data = plane.plane_data(words, coords, expression=plane.signed_sum(terms),
                                readouts=[plane.average(chosen), plane.comparison(*pair)])
        cases.append(dict(data=data, words=words, coords=coords, terms=terms, chosen=chosen, pair=pair))
    return cases


@pytest.fixture()
def module_page(browser_context):
    page = browser_context.new_page()
    page.evaluate("""async (src) => {
        const url = URL.createObjectURL(new Blob([src], {type: 'text/javascript'}));
        window.plane = await import(url); }""", JS)
    try:
        yield page
    finally:
        page.close()


def test_js_and_embedcore_agree_on_random_tables(module_page) -> None:
    cases = _cases()
    out = module_page.evaluate("""(cases) => cases.map(({data}) => data.expressions.map((expr) => {
        const r = window.plane.evaluate(expr, data.coords);
        // JSON has no NaN: an undefined cosine comes back as null.
        return {...r, cosine: r.cosine === undefined ? undefined : (Number.isNaN(r.cosine) ? null : r.cosine),
                text: window.plane.readout(expr, r, data.words)};
    }))""", [{"data": c["data"]} for c in cases])
    for case, (js_sum, js_mean, js_compare) in zip(cases, out, strict=True):
        table = toyplane.ToyPlane(case["words"], case["coords"])
        for js, py in ((js_sum, toyplane.arithmetic(table, case["terms"])),
                       (js_mean, toyplane.midpoint(table, case["chosen"]))):
            np.testing.assert_array_equal(js["point"], py.point)  # the same operations in the same order
            word, distance = py.nearest[0]
            assert case["words"][js["nearest"][0]] == word
            assert js["nearest"][1] == distance
            assert js["text"].endswith(f"nearest: {word} (distance {distance:.2f})")
        compared = toyplane.compare(table.vector(case["pair"][0]), table.vector(case["pair"][1]))
        np.testing.assert_allclose(js_compare["distance"], compared.distance, rtol=1e-15)
        if math.isnan(compared.cosine):
            assert js_compare["cosine"] is None and js_compare["text"].endswith("cosine undefined")
        else:
            np.testing.assert_allclose(js_compare["cosine"], compared.cosine, rtol=1e-15, atol=1e-15)


def test_snap_keeps_tenths_inside_the_range(module_page) -> None:
    got = module_page.evaluate("""() => [[0.23, 0.1, -5, 5], [7, 0.1, -5, 5], [-5.26, 0.1, -5, 5], [0.35, 0.1, -1, 0.2],
                                         [1.04, 0.1, -5, 5]].map(([v, s, lo, hi]) => window.plane.snap(v, s, lo, hi))""")
    assert got == [0.2, 5, -5, 0.2, 1.0]
    # Python checks what comes back the same way.
    assert [plane._snap(v, -5, 5) for v in (0.23, 7, -5.26, 1.04)] == [0.2, 5.0, -5.0, 1.0]


def test_numbers_read_as_python_writes_them(module_page) -> None:
    """Two decimals as f"{v:.2f}": exact ties (odd eighths) go to even, never "-0.00"."""
    values = [0.125, 0.375, 0.625, 0.875, -0.125, -0.375, 1.125, 1.005, 2.675, 0.005, -0.001, 0.0, 1 / 3, -2.5, 12.345]
    got = module_page.evaluate("(values) => values.map((v) => window.plane.fixed(v))", values)
    assert got == [f"{v:.2f}".replace("-0.00", "0.00") for v in values]
