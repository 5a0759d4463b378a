"""Default thresholds of the duplicates analysis, importable without its numerical libraries.

Chosen on the sample data (``docs/analyses/duplicates.md``); the command line shows them as
option defaults, so they live apart from :mod:`queries.pair_scoring`, which needs NumPy and
SciPy.
"""

#: Planted duplicates score >= 0.82 (offers >= 0.90), the decoy 0.62 and the best unrelated
#: pair in a block 0.63.
DEFAULT_MIN_SCORE = 0.75
#: Text similarity above which same-competence, same-EQF offers in different countries are
#: recognition candidates (sample: planted pairs >= 0.50, unrelated pairs <= 0.45).
RECOGNITION_MIN_TEXT = 0.48
