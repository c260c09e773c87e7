"""Benchmark of issue 4's speed targets: seconds per training epoch (~28k rows), screening
candidates per second, and peak memory of the screen vs the candidate count.

    python benchmarks/deepglassnet_speed.py [--threads 2] [--epochs 5]

Prints one line per measurement; numbers from one run on one machine are comparable.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import time


def train_epochs(threads: int, epochs: int) -> dict:
    import torch

    from glasslib.tg.model import DeepGlassNetClassifier
    from glasslib.tg.dataset import TgProblem

    torch.set_num_threads(threads)
    p = TgProblem((500, 600))
    model = DeepGlassNetClassifier(epochs=1, seed=0).fit(p.X_train, p.y_train)  # warm-up
    model = DeepGlassNetClassifier(epochs=epochs, seed=0)
    start = time.perf_counter()
    model.fit(p.X_train, p.y_train)
    per_epoch = (time.perf_counter() - start) / epochs
    return {"rows": len(p.y_train), "s_per_epoch": per_epoch, "threads": threads}


def screen_once(components: int, threads: int) -> dict:
    """Run in a fresh process so ru_maxrss is this screen's peak."""
    import torch

    from glasslib.tg.screening import PAPER_COMPONENTS, SimplexGrid, model_for_band, screen
    from glasslib.tg.sciglass import COMPONENTS

    torch.set_num_threads(threads)
    comps = list(PAPER_COMPONENTS) + [c for c in COMPONENTS if c not in PAPER_COMPONENTS]
    grid = SimplexGrid(comps[:components], 10)
    model = model_for_band((500, 600))
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    start = time.perf_counter()
    _, n = screen(model, grid, top=5)
    seconds = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return {"components": components, "candidates": n, "seconds": seconds, "candidates_per_s": n / seconds,
            "peak_rss_MiB": peak / 1024, "rss_before_screen_MiB": before / 1024}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--epochs", type=int, default=5)
    parser.add_argument("--screen-only", type=int, default=None, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.screen_only:
        print(json.dumps(screen_once(args.screen_only, args.threads)))
        return
    t = train_epochs(args.threads, args.epochs)
    print(f"training: {t['s_per_epoch']:.3f} s/epoch over {t['rows']} rows ({t['threads']} threads; target <= 0.3 s)")
    for components in (8, 12, 13):
        out = subprocess.run([sys.executable, __file__, "--screen-only", str(components), "--threads", str(args.threads)],
                             capture_output=True, text=True, check=True)
        r = json.loads(out.stdout.strip().splitlines()[-1])
        print(f"screen: {r['candidates']:>9,d} candidates ({components} components) in {r['seconds']:.2f} s = "
              f"{r['candidates_per_s']:,.0f}/s; peak RSS {r['peak_rss_MiB']:.0f} MiB "
              f"(before screening {r['rss_before_screen_MiB']:.0f} MiB)")


if __name__ == "__main__":
    main()
