"""k-nearest-neighbour classification: sklearn as reference, ties to the nearest."""

from __future__ import annotations

import numpy as np
import pytest
from sklearn.neighbors import KNeighborsClassifier

from embedcore import knn


def test_knn_accuracy_separated_groups(blobs) -> None:
    X, labels = blobs
    assert knn.knn_accuracy(X, labels, k=5) == 1.0
    # Labels unrelated to position: about chance (1/3).
    shuffled = np.random.default_rng(0).permutation(labels)
    assert knn.knn_accuracy(X, shuffled, k=5) < 0.6


def test_knn_accuracy_matches_sklearn_leave_one_out(blobs) -> None:
    X, labels = blobs
    X = X + np.random.default_rng(9).normal(scale=3.0, size=X.shape)  # make it imperfect
    correct = 0
    for i in range(len(X)):
        mask = np.arange(len(X)) != i
        clf = KNeighborsClassifier(n_neighbors=5).fit(X[mask], labels[mask])
        correct += int(clf.predict(X[i : i + 1])[0] == labels[i])
    # Odd k and 3 classes: ties are rare, so both agree.
    assert knn.knn_accuracy(X, labels, k=5) == pytest.approx(correct / len(X), abs=0.02)


def test_majority_vote_tie_goes_to_nearest() -> None:
    votes = np.array([[2, 1, 1, 2], [0, 1, 1, 1], [3, 3, 0, 0]])
    np.testing.assert_array_equal(knn.majority_vote(votes, 4), [2, 1, 3])


def test_knn_predict_and_label_checks() -> None:
    X = np.array([[0.0], [1.0], [10.0], [11.0]])
    y = np.array([0, 0, 1, 1])
    np.testing.assert_array_equal(knn.knn_predict(X, y, np.array([[0.4], [10.6]]), k=1), [0, 1])
    with pytest.raises(ValueError, match="non-negative integers"):
        knn.knn_accuracy(X, np.array([0.5, 1, 1, 0]))
    with pytest.raises(ValueError, match="features"):
        knn.knn_predict(X, y, np.zeros((2, 2)))


def test_group_knn_accuracy_names_the_incoherent_group() -> None:
    rng = np.random.default_rng(7)
    # Group 0 is a tight blob far away; groups 1 and 2 are drawn from the same blob.
    X = np.vstack([rng.normal(10, 0.1, (20, 2)), rng.normal(0, 1, (40, 2))])
    labels = np.repeat([0, 1, 2], 20)
    acc = knn.group_knn_accuracy(X, labels, k=5)
    assert acc[0] == 1.0 and acc[1] < 0.8 and acc[2] < 0.8
    # The groups' accuracies, weighted by size, give the overall accuracy.
    assert np.average(acc, weights=[20, 20, 20]) == pytest.approx(knn.knn_accuracy(X, labels, k=5))
