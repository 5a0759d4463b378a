"""The duplicate search's text vectors: scikit-learn's vectors, and any rows taken alike."""

from __future__ import annotations

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer

from queries.pair_scoring import _text_vectors

TEXTS = [
    "Robot programming for body lines. KUKA robots, 40 hours.",
    "Programmation des robots: lignes de carrosserie (KUKA), 40 heures.",
    "Robot-programming, for the body lines; and the paint shop too",
    "",
    "Schweißen nach ISO 9606-1 für Anfänger und Fortgeschrittene",
    "the and of",
]


def test_products_are_those_of_scikit_learn_vectors() -> None:
    common = {"binary": True, "use_idf": False, "strip_accents": "unicode"}
    chars = TfidfVectorizer(analyzer="char_wb", ngram_range=(4, 4), **common).fit_transform(TEXTS)
    words = TfidfVectorizer(analyzer="word", stop_words="english", **common).fit_transform(TEXTS)
    expected = 0.5 * (chars @ chars.T).toarray() + 0.5 * (words @ words.T).toarray()
    vectors = _text_vectors(TEXTS)[:]
    assert vectors.shape == (len(TEXTS), chars.shape[1] + words.shape[1])
    np.testing.assert_allclose((vectors @ vectors.T).toarray(), expected, atol=1e-6)


def test_taken_rows_are_the_rows_of_the_whole_matrix() -> None:
    vectors = _text_vectors(TEXTS)
    whole = vectors[:]
    for rows in (np.array([4, 0, 2]), np.array([3]), slice(1, 5)):
        taken = vectors[rows]
        part = whole[rows]
        assert taken.has_sorted_indices or taken.nnz == 0
        assert np.array_equal(taken.indptr, part.indptr)
        assert np.array_equal(taken.indices, part.indices)
        assert np.array_equal(taken.data, part.data)
    assert vectors[2].shape == (1, whole.shape[1])
