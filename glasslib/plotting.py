"""The one figure-saving helper and a few shared plotting conventions."""

from __future__ import annotations

import json
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
    _write_provenance(target, stem)
    return target


def _write_provenance(figure: Path, stem: str) -> None:
    """figures/<stem>/provenance.json: for each figure its notebook, profile and the data
    files (with SHA-256) read by this process before it was saved. No commit id: it would
    change the file on every rerun (nbval included) while the figure stays the same."""
    record = {"notebook": f"notebooks/{stem}.ipynb", "profile": os.environ.get("GLASSLIB_PROFILE", "quick"),
              "inputs": paths.recorded_inputs()}
    index = figure.parent / "provenance.json"
    entries = json.loads(index.read_text()) if index.exists() else {}
    entries[figure.name] = record
    index.write_text(json.dumps(dict(sorted(entries.items())), indent=1) + "\n")
