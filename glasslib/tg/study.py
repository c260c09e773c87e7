"""Paper 2's claims under seeds and intervals: the seeded comparison of every model on every
(split, band), with the paired bootstrap and the label-noise ceiling beside it.

One *block* is one (split, band): every model is trained with each seed and scored on the
split's validation rows. The block then stores, per model and seed, the ROC-AUC (Eq. 13),
the PR-AUC and Precision@100, and

- the **paired bootstrap** of DeepGlassNet minus the best baseline (and minus each ablation):
  validation rows are resampled with replacement (the same rows for both models: paired) and
  the seeds of each model are resampled too, so the 95 % interval holds both the finite
  validation set and the seed-to-seed spread; the verdict is "better" / "worse" only when the
  interval excludes zero, else "not distinguishable";
- the **replicate-oracle ceiling** (`ceiling.replicate_oracle`) on the same validation rows.

The regression route (Tg regressors; one model per split and seed serves every band) ranks
by -|predicted Tg - band centre|. For a Gaussian predictive distribution of constant width,
P(a <= Tg < b) is a decreasing function of that distance, so both give the same ranking and
AUC; the distance needs no width estimate. The calibrated probability for the screen comes
from `trust` (split-conformal), not from here.

Blocks are appended to a JSONL cache as they finish (written whole), so a stopped study
resumes; blocks made with other settings are not reused.
"""

from __future__ import annotations

import json
import os
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

import numpy as np

from ..jsonl import append_record, read_records
from .baselines import MODERN_BASELINES, PAPER_BASELINES, baseline_scores, fit_baseline, make_regressor
from .ceiling import replicate_oracle, twin_share
from .dataset import SPLITS, TgProblem, check_band, load_split
from .metrics import auc, pr_auc, precision_at_k

WIDE_BANDS = tuple((a, a + 100) for a in range(300, 800, 100))
NARROW_BANDS = tuple((a, a + w) for w in (50, 20, 10) for a in range(300, 800, 100))
ABLATIONS = {"w/o Iter": {"interaction": False}, "w/o Augmentation": {"augment": False}}
REGRESSORS = ("RF-reg", "HGB-reg", "MLP-reg")
K = 100


@dataclass(frozen=True)
class StudyPlan:
    """What the study runs; the cache reuses a block only under the same plan settings."""

    splits: tuple = SPLITS
    wide_bands: tuple = WIDE_BANDS
    narrow_bands: tuple = NARROW_BANDS
    wide_seeds: tuple = (0, 1, 2, 3, 4)
    narrow_seeds: tuple = (0, 1, 2)
    ablation_splits: tuple = ("random", "publication")
    ablation_widths: tuple = (100,)      # Fig. 10's ablations on the 100 °C bands (5 seeds each)
    dgn: dict = field(default_factory=lambda: dict(epochs=60, embed_dim=8, hidden_dim=64, out_dim=16,
                                                   batch_size=512))
    classifiers: tuple = PAPER_BASELINES + MODERN_BASELINES
    regressors: tuple = REGRESSORS
    svm_max_train: int = 10000
    n_boot: int = 1000

    def blocks(self) -> list[tuple[str, tuple[float, float], tuple]]:
        """(split, band, seeds), the 100 °C bands of every split first, then the narrow ones."""
        wide = [(s, check_band(b), self.wide_seeds) for s in self.splits for b in self.wide_bands]
        narrow = [(s, check_band(b), self.narrow_seeds) for s in self.splits for b in self.narrow_bands]
        return wide + narrow

    def settings(self, split: str, band, seeds) -> dict:
        keep = {k: v for k, v in asdict(self).items() if k not in ("splits", "wide_bands", "narrow_bands",
                                                                     "wide_seeds", "narrow_seeds", "ablation_widths")}
        return json.loads(json.dumps({**keep, "ablate": self.ablates(split, band), "seeds": list(seeds)}))

    def ablates(self, split: str, band) -> bool:
        """Whether the block also trains the two ablated DeepGlassNets."""
        return split in self.ablation_splits and (band[1] - band[0]) in self.ablation_widths


def band_name(band) -> str:
    return f"{band[0]:g}-{band[1]:g}"


