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
MD_GLASSES = MD_DATA / "glasses"
MD_RDF_TABLE = MD_DATA / "rdf_table.csv.gz"
MD_V2 = DATA / "md-v2"                     # dataset v2: new potential, constant-pressure quench, replicas
MD_TABLES = {"v1": MD_RDF_TABLE, "v2": MD_V2 / "rdf_table.csv.gz"}
# the version notebooks 06-07 and load_rdf_dataset() read unless told otherwise; v1 (Pedone with the
# sodium-free B-O term, 50 K/ps at constant volume, no replicas) is kept as the "before"
MD_DEFAULT = "v2"
MODELS = DATA / "models"
# the quick profile's expected headline metrics (benchmarks/quick_seed_study.py); the study itself
# points GLASSLIB_EXPECTED at a file that does not exist, so the old expectations do not stop it
EXPECTED_QUICK = Path(os.environ.get("GLASSLIB_EXPECTED") or ROOT / "tests" / "expected_quick_metrics.json")
TG_STUDY = DATA / "tg-study" / "blocks.jsonl"   # the seeded comparison of paper 2 (resumable cache)


def figures_root() -> Path:
    """Where notebooks write figures and metrics: figures/, or GLASSLIB_FIGURES when set (the
    test command points it at a temporary folder so that a test run rewrites no tracked file)."""
    return Path(os.environ.get("GLASSLIB_FIGURES") or FIGURES)


def sha256_of(path: str | os.PathLike, chunk_bytes: int = 1 << 20) -> str:
    """SHA-256 hex digest of a file, read in chunks."""
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        while block := handle.read(chunk_bytes):
            digest.update(block)
    return digest.hexdigest()


def replace_atomically(write, target: str | os.PathLike) -> Path:
    """Call write(tmp) on a temporary file beside `target`, then rename it onto `target`, so a
    reader in another process (a second test worker, a notebook) sees the old file or the whole
    new one, never half of it."""
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    try:
        write(tmp)
        os.replace(tmp, target)
    finally:
        tmp.unlink(missing_ok=True)
    return target


def relative(path: str | os.PathLike) -> str:
    """A path as the project names it (relative to the repository root where it lies inside)."""
    path = Path(path).resolve()
    try:
        return str(path.relative_to(ROOT))
    except ValueError:
        return str(path)


_INPUTS: dict[str, str] = {}


def start_recording(registry: dict) -> None:
    """Make `registry` (a notebook run's) the place where `record_input` notes files."""
    global _INPUTS
    _INPUTS = registry


def record_input(path: str | os.PathLike) -> Path:
    """Note a data file that was read (with its SHA-256) in the current notebook run, for the
    figures' provenance. Loaders call it; it returns the path for convenience."""
    path = Path(path).resolve()
    _INPUTS[relative(path)] = sha256_of(path)
    return path

