"""Paper 2 §IV.A: enumerate candidate compositions on a simplex grid and screen them.

Candidates are all compositions of the chosen components in steps of `step` wt% that sum to
100 wt% (optionally with per-component min/max). They are generated block by block from an
integer index (no full list held), scored in batches, and only a running top-k is kept,
so peak memory does not grow with the number of candidates.
"""

from __future__ import annotations

import copy
import math
import os
from pathlib import Path

import numpy as np
import pandas as pd

from .. import paths
from .sciglass import COMPONENTS

# The 12 oxides of the paper's experiments (§IV.B: SiO2, Al2O3, B2O3, Na2O, K2O, Li2O, ZnO,
# SrO, CaO, MgO, TiO2, P2O5); at 10 wt% steps they give C(21, 11) = 352,716 candidates.
PAPER_COMPONENTS = ("SiO2", "Al2O3", "B2O3", "CaO", "K2O", "Na2O", "Li2O", "MgO", "SrO", "ZnO",
                    "TiO2", "P2O5")
DEFAULT_STEP = 10.0


class SimplexGrid:
    """All compositions of `components` on a `step` wt% grid summing to 100 wt%."""

    def __init__(self, components=PAPER_COMPONENTS, step: float = DEFAULT_STEP,
                 minimum: dict | None = None, maximum: dict | None = None):
        components = tuple(components)
        unknown = [c for c in components if c not in COMPONENTS]
        if unknown:
            raise ValueError(f"component(s) {unknown} are not supported; choose from {', '.join(COMPONENTS)}")
        if len(set(components)) != len(components) or len(components) < 2:
            raise ValueError(f"components {components} must be at least two distinct names")
        if not (0 < step <= 100) or abs(100 / step - round(100 / step)) > 1e-9:
            raise ValueError(f"step {step!r} wt% must divide 100 (e.g. 1, 2, 5, 10, 20, 25, 50)")
        self.components, self.step = components, float(step)
        self.units = int(round(100 / step))
        lo = np.zeros(len(components), np.int64)
        hi = np.full(len(components), self.units, np.int64)
        for bound, arr, name in ((minimum or {}, lo, "minimum"), (maximum or {}, hi, "maximum")):
            for comp, value in bound.items():
                if comp not in components:
                    raise ValueError(f"{name} given for {comp!r}, which is not among {components}")
                if not 0 <= value <= 100:
                    raise ValueError(f"{name} {value!r} wt% for {comp} must be within [0, 100]")
                arr[components.index(comp)] = (math.ceil if name == "minimum" else math.floor)(
                    value / step - 1e-9 if name == "minimum" else value / step + 1e-9)
        if (lo > hi).any() or lo.sum() > self.units or hi.sum() < self.units:
            raise ValueError("the min/max constraints leave no composition summing to 100 wt%")
        self.lo, self.hi = lo, hi

    def __len__(self) -> int:
        return count_compositions(self.units - int(self.lo.sum()), self.hi - self.lo)

    def blocks(self, block_size: int = 65536):
        """Yield (n_block, n_components) int arrays of units (wt% / step), in lexicographic order."""
        yield from _enumerate(self.units - int(self.lo.sum()), self.hi - self.lo, self.lo, block_size)

    def fractions(self, units: np.ndarray) -> np.ndarray:
        """Units -> mass fractions in the 18-column order of the SciGlass table."""
        full = np.zeros((len(units), len(COMPONENTS)), np.float32)
        cols = [COMPONENTS.index(c) for c in self.components]
        full[:, cols] = units * (self.step / 100.0)
        return full


def count_compositions(total: int, caps) -> int:
    """Number of non-negative integer vectors with entries <= caps summing to total (DP)."""
    ways = np.zeros(total + 1, dtype=object)
    ways[0] = 1
    for cap in caps:
        new = np.zeros_like(ways)
        for t in range(total + 1):
            new[t] = sum(ways[t - v] for v in range(0, min(int(cap), t) + 1))
        ways = new
    return int(ways[total])