def _metrics(scores, y) -> dict:
    return {"auc": auc(scores, y), "pr_auc": pr_auc(scores, y), f"precision@{K}": precision_at_k(scores, y, K)}


def regression_scores(predicted_tg, band) -> np.ndarray:
    """Rank for one band from a Tg regressor: -|predicted Tg - band centre| (see module doc)."""
    a, b = check_band(band)
    return -np.abs(np.asarray(predicted_tg, float) - 0.5 * (a + b))


class _RegressionCache:
    """Validation predictions of each regressor per (split, seed): fitted once, used by all bands.
    With `folder`, they are also kept on disk (keyed by the SciGlass table's hash), so a study
    that is stopped and started again, or runs in several processes, fits each regressor once."""

    def __init__(self, folder: str | os.PathLike | None = None):
        self.predictions, self.seconds = {}, {}
        self.folder = Path(folder) if folder else None

    def get(self, name: str, problem: TgProblem, seed: int) -> np.ndarray:
        key = (name, problem.split, seed)
        if key in self.predictions:
            return self.predictions[key]
        file = None
        if self.folder is not None:
            from .. import paths

            table = paths.sha256_of(paths.SCIGLASS_CLEAN)[:16]
            file = self.folder / f"{name}_{problem.split}_seed{seed}_{table}.npz"
            if file.exists():
                saved = np.load(file)
                if len(saved["predicted"]) == len(problem.y_val):
                    self.predictions[key], self.seconds[key] = saved["predicted"], float(saved["seconds"])
                    return self.predictions[key]
        start = time.perf_counter()
        model = make_regressor(name, seed).fit(problem.X_train, problem.tg_train)
        self.predictions[key] = model.predict(problem.X_val)
        self.seconds[key] = time.perf_counter() - start
        if file is not None:
            from .. import paths

            def write(tmp):
                with open(tmp, "wb") as handle:
                    np.savez(handle, predicted=self.predictions[key], seconds=self.seconds[key])

            paths.replace_atomically(write, file)
        return self.predictions[key]


def paired_bootstrap(scores_a: list, scores_b: list, y, n_boot: int = 1000, seed: int = 0) -> dict:
    """95 % interval of mean-over-seeds(metric of A) - mean-over-seeds(metric of B), for the
    ROC-AUC and Precision@K, resampling the validation rows (shared by A and B) and each
    model's seeds. Returns {metric: {"diff", "lo", "hi", "verdict"}}."""
    y = np.asarray(y)
    rng = np.random.default_rng(seed)
    n = len(y)
    point = {"auc": np.mean([auc(s, y) for s in scores_a]) - np.mean([auc(s, y) for s in scores_b]),
             f"precision@{K}": (np.mean([precision_at_k(s, y, K) for s in scores_a])
                                - np.mean([precision_at_k(s, y, K) for s in scores_b]))}
    draws = {m: [] for m in point}
    for _ in range(n_boot):
        rows = rng.integers(0, n, n)
        yb = y[rows]
        if yb.min() == yb.max():
            continue
        sa = [scores_a[i] for i in rng.integers(0, len(scores_a), len(scores_a))]
        sb = [scores_b[i] for i in rng.integers(0, len(scores_b), len(scores_b))]
        draws["auc"].append(np.mean([auc(s[rows], yb) for s in sa]) - np.mean([auc(s[rows], yb) for s in sb]))
        draws[f"precision@{K}"].append(np.mean([precision_at_k(s[rows], yb, K) for s in sa])
                                       - np.mean([precision_at_k(s[rows], yb, K) for s in sb]))
    out = {}
    for metric, values in draws.items():
        lo, hi = np.percentile(values, [2.5, 97.5])
        verdict = "better" if lo > 0 else "worse" if hi < 0 else "not distinguishable"
        out[metric] = {"diff": float(point[metric]), "lo": float(lo), "hi": float(hi), "verdict": verdict}
    return out


