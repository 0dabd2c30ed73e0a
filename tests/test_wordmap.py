"""Maps of words: clusters, map-versus-space distances, and the analogy picture."""

from __future__ import annotations

import warnings

import numpy as np
import pytest

from embedcore import wordlists, wordmap
from embedcore.encoding import encode_texts
from embedcore.expressions import evaluate
from embedcore.projection import project_2d
from embedcore.wordvectors import WordVectors, load_word_vectors


@pytest.fixture(scope="module")
def wv() -> WordVectors:
    return load_word_vectors()


def test_clusters_are_numbered_by_first_appearance_and_named_by_their_centre() -> None:
    rng = np.random.default_rng(0)
    centres = np.array([[5.0, 0.0], [-5.0, 0.0], [0.0, 5.0]])
    X = np.vstack([c + 0.1 * rng.standard_normal((4, 2)) for c in centres[[2, 0, 1]]])
    X[1] = centres[2]  # the second word sits exactly on its blob's centre
    words = [f"w{i}" for i in range(12)]
    clusters = wordmap.WordClusters(n_clusters=3, random_state=0).fit(X, words)
    np.testing.assert_array_equal(clusters.labels_, np.repeat([0, 1, 2], 4))
    assert clusters.names_[0] == "w1"
    again = wordmap.WordClusters(n_clusters=3, random_state=0).fit(X, words)
    np.testing.assert_array_equal(again.labels_, clusters.labels_)  # seeded
    with pytest.raises(ValueError, match="between 1 and"):
        wordmap.WordClusters(n_clusters=13).fit(X, words)


def test_pair_distances_are_scaled_by_the_median() -> None:
    words = ["a", "b", "c"]
    X = np.array([[0.0, 0.0, 1.0], [0.0, 1.0, 1.0], [0.0, 3.0, 1.0]])  # distances 1, 3, 2 -> median 2
    Y = np.array([[0.0, 0.0], [2.0, 0.0], [4.0, 0.0]])  # distances 2, 4, 2 -> median 2
    (ab, ac) = wordmap.pair_distances(words, X, Y, [("a", "b"), ("a", "c"), ("a", "zzz")])
    assert (ab.full, ab.on_map) == (pytest.approx(0.5), pytest.approx(1.0))
    assert (ac.full, ac.on_map) == (pytest.approx(1.5), pytest.approx(2.0))
    assert ab.cosine == pytest.approx(1 / np.sqrt(2))


def test_a_zero_vector_has_no_cosine_but_still_a_distance() -> None:
    """The origin has no direction: its cosine is NaN (it was 0/0 = NaN before, with a warning)."""
    words = ["origin", "b", "c"]
    X = np.array([[0.0, 0.0], [3.0, 0.0], [0.0, 4.0]])  # distances 3, 4, 5 -> median 4
    Y = X.copy()
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        (ob, bc) = wordmap.pair_distances(words, X, Y, [("origin", "b"), ("b", "c")])
    assert np.isnan(ob.cosine)
    np.testing.assert_allclose([ob.full, ob.on_map], [0.75, 0.75])
    np.testing.assert_allclose([bc.cosine, bc.full], [0.0, 1.25], atol=1e-15)


def test_car_land_puts_mercedes_nearer_bmw_than_bus(wv: WordVectors) -> None:
    coords = project_2d(encode_texts(wv, list(wordlists.CAR_LAND)).vectors, "pca")
    built = wordmap.build_word_map(wv, wordlists.CAR_LAND, coords, n_clusters=4, random_state=0)
    assert built.coords.shape == (len(wordlists.CAR_LAND), 2)
    assert built.in_vocab.all()
    assert sorted(set(built.labels.tolist())) == [0, 1, 2, 3]
    bmw, bus = wordmap.pair_distances(built.words, built.vectors, built.coords,
                                      [("mercedes", "bmw"), ("mercedes", "bus")])
    assert bmw.cosine > bus.cosine
    assert bmw.full < bus.full and bmw.on_map < bus.on_map
    label = dict(zip(built.words, built.labels))
    assert label["mercedes"] == label["bmw"] != label["bus"]


def test_a_given_map_is_used_as_is(wv: WordVectors) -> None:
    words = ["car", "bus", "bicycle"]
    coords = np.array([[0.0, 0.0], [1.0, 0.0], [0.0, 1.0]])
    built = wordmap.build_word_map(wv, words, coords, n_clusters=2)
    np.testing.assert_array_equal(built.coords, coords)
    with pytest.raises(ValueError, match="shape"):
        wordmap.build_word_map(wv, words, coords[:2], n_clusters=2)


