"""Every term the lessons use is defined on the page where it first appears."""

from __future__ import annotations

import pytest

from tests.apptest_utils import assert_no_exception, open_page
from ui.glossary import TERMS

#: Where each term must be defined (the issue's list, plus the meters before the first map that shows them).
WHERE = {
    "format_matters": ("vector", "embedding", "one-hot", "cosine similarity", "nearest neighbour", "PCA", "t-SNE",
                       "k-means"),
    "imperfect_information": ("compression", "PCA", "k-NN", "chance", "recall@10", "trustworthiness",
                              "explained variance", "MDS", "t-SNE", "perplexity"),
    "features_losses": ("feature", "hidden layer", "ReLU", "softmax", "loss", "cross-entropy", "epoch", "bottleneck",
                        "probe", "gradient"),
}


@pytest.mark.parametrize("lesson", list(WHERE))
def test_each_lesson_defines_its_terms(lesson: str) -> None:
    at = open_page(lesson, timeout=180)
    assert_no_exception(at)
    shown = {m.value for m in at.markdown}
    for term in WHERE[lesson]:
        assert f"**{term}**: {TERMS[term]}" in shown, term


def _in_page_order(node):
    """Every element under ``node``, in the order the page shows them."""
    yield node
    for child in getattr(node, "children", {}).values():
        yield from _in_page_order(child)


def test_the_meters_are_defined_before_the_first_map_that_shows_them() -> None:
    at = open_page("imperfect_information", timeout=180)
    order = list(_in_page_order(at.main))
    definition = next(i for i, el in enumerate(order)
                      if getattr(el, "type", "") == "markdown" and el.value == f"**recall@10**: {TERMS['recall@10']}")
    first_meter = next(i for i, el in enumerate(order)
                       if getattr(el, "type", "") == "metric" and el.label.startswith("Neighbourhood recall"))
    assert definition < first_meter