def run_block(split: str, band, seeds, plan: StudyPlan, table, regressions: _RegressionCache | None = None) -> dict:
    """Every model x seed on one (split, band); see the module docstring for what is stored."""
    from .model import DeepGlassNetClassifier

    regressions = regressions or _RegressionCache()
    problem = TgProblem(band, split, 0, table=table)     # the split is fixed; seeds vary the training
    y = problem.y_val
    scores: dict[str, list[np.ndarray]] = {}
    seconds: dict[str, float] = {}
    variants = {"DeepGlassNet": {}, **(ABLATIONS if plan.ablates(split, problem.band) else {})}
    for seed in seeds:
        for name, change in variants.items():
            start = time.perf_counter()
            model = DeepGlassNetClassifier(seed=seed, band=problem.band, n_threads=1, **{**plan.dgn, **change})
            model.fit(problem.X_train, problem.y_train)
            scores.setdefault(name, []).append(model.decision_function(problem.X_val))
            seconds[name] = seconds.get(name, 0.0) + time.perf_counter() - start
        for name in plan.classifiers:
            start = time.perf_counter()
            cap = plan.svm_max_train if name == "SVM" else None
            model = fit_baseline(name, problem.X_train, problem.y_train, seed, max_train=cap)
            scores.setdefault(name, []).append(baseline_scores(model, problem.X_val))
            seconds[name] = seconds.get(name, 0.0) + time.perf_counter() - start
        for name in plan.regressors:
            predicted = regressions.get(name, problem, seed)
            scores.setdefault(name, []).append(regression_scores(predicted, problem.band))
            seconds[name] = seconds.get(name, 0.0) + regressions.seconds[(name, split, seed)]
    per_model = {name: {m: [v[m] for v in (_metrics(s, y) for s in runs)] for m in ("auc", "pr_auc", f"precision@{K}")}
                 for name, runs in scores.items()}
    def best_of(names):
        return max(names, key=lambda name: np.mean(per_model[name]["auc"])) if names else None

    peers = list(plan.classifiers) + list(plan.regressors)
    best = best_of(peers)
    paired = {f"DeepGlassNet - {best}": paired_bootstrap(scores["DeepGlassNet"], scores[best], y, plan.n_boot)}
    # the paper's case for classification over regression: the best classifier vs the best regressor
    best_reg, best_clf = best_of(list(plan.regressors)), best_of(["DeepGlassNet", *plan.classifiers])
    if best_reg is not None and f"{best_clf} - {best_reg}" not in paired and best_clf != best_reg:
        paired[f"{best_clf} - {best_reg}"] = paired_bootstrap(scores[best_clf], scores[best_reg], y, plan.n_boot)
    for name in variants:
        if name != "DeepGlassNet":
            paired[f"DeepGlassNet - {name}"] = paired_bootstrap(scores["DeepGlassNet"], scores[name], y, plan.n_boot)
    train_idx, val_idx = load_split(split, 0, n_rows=len(table))
    return {"split": split, "band": band_name(problem.band), "width": problem.band[1] - problem.band[0],
            "seeds": list(seeds), "n_train": int(len(problem.y_train)), "n_val": int(len(y)),
            "positives_train": int(problem.y_train.sum()), "positives_val": int(y.sum()),
            "models": per_model, "best_baseline": best, "best_classifier": best_clf, "best_regressor": best_reg,
            "paired": paired,
            "ceiling": replicate_oracle(table, val_idx, problem.band),
            "twin_share": twin_share(table, train_idx, val_idx),
            "fit_seconds": {k: round(v / len(seeds), 2) for k, v in seconds.items()}}


