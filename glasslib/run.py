"""The notebook run context: one object that carries a notebook's profile, seed and folders.

    run = glasslib.notebook_run("06_rdf_autoencoder", profile, seed)
    ...
    run.save_fig(fig, "fig6a_ae_loss")        # shown inline by Jupyter, saved as PNG
    run.save_metrics({"mse_validation": ...})  # figures/<stem>/[full/]metrics.json

It seeds every generator once (`seeds.set_seed`), sets the PyTorch thread count, and knows
where this profile's figures and models go. Each figure gets a provenance entry with the data
files (SHA-256) read during this run and the glasslib version. Nothing is passed through
environment variables.
"""

from __future__ import annotations

import json
import os
import re
import time
from dataclasses import dataclass, field
from pathlib import Path

from . import __version__, paths, seeds

PROFILES = ("quick", "full")
DPI = 150


def check_profile(profile: str) -> str:
    if profile not in PROFILES:
        raise ValueError(f"profile {profile!r} is not known; choose one of {', '.join(PROFILES)}")
    return profile


@dataclass
class NotebookRun:
    """Profile, seed and output folders of one notebook run (see the module docstring)."""

    notebook: str
    profile: str = "quick"
    seed: int = 0
    threads: int | None = None
    variant: str | None = None     # e.g. "md-v1", "md-v1.seed-4" (reproduce.variant_name): kept apart from the default's outputs
    inputs: dict = field(default_factory=dict, init=False, repr=False)
    started: float = field(default_factory=time.perf_counter, init=False, repr=False)
    cpu_started: float = field(default_factory=lambda: _cpu_seconds(), init=False, repr=False)

    def __post_init__(self):
        check_profile(self.profile)
        if not self.notebook or "/" in self.notebook:
            raise ValueError(f"notebook {self.notebook!r} must be a notebook stem such as '06_rdf_autoencoder'")
        if self.variant is not None and not re.fullmatch(r"[A-Za-z0-9_-]+(\.[A-Za-z0-9_-]+)*", self.variant):
            raise ValueError(f"variant {self.variant!r} must be a plain name such as 'md-v1' or 'md-v1.seed-4' "
                             "(letters, digits, - and _, parts joined by dots)")
        self.seed = seeds.set_seed(self.seed)
        self.threads = seeds.set_threads(self.threads)
        paths.start_recording(self.inputs)

    @property
    def full(self) -> bool:
        return self.profile == "full"

    def pick(self, quick, full):
        """The quick- or full-profile value of a setting: run.pick(60, 800)."""
        return full if self.full else quick

    @property
    def figure_dir(self) -> Path:
        """figures/<stem>/ for the quick profile, figures/<stem>/full/ for the full one; a
        variant's outputs go one folder further down (figures/<stem>/[full/]<variant>/)."""
        folder = paths.figures_root() / self.notebook
        folder = folder / "full" if self.full else folder
        folder = folder / self.variant if self.variant else folder
        folder.mkdir(parents=True, exist_ok=True)
        return folder

    def model_dir(self, name: str) -> Path:
        """Where this run saves a trained model: data/models/<name> for the full profile
        (the shipped models), a git-ignored cache folder for the quick one; a variant's models
        are named <name>-<variant>."""
        root = paths.MODELS if self.full else paths.CACHE / "models"
        return root / (f"{name}-{self.variant}" if self.variant else name)

    def save_fig(self, fig, name: str, inputs=None) -> None:
        """Save `fig` as figures/<stem>/[full/]<name>.png and note its provenance.

        Returns nothing, so the cell shows the figure itself (inline backend), not a path.
        `inputs` (paths) replaces the default provenance: every data file read in this run.
        """
        if not name or "/" in name:
            raise ValueError(f"figure name {name!r} must be a plain file name")
        target = self.figure_dir / (name if name.endswith(".png") else f"{name}.png")
        fig.savefig(target, dpi=DPI, bbox_inches="tight", metadata={"Software": None})
        self.note_figure(target, inputs)

    def note_figure(self, target: Path, inputs=None) -> None:
        """Add a provenance entry for a figure file written in figure_dir by other means (e.g.
        a rendered snapshot): notebook, profile, seed, glasslib version and input hashes."""
        target = Path(target)
        used = ({paths.relative(p): paths.sha256_of(p) for p in inputs} if inputs is not None
                else dict(sorted(self.inputs.items())))
        record = {"notebook": f"notebooks/{self.notebook}.ipynb", "profile": self.profile,
                  "seed": self.seed, "glasslib": __version__, "inputs": used}
        index = target.parent / "provenance.json"
        entries = json.loads(index.read_text()) if index.exists() else {}
        entries[target.name] = record
        index.write_text(json.dumps(dict(sorted(entries.items())), indent=1) + "\n")

    def save_metrics(self, metrics: dict) -> None:
        """figures/<stem>/[full/]metrics.json with the profile and seed added. Keep wall-clock
        timings out: they change on every run and belong in printed output."""
        target = self.figure_dir / "metrics.json"
        body = {"profile": self.profile, "seed": self.seed, **metrics}
        target.write_text(json.dumps(body, indent=1, default=_jsonable) + "\n")

    def closing_line(self) -> str:
        """The last line of a notebook: the machine it ran on and the minutes since the run began
        (printed, never stored in metrics: it changes on every run)."""
        wall = (time.perf_counter() - self.started) / 60
        cpu = (_cpu_seconds() - self.cpu_started) / 60
        # the CPU minutes beside the wall minutes show a run that shared its cores with other work
        # (wall well above CPU for a one-thread run)
        return (f"{self.profile} profile, seed {self.seed}: {wall:.1f} minutes ({cpu:.1f} CPU-minutes of this kernel "
                f"and its finished child processes) on {seeds.available_cores()} of {os.cpu_count()} cores "
                f"({_cpu_name()}, {self.threads} thread(s) for the models)")

    def check_metrics(self) -> None:
        """Quick profile: compare this run's headline metrics with the seed study's expectations
        (tests/expected_quick_metrics.json: mean and tolerance per metric, from
        benchmarks/quick_seed_study.py). Raises AssertionError naming every metric outside its
        tolerance, so the notebook test (nbval) fails when a model breaks. The expectations hold
        for the default data only: a variant's run is not checked."""
        if self.full or self.variant or not paths.EXPECTED_QUICK.exists():
            return
        expected = json.loads(paths.EXPECTED_QUICK.read_text()).get(self.notebook, {})
        metrics = json.loads((self.figure_dir / "metrics.json").read_text())
        bad = []
        for path, want in expected.items():
            got = select(metrics, path)
            if abs(got - want["mean"]) > want["tol"]:
                bad.append(f"{path} = {got:.4g}, expected {want['mean']:.4g} ± {want['tol']:.2g} "
                           f"(seed study: SD {want['sd']:.2g} over {len(want['values'])} seeds)")
        assert not bad, "metrics outside their seed-study tolerance:\n" + "\n".join(bad)
        n = len(expected)
        print(f"{n} headline metric{'s' if n != 1 else ''} inside {'their' if n != 1 else 'its'} seed-study "
              f"tolerance{'s' if n != 1 else ''}")

    def load_metrics(self, notebook: str | None = None) -> dict:
        """The metrics file of this profile for `notebook` (default: this one)."""
        folder = paths.figures_root() / (notebook or self.notebook)
        path = (folder / "full" if self.full else folder) / "metrics.json"
        if not path.exists():
            raise FileNotFoundError(f"{path} is missing: run notebook {notebook or self.notebook} first")
        return json.loads(path.read_text())


