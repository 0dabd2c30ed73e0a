"""Encode, decode and noise: round trips and exact values."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from embedcore import encoding
from embedcore.expressions import evaluate
from embedcore.wordvectors import WordVectors, load_word_vectors


@pytest.fixture(scope="module")
def wv() -> WordVectors:
    """The bundled vectors, loaded once for this module."""
    return load_word_vectors()


def test_vocabulary_words_encode_to_their_own_row(wv: WordVectors) -> None:
    encoded = encoding.encode_texts(wv, ["cat", "king"])
    np.testing.assert_allclose(encoded.vectors, np.vstack([wv.vector("cat"), wv.vector("king")]), atol=1e-6)
    assert encoded.in_vocab.tolist() == [True, True]
    assert encoded.out_of_vocab == []


def test_other_text_is_encoded_from_word_pieces_and_flagged(wv: WordVectors) -> None:
    encoded = encoding.encode_texts(wv, ["skateboarding", "ice cream", "cat"])
    assert encoded.out_of_vocab == ["skateboarding", "ice cream"]
    np.testing.assert_allclose(np.linalg.norm(encoded.vectors, axis=1), 1.0, rtol=1e-6)
    assert encoding.decode(wv, encoded.vectors[0], k=3)[0][0].startswith("skat")


def test_encode_rejects_empty_input(wv: WordVectors) -> None:
    with pytest.raises(ValueError, match="nothing to encode"):
        encoding.encode_texts(wv, [])
    with pytest.raises(ValueError, match="Type a word"):
        encoding.clean_text("   ")
    with pytest.raises(ValueError, match="under 60"):
        encoding.clean_text("x" * 61)
    assert encoding.clean_text("  Ice   CREAM ") == "ice cream"


def test_decode_matches_the_word_vectors_own_neighbours(wv: WordVectors) -> None:
    v = wv.vector("dog")
    mine = encoding.decode(wv, v, k=6, exclude=["dog"])
    theirs = wv.nearest("dog", k=6)
    assert [w for w, _ in mine] == [w for w, _ in theirs]
    np.testing.assert_allclose([c for _, c in mine], [c for _, c in theirs], rtol=1e-5)
    assert encoding.decode(wv, v, k=1) == [("dog", pytest.approx(1.0, abs=1e-6))]
    with pytest.raises(ValueError, match="zero vector"):
        encoding.decode(wv, np.zeros(wv.dim))


def test_rank_agrees_with_the_neighbour_list(wv: WordVectors) -> None:
    result = evaluate("king - man + woman", wv)
    rank, cosine = encoding.rank_words(wv, result.vector).rank("queen", exclude=result.input_words)
    assert rank == 1
    listed = encoding.decode(wv, result.vector, k=30)  # inputs included
    words = [w for w, _ in listed]
    rank_king, cos_king = encoding.rank_words(wv, result.vector).rank("king")
    assert words.index("king") + 1 == rank_king
    assert words.index("queen") + 1 == encoding.rank_words(wv, result.vector).rank("queen")[0]
    assert cos_king == pytest.approx(dict(listed)["king"], abs=1e-6)
    assert cosine == pytest.approx(dict(listed)["queen"], abs=1e-6)
    with pytest.raises(KeyError, match="not in the vocabulary"):
        encoding.rank_words(wv, result.vector).rank("qqqxz")


@settings(max_examples=30, deadline=None)
@given(st.floats(0, 5), st.integers(0, 1000))
def test_perturb_moves_exactly_size_at_right_angles(size: float, seed: int) -> None:
    v = np.random.default_rng(seed + 1).standard_normal(16)
    v /= np.linalg.norm(v)
    noisy = encoding.perturb(v, size, seed)
    assert np.linalg.norm(noisy - v) == pytest.approx(size, abs=1e-9)
    assert (noisy - v) @ v == pytest.approx(0.0, abs=1e-9)
    np.testing.assert_array_equal(noisy, encoding.perturb(v, size, seed))  # seeded: repeatable


def test_noise_sweep_finds_where_the_decoding_changes(wv: WordVectors) -> None:
    v = wv.vector("cat")
    sweep = encoding.noise_sweep(wv, v, max_size=5.0, n_steps=21, random_state=0)
    assert sweep.word == "cat"
    assert sweep.word_cosines[0] == pytest.approx(1.0, abs=1e-6)
    # The noise is orthogonal, so the clean vector's cosine falls as 1 / sqrt(1 + s^2).
    np.testing.assert_allclose(sweep.kept, 1 / np.sqrt(1 + sweep.sizes**2), rtol=1e-9)
    assert sweep.breakpoint is not None and 0 < sweep.breakpoint <= 5.0
    just_before = encoding.perturb(v, sweep.breakpoint - 0.01, 0)
    at = encoding.perturb(v, sweep.breakpoint, 0)
    assert encoding.decode(wv, just_before, k=1)[0][0] == "cat"
    assert encoding.decode(wv, at, k=1)[0][0] != "cat"


def test_round_trip_without_noise_decodes_the_same(wv: WordVectors) -> None:
    trip = encoding.round_trip(wv, "King", 0.0)
    assert trip.text == "king" and trip.in_vocab
    assert trip.decoded == trip.decoded_noisy
    assert trip.kept == pytest.approx(1.0)
    noisy = encoding.round_trip(wv, "king", 1.0)
    assert noisy.kept == pytest.approx(1 / np.sqrt(2))


def test_average_of_cat_and_dog_is_about_pets(wv: WordVectors) -> None:
    mean = encoding.average(wv, ["cat", "dog"])
    np.testing.assert_allclose(mean.vector, (wv.vector("cat") + wv.vector("dog")) / 2, atol=1e-6)
    words = [w for w, _ in mean.neighbours]
    assert "cat" not in words and "dog" not in words
    assert {"pet", "animal"} & set(words[:5])


def test_the_mean_sits_nearer_each_word_than_they_sit_to_each_other(wv: WordVectors) -> None:
    mean = encoding.average(wv, ["cat", "dog", "horse"])
    X = mean.encoded.vectors
    unit = mean.vector / np.linalg.norm(mean.vector)
    np.testing.assert_allclose(mean.to_mean, np.mean(X @ unit))
    pairs = [X[i] @ X[j] for i in range(3) for j in range(3) if i != j]
    np.testing.assert_allclose(mean.between, np.mean(pairs))
    assert mean.to_mean > mean.between
    assert encoding.average(wv, ["cat"]).between is None


def test_average_of_opposites_has_no_direction() -> None:
    opposite = WordVectors(["up", "down", "left"], np.array([[0.0, 1.0], [0.0, -1.0], [-1.0, 0.0]]))
    with pytest.raises(ValueError, match="cancel out"):
        encoding.average(opposite, ["up", "down"])


def test_a_step_towards_the_nearest_neighbour_flips_the_decoding_by_half_the_gap() -> None:
    """The lesson's claim, checked: past half the gap the point decodes as the neighbour (or another word)."""
    from embedcore.encoding import decode, toward_neighbour
    from embedcore.wordvectors import load_word_vectors

    wv = load_word_vectors()
    u = wv.vector("cat").astype(np.float64)
    toward = toward_neighbour(wv, u, "cat")
    v = wv.vector(toward.neighbour).astype(np.float64)
    np.testing.assert_allclose(toward.distance, np.linalg.norm(u - v), rtol=1e-6)
    np.testing.assert_allclose(toward.flip, toward.distance / 2)
    step = (v - u) / np.linalg.norm(v - u)
    assert decode(wv, u + 0.9 * toward.flip * step, k=1)[0][0] == "cat"
    assert decode(wv, u + 1.1 * toward.flip * step, k=1)[0][0] != "cat"