def run_study(plan: StudyPlan = StudyPlan(), cache: str | os.PathLike | None = None,
              progress: bool = True, on_block=None, missing: str = "run", workers: int = 1,
              shard: tuple[int, int] = (0, 1)) -> list[dict]:
    """Every block of `plan` (cached ones read back); `on_block(record)` after each new one.
    A block whose split has no positive rows on one side (the extrapolation split below its
    cut) is recorded as skipped with the reason. missing="skip" returns the cached blocks only
    (a reading copy made while the study is still running). `workers` > 1 runs blocks in that
    many processes of one thread each (a machine with many cores); with a cache, the regressors'
    predictions are kept on disk too, so each is fitted once however often the study restarts.
    shard=(i, n) runs only the blocks whose place in plan.blocks() is i modulo n, so n processes
    (or machines) sharing one cache file never run a block twice."""
    if missing not in ("run", "skip"):
        raise ValueError(f"missing={missing!r} is not known; choose 'run' or 'skip'")
    if isinstance(workers, bool) or int(workers) != workers or workers < 1:
        raise ValueError(f"workers={workers!r} must be a positive whole number of processes")
    index, n_shards = shard
    if not (isinstance(index, int) and isinstance(n_shards, int) and 0 <= index < n_shards):
        raise ValueError(f"shard={shard!r} must be (i, n) with 0 <= i < n")
    from tqdm.auto import tqdm

    from .. import paths

    done = _read_cache(Path(cache)) if cache else {}
    blocks = plan.blocks()
    todo = [b for k, b in enumerate(blocks)
            if _key(b[0], b[1], plan.settings(*b)) not in done and k % n_shards == index]
    if cache:
        cached = sum(_key(s, b, plan.settings(s, b, seeds)) in done for s, b, seeds in blocks)
        print(f"{cached} of {len(blocks)} (split, band) blocks read from {Path(cache).name}; {len(todo)} to run"
              + (f" (shard {index}/{n_shards})" if n_shards > 1 else ""))
    if missing == "skip":
        return [done[_key(s, b, plan.settings(s, b, seeds))] for s, b, seeds in blocks
                if _key(s, b, plan.settings(s, b, seeds)) in done]
    regression_dir = paths.CACHE / "tg-study" if cache else None
    bar = tqdm(total=len(todo), desc="blocks", unit="block", disable=not progress)

    def finish(record):
        done[(record["split"], record["band"], json.dumps(record["settings"], sort_keys=True))] = record
        if cache:
            append_record(cache, record)
        if on_block:
            on_block(record)
        bar.update(1)

    if todo and int(workers) == 1:
        from .sciglass import load_clean

        table, regressions = load_clean(), _RegressionCache(regression_dir)
        for block in todo:
            finish(_block_record(block, plan, table, regressions))
    elif todo:
        import multiprocessing
        from concurrent.futures import ProcessPoolExecutor, as_completed

        with ProcessPoolExecutor(int(workers), mp_context=multiprocessing.get_context("spawn"),
                                 initializer=_worker_start, initargs=(str(regression_dir or ""),)) as pool:
            futures = [pool.submit(_worker_block, block, plan) for block in todo]
            for future in as_completed(futures):
                finish(future.result())
    bar.close()
    keys = [_key(s, b, plan.settings(s, b, seeds)) for s, b, seeds in blocks]
    return [done[k] for k in keys if k in done]      # a shard's blocks and the ones already cached


def _block_record(block, plan: StudyPlan, table, regressions) -> dict:
    split, band, seeds = block
    try:
        record = run_block(split, band, seeds, plan, table, regressions)
    except ValueError as err:           # no positives on one side of this split
        record = {"split": split, "band": band_name(band), "width": band[1] - band[0], "skipped": str(err)}
    record["settings"] = plan.settings(split, band, seeds)
    return record


_WORKER = {}


def _worker_start(regression_dir: str) -> None:
    from .. import seeds
    from .sciglass import load_clean

    seeds.set_threads(1)          # PyTorch, OpenMP and BLAS: one thread per process
    _WORKER["table"] = load_clean()
    _WORKER["regressions"] = _RegressionCache(regression_dir or None)


def _worker_block(block, plan: StudyPlan) -> dict:
    return _block_record(block, plan, _WORKER["table"], _WORKER["regressions"])


def _key(split, band, settings) -> tuple:
    return split, band_name(band), json.dumps(settings, sort_keys=True)


def _read_cache(cache: Path) -> dict:
    return {(r["split"], r["band"], json.dumps(r["settings"], sort_keys=True)): r for r in read_records(cache)}


def summary_table(records: list[dict]):
    """One row per (split, band, model): mean and SD over seeds of each metric."""
    import pandas as pd

    rows = []
    for r in records:
        if "skipped" in r:
            continue
        for model, metrics in r["models"].items():
            row = {"split": r["split"], "band": r["band"], "width": r["width"], "model": model, "seeds": len(r["seeds"])}
            for metric, values in metrics.items():
                row[metric] = float(np.mean(values))
                row[f"{metric}_sd"] = float(np.std(values, ddof=1)) if len(values) > 1 else float("nan")
            rows.append(row)
    return pd.DataFrame(rows)