def _enumerate(total, caps, offset, block_size):
    """Vectorised enumeration: extend partial compositions one component at a time, keeping
    blocks of prefixes small enough that no more than ~block_size rows are alive at once."""
    caps = np.asarray(caps, np.int64)
    k = len(caps)
    # suffix capacity: most units the remaining components can absorb
    suffix = np.concatenate([np.cumsum(caps[::-1])[::-1], [0]])

    def expand(prefix_units, used, i):
        if i == k - 1:
            last = total - used
            ok = (last >= 0) & (last <= caps[i])
            rows = np.concatenate([prefix_units[ok], last[ok, None]], axis=1)
            return [rows] if len(rows) else []
        out = []
        values = np.arange(caps[i] + 1)
        rep_used = used[:, None] + values[None, :]
        feasible = (rep_used <= total) & (total - rep_used <= suffix[i + 1])
        p_idx, v_idx = np.nonzero(feasible)
        new_prefix = np.concatenate([prefix_units[p_idx], values[v_idx, None]], axis=1)
        new_used = rep_used[p_idx, v_idx]
        # process in chunks so the live set stays bounded
        chunk = max(1, block_size // max(1, int(caps[i + 1:].max(initial=1)) + 1))
        for s in range(0, len(new_used), chunk):
            out.append((new_prefix[s:s + chunk], new_used[s:s + chunk]))
        return out

    stack = [(np.zeros((1, 0), np.int64), np.zeros(1, np.int64), 0)]
    pending = []
    pending_rows = 0
    while stack:
        prefix, used, i = stack.pop()
        if i == k - 1:
            for rows in expand(prefix, used, i):
                pending.append(rows + offset)
                pending_rows += len(rows)
                if pending_rows >= block_size:
                    yield np.concatenate(pending)
                    pending, pending_rows = [], 0
            continue
        children = expand(prefix, used, i)
        for child_prefix, child_used in reversed(children):
            stack.append((child_prefix, child_used, i + 1))
    if pending:
        yield np.concatenate(pending)


def screen(model, grid: SimplexGrid, top: int = 5, batch_size: int = 8192, progress: bool = False,
           trust=None, band=None, in_domain_only: bool = False, pool: int | None = None, workers: int = 1):
    """Score every candidate of `grid` with model.decision_function (DeepGlassNet: its fused
    `grid_scorer`, the same scores to float32 rounding); keep the `top` best.

    With `trust` (a `trust.ScreenTrust`) and `band`, the best `pool` candidates (default
    max(1000, 50 * top)) get the applicability-domain and calibrated-probability columns, and
    `in_domain_only` keeps the in-domain ones before the top `top` are taken.
    `workers` > 1 screens pieces of the grid (cut by the first two components' values) in that
    many processes of one thread each; the result is the same, ties included.
    Returns a DataFrame (rank, similarity, [trust columns], wt% of each component) and the
    candidate count.
    """
    if isinstance(top, bool) or int(top) != top or int(top) < 1:
        raise ValueError(f"top={top!r} must be a positive whole number of candidates")
    if isinstance(workers, bool) or int(workers) != workers or int(workers) < 1:
        raise ValueError(f"workers={workers!r} must be a positive whole number of processes")
    if (trust is None) != (band is None):
        raise ValueError("trust and band go together: pass both or neither")
    if in_domain_only and trust is None:
        raise ValueError("in_domain_only needs trust (the applicability domain) and band")
    keep_n = int(top) if trust is None else int(pool or max(1000, 50 * int(top)))
    bar = None
    if progress:
        from tqdm.auto import tqdm

        bar = tqdm(total=len(grid), desc="screening", unit="candidate", unit_scale=True)
    if int(workers) == 1:
        best_scores, best_units, n = _screen_part(model, grid, keep_n, batch_size, bar)
    else:
        best_scores, best_units, n = _screen_parallel(model, grid, keep_n, batch_size, int(workers), bar)
    if bar is not None:
        bar.close()
    table = pd.DataFrame(best_units * grid.step, columns=list(grid.components))
    if trust is not None:
        table = pd.concat([trust.annotate(grid.fractions(best_units), band), table], axis=1)
    table.insert(0, "similarity", best_scores)
    if in_domain_only:
        table = table[table.in_domain]
    table = table.head(int(top)).reset_index(drop=True)
    table.insert(0, "rank", np.arange(1, len(table) + 1))
    return table, n


def _merge_best(best_scores, best_units, scores, units, keep_n):
    """The keep_n best of both, earlier rows first among equal scores (grid order)."""
    if len(scores) > keep_n:                       # only this block's best can enter the top
        cut = -np.partition(-scores, keep_n - 1)[keep_n - 1]
        part = np.flatnonzero(scores >= cut)       # every tie at the cut, in grid order
        scores, units = scores[part], units[part]
    scores = np.concatenate([best_scores, scores])
    units = np.concatenate([best_units, units])
    keep = np.lexsort((np.arange(len(scores)), -scores))[:keep_n]
    return scores[keep], units[keep]


def _scorer(model, grid: SimplexGrid):
    """units -> scores: the model's fused grid scorer where it has one (DeepGlassNet), else its
    decision_function on the grid's mass fractions."""
    make = getattr(model, "grid_scorer", None)
    fused = make([COMPONENTS.index(c) for c in grid.components], grid.step / 100.0) if make else None
    return fused or (lambda units: model.decision_function(grid.fractions(units)))


def _screen_part(model, grid: SimplexGrid, keep_n: int, batch_size: int, bar=None):
    best_scores = np.empty(0, np.float32)
    best_units = np.empty((0, len(grid.components)), np.int64)
    n = 0
    score = _scorer(model, grid)
    for units in grid.blocks(batch_size):
        scores = np.asarray(score(units), np.float32)
        n += len(units)
        best_scores, best_units = _merge_best(best_scores, best_units, scores, units, keep_n)
        if bar is not None:
            bar.update(len(units))
    return best_scores, best_units, n


def subgrids(grid: SimplexGrid, depth: int = 2) -> list[SimplexGrid]:
    """`grid` cut into pieces by the values of its first `depth` components, in grid order:
    the pieces' candidates, one after the other, are the grid's, in the same order."""
    depth = min(depth, len(grid.components) - 1)
    rest_lo, rest_hi = int(grid.lo[depth:].sum()), int(grid.hi[depth:].sum())
    pieces = []

    def walk(prefix, used):
        i = len(prefix)
        if i == depth:
            if rest_lo <= grid.units - used <= rest_hi:
                piece = copy.copy(grid)
                piece.lo, piece.hi = grid.lo.copy(), grid.hi.copy()
                piece.lo[:depth] = piece.hi[:depth] = prefix
                pieces.append(piece)
            return
        for v in range(int(grid.lo[i]), int(grid.hi[i]) + 1):
            if used + v + int(grid.lo[i + 1:].sum()) <= grid.units:
                walk(prefix + [v], used + v)

    walk([], 0)
    return pieces


_WORKER_MODEL = None


def _worker_start(model) -> None:
    global _WORKER_MODEL
    from .. import seeds

    seeds.set_threads(1)          # PyTorch, OpenMP and BLAS: one thread per process
    _WORKER_MODEL = model


def _worker_screen(job):
    piece, keep_n, batch_size = job
    return _screen_part(_WORKER_MODEL, piece, keep_n, batch_size)


def _screen_parallel(model, grid, keep_n, batch_size, workers, bar=None):
    """Pieces of the grid in `workers` fresh processes (spawned: a forked PyTorch may hang on
    the parent's thread pool), merged in grid order so ties break exactly as in one process."""
    import multiprocessing

    best_scores = np.empty(0, np.float32)
    best_units = np.empty((0, len(grid.components)), np.int64)
    n = 0
    jobs = [(piece, keep_n, batch_size) for piece in subgrids(grid)]
    with multiprocessing.get_context("spawn").Pool(workers, _worker_start, (model,)) as procs:
        for scores, units, count in procs.imap(_worker_screen, jobs):
            best_scores, best_units = _merge_best(best_scores, best_units, scores, units, keep_n)
            n += count
            if bar is not None:
                bar.update(count)
    return best_scores, best_units, n


def save_table(table: pd.DataFrame, path: str | os.PathLike) -> Path:
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    table.to_csv(path, index=False, float_format="%.6g")
    return path


def model_path(band) -> Path:
    return paths.MODELS / f"deepglassnet_{float(band[0]):g}-{float(band[1]):g}C.pt"


def model_for_band(band, path: str | os.PathLike | None = None):
    """The saved DeepGlassNet for `band`: the file at `path`, else the one shipped in
    data/models/. Never trains behind the caller's back; a model trained for another band is
    refused."""
    from .dataset import check_band
    from .model import DeepGlassNetClassifier

    band = check_band(band)
    file = Path(path) if path is not None else model_path(band)
    if not file.exists():
        shipped = sorted(p.name for p in paths.MODELS.glob("deepglassnet_*.pt"))
        raise FileNotFoundError(f"no model file {file}; train one for {band[0]:g}-{band[1]:g} °C "
                                f"(notebook 03) or pass --model; shipped: {', '.join(shipped)}")
    model = DeepGlassNetClassifier.load(file)
    if model.band is not None and tuple(map(float, model.band)) != band:
        raise ValueError(f"model {file.name} was trained for band {model.band[0]:g}-{model.band[1]:g} °C, "
                         f"not the requested {band[0]:g}-{band[1]:g} °C")
    return model
