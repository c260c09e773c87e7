"""Partial radial distribution functions with OVITO, averaged over production frames."""

from __future__ import annotations

import os
from pathlib import Path

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


ELEMENT_COLOURS = {"Si": "#f0c05a", "B": "#ff8c8c", "O": "#d62728", "Na": "#8c6bd6", "Ba": "#2ca02c",
                   "Ti": "#7f7f7f", "Zn": "#1f77b4"}


def render_snapshot(structure_file: str | os.PathLike, png: str | os.PathLike,
                    size=(640, 480), prefer_ovito: bool = True) -> str:
    """Render a LAMMPS data file (plain or .gz) coloured by element into `png`.

    Uses OVITO's Tachyon renderer where a Vulkan driver is available (e.g. Debian's
    mesa-vulkan-drivers), otherwise a matplotlib 3-D scatter. Returns which one was used.
    """
    import gzip
    import shutil
    import tempfile

    structure_file = Path(structure_file)
    with tempfile.TemporaryDirectory() as tmp:
        plain = Path(tmp) / "structure.data"
        opener = gzip.open if structure_file.suffix == ".gz" else open
        with opener(structure_file, "rb") as src, open(plain, "wb") as dst:
            shutil.copyfileobj(src, dst)
        elements = _data_file_elements(plain)
        if prefer_ovito:
            try:
                _render_ovito(plain, png, size, elements)
                return "ovito-tachyon"
            except Exception:  # no Vulkan driver: fall back
                pass
        _render_matplotlib(plain, png, size, elements)
        return "matplotlib"


def _data_file_elements(path: Path) -> list[str]:
    """Element of each atom type, from the masses written by LAMMPS' write_data."""
    from .compositions import ATOMIC_MASS

    text = path.read_text().split("Masses", 1)[1].split("Atoms", 1)[0]
    elements = []
    for line in text.strip().splitlines():
        parts = line.split()
        if len(parts) >= 2:
            mass = float(parts[1])
            elements.append(min(ATOMIC_MASS, key=lambda el: abs(ATOMIC_MASS[el] - mass)))
    return elements


def _render_ovito(path, png, size, elements):
    from ovito.io import import_file
    from ovito.vis import TachyonRenderer, Viewport

    pipeline = import_file(str(path), atom_style="charge")

    def name_types(frame, data):
        types = data.particles_.particle_types_
        for t in types.types_:
            el = elements[t.id - 1]
            t.name = el
            t.color = tuple(int(ELEMENT_COLOURS[el][i:i + 2], 16) / 255 for i in (1, 3, 5))
            t.radius = 0.5 if el == "O" else 0.4

    pipeline.modifiers.append(name_types)
    pipeline.add_to_scene()
    try:
        vp = Viewport(type=Viewport.Type.Perspective, camera_dir=(-1, -0.6, -0.5))
        vp.zoom_all()
        vp.render_image(size=size, filename=str(png), renderer=TachyonRenderer())
    finally:
        pipeline.remove_from_scene()


def _render_matplotlib(path, png, size, elements):
    import matplotlib.pyplot as plt

    lines = path.read_text().split("Atoms", 1)[1].strip().splitlines()
    rows = np.array([line.split()[:6] for line in lines[1:] if line.strip() and len(line.split()) >= 6],
                    float)
    types, xyz = rows[:, 1].astype(int), rows[:, 3:6]
    fig = plt.figure(figsize=(size[0] / 100, size[1] / 100))
    ax = fig.add_subplot(projection="3d")
    for t in np.unique(types):
        el = elements[t - 1]
        sel = types == t
        ax.scatter(*xyz[sel].T, s=18 if el == "O" else 14, c=ELEMENT_COLOURS[el], label=el, depthshade=True)
    ax.set_axis_off()
    ax.legend(loc="upper left", fontsize=8)
    fig.savefig(png, dpi=100, bbox_inches="tight")
    plt.close(fig)
