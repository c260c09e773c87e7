"""Structure of an MD glass as a glass scientist checks it: boron coordination (N4),
non-bridging oxygen, the Si-O-Si angle and the neutron structure factor S(q), averaged over
production frames of a LAMMPS dump (`id element x y z`, orthogonal periodic box)."""

from __future__ import annotations

import gzip
import os
from dataclasses import dataclass

import numpy as np
from scipy.spatial import cKDTree

# first-shell cutoffs of network formers to oxygen (A): past the first minimum of g(r)
BOND_CUTOFF_ANGSTROM = {"Si": 2.0, "B": 2.0, "Ti": 2.4, "Zn": 2.5}
# coherent neutron scattering lengths (fm), Sears (1992); 11B as used for neutron work on glass
NEUTRON_LENGTH_FM = {"O": 5.803, "Si": 4.1491, "B": 6.65, "Na": 3.63, "Ba": 5.07, "Zn": 5.68, "Ti": -3.438}


@dataclass
class Frame:
    elements: np.ndarray      # (n,) element symbol per atom
    xyz: np.ndarray           # (n, 3) wrapped positions, A
    box: np.ndarray           # (3,) edge lengths, A

    def positions(self, element: str) -> np.ndarray:
        return self.xyz[self.elements == element]


def read_dump(path: str | os.PathLike, every: int = 1) -> list[Frame]:
    """Frames of a LAMMPS text dump (plain or .gz) written with `id element x y z`."""
    opener = gzip.open if str(path).endswith(".gz") else open
    frames, k = [], 0
    with opener(path, "rt") as handle:
        lines = iter(handle)
        for line in lines:
            if not line.startswith("ITEM: TIMESTEP"):
                continue
            next(lines)
            next(lines)
            n = int(next(lines))
            next(lines)
            bounds = np.array([[float(v) for v in next(lines).split()[:2]] for _ in range(3)])
            header = next(lines).split()[2:]
            rows = [next(lines).split() for _ in range(n)]
            if k % every == 0:
                col = {name: i for i, name in enumerate(header)}
                elements = np.array([r[col["element"]] for r in rows])
                xyz = np.array([[float(r[col[c]]) for c in "xyz"] for r in rows])
                box = bounds[:, 1] - bounds[:, 0]
                frames.append(Frame(elements, np.mod(xyz - bounds[:, 0], box), box))
            k += 1
    if not frames:
        raise ValueError(f"{path} holds no dump frames")
    return frames


def _neighbours(frame: Frame, center: str, other: str, cutoff: float):
    """For each `center` atom, the indices (into the `other` atoms) within `cutoff`."""
    tree = cKDTree(frame.positions(other), boxsize=frame.box)
    return tree.query_ball_point(frame.positions(center), cutoff)


def coordination_histogram(frames: list[Frame], center: str, other: str = "O",
                           cutoff: float | None = None) -> dict[int, float]:
    """Fraction of `center` atoms with n `other` neighbours, over all frames."""
    cutoff = cutoff or BOND_CUTOFF_ANGSTROM[center]
    counts = np.concatenate([[len(n) for n in _neighbours(f, center, other, cutoff)] for f in frames])
    values, freq = np.unique(counts, return_counts=True)
    return {int(v): float(c) / len(counts) for v, c in zip(values, freq)}


def n4(frames: list[Frame], cutoff: float = BOND_CUTOFF_ANGSTROM["B"]) -> float:
    """Fraction of four-coordinated boron (11B NMR's N4): B with >= 4 O within `cutoff`."""
    hist = coordination_histogram(frames, "B", "O", cutoff)
    return float(sum(f for n, f in hist.items() if n >= 4))


def oxygen_species(frames: list[Frame], formers=("Si", "B")) -> dict[str, float]:
    """Fractions of non-bridging (one former), bridging (two) and free/tri-cluster oxygen."""
    totals = np.zeros(4)
    for f in frames:
        n_o = int((f.elements == "O").sum())
        bonded = np.zeros(n_o, int)
        for former in formers:
            if (f.elements == former).any():
                for hits in _neighbours(f, former, "O", BOND_CUTOFF_ANGSTROM[former]):
                    bonded[hits] += 1
        totals += np.bincount(np.minimum(bonded, 3), minlength=4)
    share = totals / totals.sum()
    return {"free": float(share[0]), "NBO": float(share[1]), "BO": float(share[2]), "tricluster": float(share[3])}


def tot_angles(frames: list[Frame], former: str = "Si") -> np.ndarray:
    """Every former-O-former angle (degrees) at oxygen atoms bridging two `former` atoms."""
    angles = []
    cutoff = BOND_CUTOFF_ANGSTROM[former]
    for f in frames:
        cations, oxygens = f.positions(former), f.positions("O")
        tree = cKDTree(cations, boxsize=f.box)
        for o, hits in zip(oxygens, tree.query_ball_point(oxygens, cutoff)):
            if len(hits) != 2:
                continue
            a, b = (cations[h] - o for h in hits)
            a -= f.box * np.round(a / f.box)
            b -= f.box * np.round(b / f.box)
            cos = a @ b / np.linalg.norm(a) / np.linalg.norm(b)
            angles.append(np.degrees(np.arccos(np.clip(cos, -1, 1))))
    return np.asarray(angles)


