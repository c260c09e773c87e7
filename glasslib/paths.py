"""One place for the project's folders, dataset files and their hashes."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "data"
FIGURES = ROOT / "figures"
NOTEBOOKS = ROOT / "notebooks"
CACHE = Path(os.environ.get("GLASSLIB_CACHE", ROOT / ".cache"))

SCIGLASS_CLEAN = DATA / "sciglass" / "sciglass_tg_clean.csv.gz"
SCIGLASS_PROVENANCE = DATA / "sciglass" / "PROVENANCE.json"
SCIGLASS_SPLITS = DATA / "sciglass" / "splits"
POTENTIALS = DATA / "potentials"
MD_DATA = DATA / "md"


def sha256_of(path: str | os.PathLike, chunk_bytes: int = 1 << 20) -> str:
    """SHA-256 hex digest of a file, read in chunks."""
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        while block := handle.read(chunk_bytes):
            digest.update(block)
    return digest.hexdigest()


_INPUTS: dict[str, str] = {}


def record_input(path: str | os.PathLike) -> Path:
    """Note a data file this process read (with its SHA-256), for the figures' provenance."""
    path = Path(path).resolve()
    try:
        name = str(path.relative_to(ROOT))
    except ValueError:
        name = str(path)
    _INPUTS[name] = sha256_of(path)
    return path


def recorded_inputs() -> dict[str, str]:
    """Data files read so far in this process, path (relative to the project) -> SHA-256."""
    return dict(sorted(_INPUTS.items()))

