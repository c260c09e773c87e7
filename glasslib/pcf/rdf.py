"""Partial radial distribution functions with OVITO, averaged over production frames."""

from __future__ import annotations

import os

import numpy as np
import pandas as pd

from .compositions import ELEMENTS

# label order of a pair: network formers, modifiers, dopants, then oxygen ('Si-O', 'Zn-O')
LABEL_ORDER = ("Si", "B", "Na", "Ba", "Ti", "Zn", "O")

R_MAX_ANGSTROM = 10.0
N_BINS = 200

# Pair-specific first-shell cutoffs (A) for coordination numbers: a little past the first
# minimum of each cation-O g(r) in oxide glasses.
CN_CUTOFF_ANGSTROM = {"Si-O": 2.3, "B-O": 1.9, "Na-O": 3.2, "Ba-O": 3.6, "Zn-O": 2.6, "Ti-O": 2.6}


def pair_name(a: str, b: str) -> str:
    """Canonical pair label, cation first and oxygen last, e.g. ('O', 'Si') -> 'Si-O'."""
    for el in (a, b):
        if el not in ELEMENTS:
            raise ValueError(f"element {el!r} is not supported; choose one of {', '.join(ELEMENTS)}")
    i, j = sorted((a, b), key=LABEL_ORDER.index)
    return f"{i}-{j}"


def partial_rdfs(dump_file: str | os.PathLike, r_max: float = R_MAX_ANGSTROM,
                 n_bins: int = N_BINS) -> pd.DataFrame:
    """Frame-averaged partial g(r) of every element pair present, from a LAMMPS dump.

    Returns a table with column `r_angstrom` (bin centres) and one column per pair
    ('Si-O', 'O-O', ...). Uses OVITO's CoordinationAnalysisModifier(partial=True) and a
    TimeAveragingModifier over all frames. If half the smallest box length is below
    r_max, the range is shortened to it (tiny smoke-test boxes).
    """
    from ovito.io import import_file
    from ovito.modifiers import CoordinationAnalysisModifier, TimeAveragingModifier

    pipeline = import_file(str(dump_file))
    n_frames = pipeline.source.num_frames
    first = pipeline.compute(0)
    half_box = 0.5 * float(np.min(np.linalg.norm(first.cell[:, :3], axis=0)))
    r_use = min(r_max, half_box - 1e-6)
    bins = int(round(n_bins * r_use / r_max))
    pipeline.modifiers.append(CoordinationAnalysisModifier(cutoff=r_use, number_of_bins=bins,
                                                           partial=True))
    pipeline.modifiers.append(TimeAveragingModifier(operate_on="table:coordination-rdf"))
    data = pipeline.compute()
    table = data.tables["coordination-rdf[average]"]
    xy = table.xy()
    columns = ["r_angstrom"]
    for label in table.y.component_names:
        a, b = label.split("-")
        columns.append(pair_name(a, b))
    frame = pd.DataFrame(xy, columns=columns)
    frame.attrs["n_frames"] = n_frames
    return frame


# a curve resting on fewer pairs than this within FIRST_SHELL_ANGSTROM, summed over the
# production frames, is flagged as noise (and kept out of training and evaluation)
PAIR_COUNT_THRESHOLD = 50
FIRST_SHELL_ANGSTROM = 5.0


def normalise_like_pairs(rdf: pd.DataFrame, counts: dict[str, int]) -> pd.DataFrame:
    """Like-pair curves normalised by N(N-1) instead of N^2, so they level off at 1.

    OVITO's partial g_aa(r) divides the pair histogram by N_a * rho_a: a species of N_a atoms
    then levels off at (N_a - 1) / N_a (0.83 for six Zn atoms). Multiplying by N_a / (N_a - 1)
    gives the usual normalisation; unlike pairs are unchanged.
    """
    out = rdf.copy()
    for column in out.columns[1:]:
        a, b = column.split("-")
        if a == b and counts.get(a, 0) > 1:
            out[column] = out[column] * counts[a] / (counts[a] - 1)
    out.attrs.update(rdf.attrs)
    return out


def first_shell_pairs(rdf: pd.DataFrame, counts: dict[str, int], box_lengths_angstrom, n_frames: int,
                      r_cut: float = FIRST_SHELL_ANGSTROM) -> dict[str, int]:
    """Distinct atom pairs closer than r_cut, summed over n_frames, per curve of `rdf`
    (normalised as by `normalise_like_pairs`): the evidence behind each curve's first shell."""
    volume = float(np.prod(box_lengths_angstrom))
    r = rdf["r_angstrom"].to_numpy()
    half = 0.5 * (r[1] - r[0])
    mask = r + half <= r_cut + 1e-9
    shells = 4 / 3 * np.pi * ((r[mask] + half) ** 3 - (r[mask] - half) ** 3)   # each bin's volume
    out = {}
    for column in rdf.columns[1:]:
        a, b = column.split("-")
        pairs = counts.get(a, 0) * (counts.get(a, 0) - 1) / 2 if a == b else counts.get(a, 0) * counts.get(b, 0)
        shell = float(np.sum(shells * rdf[column].to_numpy()[mask]))
        out[column] = int(round(pairs / volume * shell * n_frames))
    return out


def number_density(counts: dict[str, int], box_lengths_angstrom) -> dict[str, float]:
    """Atoms per A^3 of each element."""
    volume = float(np.prod(box_lengths_angstrom))
    return {el: n / volume for el, n in counts.items()}


def coordination_numbers(rdf: pd.DataFrame, counts: dict[str, int], box_lengths_angstrom,
                         cutoffs: dict[str, float] = CN_CUTOFF_ANGSTROM) -> dict[str, float]:
    """Mean number of O around each cation: 4 pi rho_O int_0^rc g(r) r^2 dr."""
    rho = number_density(counts, box_lengths_angstrom)
    r = rdf["r_angstrom"].to_numpy()
    result = {}
    for pair, rc in cutoffs.items():
        if pair not in rdf.columns or "O" not in rho:
            continue
        mask = r <= rc
        g = rdf[pair].to_numpy()[mask]
        result[pair] = float(4 * np.pi * rho["O"] * np.trapezoid(g * r[mask] ** 2, r[mask]))
    return result


def first_peak(r: np.ndarray, g: np.ndarray, r_min: float = 1.0) -> tuple[float, float]:
    """Position (A) and height of the highest maximum of g(r) in its first shell.

    The first shell is taken as everything before g falls back below 1 after first
    exceeding it; a parabola through the top three points refines the position.
    """
    r = np.asarray(r, float)
    g = np.asarray(g, float)
    start = np.searchsorted(r, r_min)
    above = np.nonzero(g[start:] > 1.0)[0]
    if len(above) == 0:
        return float("nan"), float("nan")
    i0 = start + above[0]
    below = np.nonzero(g[i0:] < 1.0)[0]
    i1 = i0 + (below[0] if len(below) else len(g) - i0)
    k = i0 + int(np.argmax(g[i0:i1]))
    if 0 < k < len(g) - 1:
        y0, y1, y2 = g[k - 1], g[k], g[k + 1]
        denom = y0 - 2 * y1 + y2
        shift = 0.5 * (y0 - y2) / denom if denom != 0 else 0.0
        return float(r[k] + shift * (r[1] - r[0])), float(y1)
    return float(r[k]), float(g[k])