def neutron_sq_direct(frames: list[Frame], q_max: float = 4.0, dq: float = 0.05):
    """Neutron-weighted Faber-Ziman S(q) straight from the atoms, on the wave vectors the periodic
    box allows (q = 2 pi (h, k, l) / L), binned in |q| and averaged over frames:
    S(q) = (|sum_j b_j exp(i q.r_j)|^2 / N - <b^2> + <b>^2) / <b>^2.
    Unlike the transform of a g(r) cut at half the box, it has no truncation ripples."""
    edges = np.arange(0.0, q_max + dq, dq)
    total, count = np.zeros(len(edges) - 1), np.zeros(len(edges) - 1)
    for f in frames:
        b = np.array([NEUTRON_LENGTH_FM[el] for el in f.elements])
        n_max = np.ceil(q_max * f.box / (2 * np.pi)).astype(int)
        h, k, l_ = np.meshgrid(*(np.arange(-m, m + 1) for m in n_max), indexing="ij")
        hkl = np.stack([h.ravel(), k.ravel(), l_.ravel()], 1)
        hkl = hkl[(hkl[:, 0] > 0) | ((hkl[:, 0] == 0) & ((hkl[:, 1] > 0) | ((hkl[:, 1] == 0) & (hkl[:, 2] > 0))))]
        q = 2 * np.pi * hkl / f.box
        qn = np.linalg.norm(q, axis=1)
        keep = qn <= q_max
        q, qn = q[keep], qn[keep]
        amp = np.zeros(len(q), complex)
        for start in range(0, len(q), 2048):
            phase = f.xyz @ q[start:start + 2048].T
            amp[start:start + 2048] = b @ np.exp(1j * phase)
        s = (np.abs(amp) ** 2 / len(b) - np.mean(b ** 2) + np.mean(b) ** 2) / np.mean(b) ** 2
        idx = np.digitize(qn, edges) - 1
        np.add.at(total, idx, s)
        np.add.at(count, idx, 1)
    centres = 0.5 * (edges[1:] + edges[:-1])
    seen = count > 0
    return centres[seen], total[seen] / count[seen], count[seen]


# a peak whose centre the fit places no better than this (standard error, 1/A) is not measured: in a
# 1,000-atom box the S(q) of each |q| shell scatters by about +-0.2, and where no peak stands out of
# that scatter the fit spreads a broad hump over the window (one 2 fs silica probe: 1.36 +- 0.71)
FSDP_MAX_SE = 0.2


def fsdp_fit(q, s, counts, window=(1.0, 2.3)) -> float:
    """FSDP position (1/A) from a Gaussian-plus-line fit to the binned S(q) in `window`, each bin
    weighted by its number of wave vectors: steadier than the maximum of a noisy curve. Raises
    RuntimeError when there is no peak: the centre at the window's edge, or placed with a
    standard error above FSDP_MAX_SE (see fsdp_fit_with_error)."""
    centre, se = fsdp_fit_with_error(q, s, counts, window)
    if not se <= FSDP_MAX_SE:
        raise RuntimeError(f"no FSDP inside {window} 1/A: the fit places its centre at {centre:.3f} "
                           f"+- {se:.3f}, no better than {FSDP_MAX_SE} 1/A")
    return centre


def fsdp_fit_with_error(q, s, counts, window=(1.0, 2.3)) -> tuple[float, float]:
    """(centre, standard error) of the peak in `window` (1/A), the error from the fit's
    covariance with the residual scatter as the noise; RuntimeError for a centre pinned to the
    window's edge."""
    from scipy.optimize import curve_fit

    q, s, counts = (np.asarray(v, float) for v in (q, s, counts))
    m = (q >= window[0]) & (q <= window[1])

    def model(x, height, centre, width, a, b):
        return height * np.exp(-0.5 * ((x - centre) / width) ** 2) + a + b * x

    guess = [float(s[m].max() - s[m].min()), float(q[m][np.argmax(s[m])]), 0.25, float(s[m].min()), 0.0]
    bounds = ([0, window[0], 0.05, -5, -5], [5, window[1], 1.0, 5, 5])
    params, cov = curve_fit(model, q[m], s[m], p0=guess, sigma=1 / np.sqrt(counts[m]), bounds=bounds,
                            maxfev=20000)
    step = float(np.median(np.diff(q[m])))
    if not window[0] + step < params[1] < window[1] - step:
        # a centre pinned to the window's edge is no peak (e.g. the weak FSDP of a borosilicate)
        raise RuntimeError(f"no FSDP inside {window} 1/A: the fit ran to the edge ({params[1]:.3f})")
    return float(params[1]), float(np.sqrt(cov[1, 1]))


def dell_bray_n4(R: float, K: float) -> float:
    """N4 of Na2O-B2O3-SiO2 glass by the Dell-Bray model (Dell, Bray, Xiao, J. Non-Cryst.
    Solids 58, 1 (1983)): N4 = R for R <= R_max = 1/2 + K/16; a plateau R_max up to
    R_d1 = 1/2 + K/4; then N4 = R_max (1 - (R - R_d1)/(2 + K)) for larger R."""
    r_max = 0.5 + K / 16.0
    r_d1 = 0.5 + K / 4.0
    if R <= r_max:
        return R
    if R <= r_d1:
        return r_max
    return max(0.0, r_max * (1 - (R - r_d1) / (2 + K)))


def density_g_cm3(frame: Frame, masses: dict[str, float]) -> float:
    grams = sum(masses[el] for el in frame.elements) / 6.02214076e23
    return grams / (np.prod(frame.box) * 1e-24)