def record_keys(path: str) -> dict[str, str]:
    """The key=value pairs that pick a record in a `select` path:
    "comparison/split=random&band=500-520&model=RF/auc" -> {"split": "random", "band": "500-520",
    "model": "RF"}; {} for a path of plain keys."""
    part = next((p for p in path.split("/") if "=" in p), "")
    return dict(item.split("=", 1) for item in part.split("&")) if part else {}


def select(metrics: dict, path: str) -> float:
    """The number at `path` in a metrics dict: keys joined by "/", and a list of records picked
    by "key=value&key=value", e.g. "comparison/split=random&band=500-600&model=RF/auc"."""
    node = metrics
    for part in path.split("/"):
        if isinstance(node, list):
            want = record_keys(part)
            hits = [r for r in node if all(str(r.get(k)) == v for k, v in want.items())]
            if len(hits) != 1:
                raise KeyError(f"{path}: {len(hits)} records match {part!r}")
            node = hits[0]
        else:
            node = node[part]
    return float(node)


def _jsonable(value):
    try:
        return float(value)
    except (TypeError, ValueError):
        return str(value)


def _cpu_seconds() -> float:
    """CPU seconds (user + system) of this process and the child processes it has waited for."""
    import resource

    return sum(u.ru_utime + u.ru_stime for u in (resource.getrusage(resource.RUSAGE_SELF),
                                                 resource.getrusage(resource.RUSAGE_CHILDREN)))


def _cpu_name() -> str:
    import platform

    try:
        with open("/proc/cpuinfo") as handle:
            for line in handle:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def notebook_run(notebook: str, profile: str = "quick", seed: int = 0, threads: int | None = None,
                 variant: str | None = None) -> NotebookRun:
    """Start a notebook's run context (the first code cell of every numbered notebook)."""
    return NotebookRun(notebook, profile, seed, threads, variant)
