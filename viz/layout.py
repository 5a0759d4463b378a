"""Seeded force-directed layout, computed on the server so that the browser draws at once.

A Fruchterman-Reingold layout written with NumPy: repulsion between every pair of nodes is
computed in row blocks of element-wise array operations (``O(n^2)`` arithmetic,
``O(block * n)`` memory, no Python loop over pairs), attraction only along the edges (``O(m)``), plus a weak pull to
the centre so that separate components stay in sight. NetworkX's ``spring_layout`` switches
to a sparse, much slower variant above 500 nodes (about 7 s for 1,500 nodes on the
development machine); this one lays out
1,500 nodes in about a second (``bench/viz.py``).

The same nodes, edges and seed give the same positions (nodes are placed in the order given;
callers pass them sorted).

Example
-------
>>> pos = spring_positions(3, [(0, 1), (1, 2)], seed=1)
>>> pos.shape
(3, 2)
>>> bool((spring_positions(3, [(0, 1), (1, 2)], seed=1) == pos).all())
True
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

#: Rows of the repulsion matrix computed at once (bounds memory at 3 * BLOCK * n floats).
BLOCK = 512
#: Pull of every node towards the centre, relative to the ideal edge length.
GRAVITY = 0.05


def spring_positions(
    count: int,
    edges: Sequence[tuple[int, int]],
    *,
    seed: int = 7,
    iterations: int = 60,
) -> np.ndarray:
    """Positions in the unit square's neighbourhood for nodes ``0..count-1``.

    Parameters
    ----------
    count : the number of nodes.
    edges : pairs of node indices (direction and repeats are ignored).
    seed : the seed of the initial placement.
    iterations : steps of the cooling schedule.

    Returns
    -------
    numpy.ndarray
        ``(count, 2)`` coordinates, centred on the origin.
    """
    if count == 0:
        return np.zeros((0, 2))
    rng = np.random.default_rng(seed)
    pos = rng.random((count, 2)) - 0.5
    if count == 1:
        return np.zeros((1, 2))
    pairs = np.array(sorted({(min(a, b), max(a, b)) for a, b in edges if a != b}), dtype=np.int64)
    pairs = pairs.reshape(-1, 2)
    k = float(np.sqrt(1.0 / count))
    temperature = 0.1
    cooling = temperature / (iterations + 1)
    for _ in range(iterations):
        disp = _repulsion(pos, k) + _attraction(pos, pairs, k) - GRAVITY * pos / k
        length = np.maximum(np.linalg.norm(disp, axis=1), 1e-9)
        pos = pos + disp * (np.minimum(length, temperature) / length)[:, None]
        temperature -= cooling
    return pos - pos.mean(axis=0)


def _repulsion(pos: np.ndarray, k: float) -> np.ndarray:
    """Sum over j of ``k^2 (p_i - p_j) / |p_i - p_j|^2``, in row blocks.

    Element-wise (no BLAS product): the result does not depend on the BLAS library or its
    thread count, and no large terms cancel, so the layout is the same run after run.
    """
    single = pos.astype(np.float32)
    x, y = single[:, 0], single[:, 1]
    out = np.empty_like(single)
    floor = np.float32(1e-4 * k * k)
    for start in range(0, len(single), BLOCK):
        dx = x[start : start + BLOCK, None] - x[None, :]
        dy = y[start : start + BLOCK, None] - y[None, :]
        inverse = dx * dx
        inverse += dy * dy
        np.maximum(inverse, floor, out=inverse)
        np.reciprocal(inverse, out=inverse)
        dx *= inverse
        dy *= inverse
        out[start : start + BLOCK, 0] = dx.sum(axis=1)
        out[start : start + BLOCK, 1] = dy.sum(axis=1)
    return out.astype(np.float64) * (k * k)


def _attraction(pos: np.ndarray, pairs: np.ndarray, k: float) -> np.ndarray:
    """Each edge pulls its ends together with force ``d^2 / k``."""
    out = np.zeros_like(pos)
    if len(pairs) == 0:
        return out
    delta = pos[pairs[:, 0]] - pos[pairs[:, 1]]
    pull = delta * (np.linalg.norm(delta, axis=1) / k)[:, None]
    np.add.at(out, pairs[:, 0], -pull)
    np.add.at(out, pairs[:, 1], pull)
    return out
