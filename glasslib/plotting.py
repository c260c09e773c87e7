"""The one figure-saving helper and a few shared plotting conventions."""

from __future__ import annotations

import os
from pathlib import Path

from . import paths

DPI = 150


def figure_dir(notebook_stem: str) -> Path:
    """figures/<notebook-stem>/ (quick profile) or figures/<notebook-stem>/full/ (full
    profile, as set by `reproduce.check_profile`), created if needed; the quick-profile
    figures are the ones CI remakes, the full ones are the paper-scale results."""
    folder = paths.FIGURES / notebook_stem
    if os.environ.get("GLASSLIB_PROFILE") == "full":
        folder = folder / "full"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def save_fig(fig, name: str, notebook_stem: str | None = None) -> Path:
    """Save a matplotlib figure as PNG at a fixed DPI into figures/<notebook-stem>/.

    The stem defaults to the GLASSLIB_NOTEBOOK environment variable (set by the
    reproduce command) and otherwise to "scratch".
    """
    stem = notebook_stem or os.environ.get("GLASSLIB_NOTEBOOK", "scratch")
    if not name or "/" in name:
        raise ValueError(f"figure name {name!r} must be a plain file name")
    target = figure_dir(stem) / (name if name.endswith(".png") else f"{name}.png")
    fig.savefig(target, dpi=DPI, bbox_inches="tight")
    return target