def test_analogy_picture_draws_the_parallelogram_exactly(wv: WordVectors) -> None:
    result = evaluate("king - man + woman", wv)
    picture = wordmap.analogy_map(wv, result.terms, result.vector, ["queen", "monarch", "king"])
    assert picture.words == ["king", "man", "woman", "queen", "monarch", "computed"]
    assert picture.roles == ["input", "input", "input", "result", "neighbour", "computed"]
    (man, king), (woman, queen), (woman2, computed) = picture.arrows
    assert [picture.words[i] for i in (man, king, woman, queen, computed)] == [
        "man", "king", "woman", "queen", "computed"]
    c = picture.coords
    # PCA is affine and king - man + woman is an affine combination: woman -> computed == man -> king.
    np.testing.assert_allclose(c[computed] - c[woman2], c[king] - c[man], atol=1e-6)  # float32 vectors
    assert 0 < picture.offset_cosine < 1
    assert 0 < picture.variance_kept <= 1


def test_analogy_offset_of_two_words_with_one_vector_has_no_cosine() -> None:
    """a - b + c where a and b share a vector: the offset a - b is zero, so its cosine is NaN (as before)."""
    rows = np.array([[1.0, 0.0, 0.0], [1.0, 0.0, 0.0], [0.0, 1.0, 0.0], [0.0, 1.0, 0.2]])
    wv = WordVectors(["a", "b", "c", "d"], rows)
    result = evaluate("a - b + c", wv)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        picture = wordmap.analogy_map(wv, result.terms, result.vector, ["d"])
    assert len(picture.arrows) == 3 and np.isnan(picture.offset_cosine)
    assert np.all(np.isfinite(picture.coords))


def test_analogy_picture_without_the_a_minus_b_plus_c_shape_has_no_arrows(wv: WordVectors) -> None:
    result = evaluate("mean(cat, dog)", wv)
    picture = wordmap.analogy_map(wv, result.terms, result.vector, ["pet", "animal"])
    assert picture.arrows == [] and picture.offset_cosine is None
    assert picture.coords.shape == (5, 2)


def test_groups_can_come_from_the_map_instead_of_the_space(wv: WordVectors) -> None:
    words = ["car", "bus", "cat", "dog"]
    # A deliberately wrong map: it pairs car with cat and bus with dog.
    coords = np.array([[0.0, 0.0], [10.0, 0.0], [0.1, 0.0], [10.1, 0.0]])
    on_map = wordmap.build_word_map(wv, words, coords, n_clusters=2, cluster_on="map")
    in_space = wordmap.build_word_map(wv, words, coords, n_clusters=2, cluster_on="space")
    np.testing.assert_array_equal(on_map.labels, [0, 1, 0, 1])
    np.testing.assert_array_equal(in_space.labels, [0, 0, 1, 1])  # vehicles together, animals together
    with pytest.raises(ValueError, match="cluster_on"):
        wordmap.build_word_map(wv, words, coords, n_clusters=2, cluster_on="both")


def test_an_uploaded_label_in_quotes_is_looked_up_as_it_is() -> None:
    """A label such as '"The Matrix"' (quote marks in the file) used to raise ValueError here."""
    from embedcore import userdata
    from embedcore.expressions import evaluate
    from embedcore.userdata import UploadedWordVectors

    labels = ['"The Matrix"', "cat", "dog", "car", "bus"]
    matrix = np.random.default_rng(0).normal(size=(5, 4))
    wv = UploadedWordVectors(userdata.read_projector_tsv(
        userdata.to_projector_tsv(matrix).encode(), userdata.to_metadata_tsv(labels).encode()))
    result = evaluate("cat - dog + bus", wv)
    nearest = [w for w, _ in wv.nearest(result.vector, k=5)]
    assert '"The Matrix"' in nearest
    picture = wordmap.analogy_map(wv, result.terms, result.vector, nearest, label="result")
    assert '"The Matrix"' in picture.words
    assert picture.coords.shape == (len(picture.words), 2) and np.all(np.isfinite(picture.coords))


def test_k_means_makes_no_more_groups_than_distinct_words() -> None:
    """Three copies of one direction (an upload of parallel rows) used to raise IndexError here."""
    X = np.array([[1.0, 2.0], [1.0, 2.0], [1.0, 2.0], [0.0, 1.0]])
    clusters = wordmap.WordClusters(n_clusters=3, random_state=0).fit(X, ["a", "b", "c", "d"])
    assert clusters.n_clusters_ == 2
    np.testing.assert_array_equal(clusters.labels_, [0, 0, 0, 1])
    assert clusters.names_ == ["a", "d"]
