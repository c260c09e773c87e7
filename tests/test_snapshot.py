"""Notebook 05's Fig. 1 snapshot: a picture of the glass, by OVITO where a Vulkan driver is
installed (Debian's mesa-vulkan-drivers), by matplotlib otherwise."""

from collections import Counter
from pathlib import Path

import matplotlib.image as mpimg
import numpy as np
import pytest

from glasslib.pcf import campaign, snapshot

GLASS = campaign.V2_GLASSES / "NBS-BaO-10__seed1" / "final.data.gz"
# mesa's software driver (lavapipe) works on any machine; a GPU vendor's driver only with its GPU
HAS_VULKAN = any(Path("/usr/share/vulkan/icd.d").glob("lvp_icd.*.json"))


def _dominant_element(png: Path) -> tuple[str, float]:
    """The element whose colour most drawn pixels are nearest to, and the drawn fraction of the image."""
    pixels = mpimg.imread(png)[..., :3].reshape(-1, 3)
    ink = pixels[pixels.min(axis=1) < 0.9]                     # not the white background
    colours = {el: np.array([int(c[i:i + 2], 16) / 255 for i in (1, 3, 5)]) for el, c in snapshot.ELEMENT_COLOURS.items()}
    nearest = Counter(min(colours, key=lambda el: np.abs(p - colours[el]).sum()) for p in ink[::5])
    return nearest.most_common(1)[0][0], len(ink) / len(pixels)


@pytest.mark.parametrize("prefer_ovito", [True, False])
def test_the_snapshot_shows_an_oxide_glass(tmp_path, prefer_ovito):
    png = tmp_path / "snapshot.png"
    how = snapshot.render_snapshot(GLASS, png, prefer_ovito=prefer_ovito)
    assert how == ("ovito-tachyon" if prefer_ovito and HAS_VULKAN else "matplotlib")
    element, drawn = _dominant_element(png)
    assert element == "O"            # 58 % of the atoms of NBS-BaO-10 are oxygen
    assert 0.05 < drawn < 0.8, drawn


def test_a_crashing_renderer_costs_the_picture_not_the_caller(tmp_path, monkeypatch):
    """The OVITO process dies (here: a program that exits with an error): matplotlib draws instead."""
    import shutil
    import sys

    monkeypatch.setattr(sys, "executable", shutil.which("false"))
    png = tmp_path / "snapshot.png"
    assert snapshot.render_snapshot(GLASS, png) == "matplotlib"
    assert _dominant_element(png)[0] == "O"
