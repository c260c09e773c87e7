"""A picture of one glass: its final MD configuration rendered and coloured by element."""

from __future__ import annotations

import gzip
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import numpy as np

from .. import paths
from .compositions import ATOMIC_MASS

ELEMENT_COLOURS = {"Si": "#f0c05a", "B": "#ff8c8c", "O": "#d62728", "Na": "#8c6bd6", "Ba": "#2ca02c",
                   "Ti": "#7f7f7f", "Zn": "#1f77b4"}


def render_snapshot(structure_file: str | os.PathLike, png: str | os.PathLike,
                    size=(640, 480), prefer_ovito: bool = True) -> str:
    """Render a LAMMPS data file (plain or .gz) coloured by element into `png`.

    Uses OVITO's Tachyon renderer where a Vulkan driver is available (e.g. Debian's
    mesa-vulkan-drivers), otherwise a matplotlib 3-D scatter. Returns which one was used.
    OVITO renders in a fresh Python process: in a process that has already loaded TensorFlow or
    PyTorch, mesa's software driver can crash it (a segfault, not an exception), and a crashed
    renderer must cost a picture, not the caller's kernel.
    """
    structure_file = paths.record_input(structure_file)
    with tempfile.TemporaryDirectory() as tmp:
        plain = Path(tmp) / "structure.data"
        opener = gzip.open if structure_file.suffix == ".gz" else open
        with opener(structure_file, "rb") as src, open(plain, "wb") as dst:
            shutil.copyfileobj(src, dst)
        if prefer_ovito:
            try:
                done = subprocess.run([sys.executable, "-m", __name__, str(plain), str(png), str(size[0]),
                                       str(size[1])], capture_output=True, timeout=300)
                if done.returncode == 0:
                    return "ovito-tachyon"
            except subprocess.TimeoutExpired:     # a renderer stuck for 5 min: draw it the other way
                pass
        _render_matplotlib(plain, png, size, _data_file_elements(plain))
        return "matplotlib"


def _data_file_elements(path: Path) -> list[str]:
    """Element of each atom type, from the masses written by LAMMPS' write_data."""
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
    from ovito.qt_compat import QtCore
    from ovito.vis import ColorLegendOverlay, TachyonRenderer, Viewport

    Qt = QtCore.Qt

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
        vp.overlays.append(ColorLegendOverlay(property="particles/Particle Type", title="element", pipeline=pipeline,
                                              use_type_shapes=True, orientation=Qt.Orientation.Vertical,
                                              alignment=Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop))
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


if __name__ == "__main__":           # render_snapshot's OVITO process: data file, png, width, height
    _path, _png, _width, _height = sys.argv[1:]
    _render_ovito(Path(_path), _png, (int(_width), int(_height)), _data_file_elements(Path(_path)))
