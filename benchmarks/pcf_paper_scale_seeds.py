"""Paper 1 at paper scale with more than one training seed: the spread behind the full-profile claims.

    python benchmarks/pcf_paper_scale_seeds.py train --seed 1 --model relu     # one model; resumable
    python benchmarks/pcf_paper_scale_seeds.py train --seed 1 --model relu --commit  # commits checkpoints
    python benchmarks/pcf_paper_scale_seeds.py train --seed 1 --model all      # the four in turn
    bash companion.sh reproduce --profile full --set seed=1 06 07              # then: loads them
    python benchmarks/pcf_paper_scale_seeds.py summary                         # mean ± SD over seeds
    python benchmarks/pcf_paper_scale_seeds.py train --md-dataset v1 --seed 1 --model all   # the "before"
    bash companion.sh reproduce --profile full --set md_dataset=v1 --set seed=1 06 07
    python benchmarks/pcf_paper_scale_seeds.py summary --md-dataset v1

`train` fits (or resumes) one of the four autoencoders that notebooks 06-07 train in the full
profile, exactly as the notebook would for that seed: the same folder (data/models/<name>-seed-S,
where `reproduce --set seed=S` looks; data/models/<name>-md-v1.seed-S for `--md-dataset v1`, where
`reproduce --set md_dataset=v1 --set seed=S` looks), the same images (06's replica-grouped random split, 07's
whole-glass split for that seed), the same settings, one thread. So two of them can run at once,
one per core, and the notebooks then only load them. Training writes a checkpoint every 25 epochs
to data/models/.checkpoints/<name>-seed-S/, so a stopped run resumes; each model takes hours on one
core (its params.json records fit_minutes), longer than a session on a fresh machine, so with
--commit the checkpoint is git-committed at most every half hour (and the finished model at the
end), and the next session continues where this one stopped.

`summary` prints each headline metric of the full-profile runs on the default dataset (seed 0 in
figures/<stem>/full/, seed S in figures/<stem>/full/seed-S/) as mean ± SD over the seeds present
(glasslib.report.p1_seed_spread: the same numbers as the README's row "P1 paper scale over training
seeds"; `glasslib report` also judges paper 1's claims over every seed found there); with
`--md-dataset v1`, those of the first MD dataset (figures/<stem>/full/md-v1/ and md-v1.seed-S/), the
"before" of the README's row "P1 before and after".
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import time
from pathlib import Path


ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from glasslib import notebook_run, paths, report, reproduce, vcs  # noqa: E402

EPOCHS = 800                 # the notebooks' full profile (run.pick(20, 800))
MODELS = {                   # --model: (notebook, model folder name, latent activation)
    "relu": ("06_rdf_autoencoder", "rdf_pipeline", "relu"),
    "linear": ("06_rdf_autoencoder", "rdf_autoencoder_linear", "linear"),
    "holdout-relu": ("07_rdf_forest_pipeline", "rdf_holdout_autoencoder", "relu"),
    "holdout-linear": ("07_rdf_forest_pipeline", "rdf_holdout_autoencoder_linear", "linear"),
}
CHECKPOINTS = ROOT / "data" / "models" / ".checkpoints"
COMMIT_SECONDS = 1800.0      # --commit: a checkpoint is committed at most this often (about 1 MB each)


def variant(seed: int, md_dataset: str) -> str:
    """The folder suffix `reproduce --profile full --set seed=S [--set md_dataset=v1]` gives that run."""
    settings = {"seed": seed} if md_dataset == paths.MD_DEFAULT else {"seed": seed, "md_dataset": md_dataset}
    return reproduce.variant_name(settings)


def checkpoint_dir(seed: int, model: str, md_dataset: str = paths.MD_DEFAULT) -> Path:
    """Where `train` keeps the training state of a model while it runs (committed with --commit)."""
    return CHECKPOINTS / f"{MODELS[model][1]}-{variant(seed, md_dataset)}"


def train(seed: int, model: str, commit: bool = False, md_dataset: str = paths.MD_DEFAULT) -> Path:
    """Fit or resume one model of the full profile for `seed` on MD dataset `md_dataset`; return its
    folder. With `commit`, the checkpoint is git-committed at most every COMMIT_SECONDS, and the
    finished model (with the checkpoint's removal) at the end."""
    from glasslib.pcf import autoencoder, dataset

    notebook, name, activation = MODELS[model]
    if seed == 0 and md_dataset != paths.MD_DEFAULT:
        raise ValueError(f"seed 0 on MD {md_dataset} is the committed run (reproduce --set md_dataset={md_dataset}); "
                         "train seeds 1 and up")
    run = notebook_run(notebook, "full", seed, threads=1, variant=variant(seed, md_dataset))
    folder = run.model_dir(name) / ("autoencoder" if name == "rdf_pipeline" else "")
    data = dataset.load_rdf_dataset(md_dataset)
    if notebook == "06_rdf_autoencoder":
        train_idx, test_idx = dataset.random_split(len(data), seed, groups=dataset.replica_groups(data.rows))
        images, validation = data.images[train_idx], data.images[test_idx]
    else:
        g_train_idx, _ = dataset.glass_split(data.rows, seed)
        images, validation = data.images[g_train_idx], None
    print(f"{model}, seed {seed}: {len(images)} training images -> {folder.relative_to(paths.ROOT)}", flush=True)
    ae = autoencoder.RDFAutoencoder(epochs=EPOCHS, seed=seed, latent_activation=activation)
    checkpoint, last_commit = checkpoint_dir(seed, model, md_dataset), time.monotonic()
    what = f"Paper-scale seed {seed}" + ("" if md_dataset == paths.MD_DEFAULT else f" on MD {md_dataset}")

    def commit_checkpoint(where: Path, epoch: int) -> None:
        nonlocal last_commit
        if commit and epoch < EPOCHS and time.monotonic() - last_commit > COMMIT_SECONDS:
            vcs.commit_paths([where], f"{what}: {model} autoencoder checkpoint at epoch {epoch}")
            last_commit = time.monotonic()

    ae.fit_or_resume(folder, images, validation, checkpoint=checkpoint, on_checkpoint=commit_checkpoint)
    if commit:
        vcs.commit_paths([run.model_dir(name), *([checkpoint] if _tracked(checkpoint) else [])],
                         f"{what}: {model} autoencoder trained ({EPOCHS} epochs)")
    return folder


def _tracked(path: Path) -> bool:
    """Whether git tracks anything under `path` (a removed checkpoint folder is then staged as removed)."""
    listed = subprocess.run(["git", "ls-files", "--", str(path)], cwd=ROOT, capture_output=True, text=True)
    return bool(listed.stdout.strip())


def summary(md_dataset: str = paths.MD_DEFAULT) -> list[dict]:
    """Mean, SD and values over the seeds of each headline metric on MD dataset `md_dataset`
    (report.p1_seed_spread, the README's row); printed as a table."""
    spread = report.p1_seed_spread(md_dataset)
    for r in spread:
        sd = "" if r["sd"] is None else f" ± {r['sd']:.{r['digits']}f}"
        values = ", ".join(f"{v:.{r['digits']}f}" for v in r["values"])
        print(f"{r['label']:32s} {r['mean']:.{r['digits']}f}{sd:10s}  seeds {r['seeds']}: {values}")
    return spread


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("train", help="fit or resume one paper-scale model for a seed")
    p.add_argument("--seed", type=int, required=True)
    p.add_argument("--model", default="all", help=f"one of {', '.join(MODELS)} or all")
    p.add_argument("--commit", action="store_true", help="git-commit the checkpoint now and then and the finished model")
    s = sub.add_parser("summary", help="mean ± SD over the seeds of the full-profile metrics")
    for q in (p, s):
        q.add_argument("--md-dataset", default=paths.MD_DEFAULT, choices=list(paths.MD_TABLES),
                       help=f"MD dataset version (default {paths.MD_DEFAULT})")
    args = parser.parse_args()
    if args.command == "summary":
        summary(args.md_dataset)
        return
    if args.model != "all" and args.model not in MODELS:
        parser.error(f"--model {args.model!r} is not known; choose one of {', '.join(MODELS)} or all")
    for model in MODELS if args.model == "all" else [args.model]:
        train(args.seed, model, args.commit, args.md_dataset)


if __name__ == "__main__":
    main()
