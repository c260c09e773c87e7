"""Committing finished pieces of long computations (MD glasses, study blocks) as they arrive."""

from __future__ import annotations

import subprocess
import time

from . import paths


def commit_paths(targets, message: str, tries: int = 5) -> None:
    """git add + commit exactly `targets` (other staged work is left alone), retrying while
    another git process holds the index lock."""
    targets = [str(t) for t in targets]
    for attempt in range(tries):
        add = subprocess.run(["git", "add", *targets], cwd=paths.ROOT, capture_output=True, text=True)
        done = add.returncode == 0 and subprocess.run(
            ["git", "commit", "-q", "-m", message, "--", *targets], cwd=paths.ROOT,
            capture_output=True, text=True).returncode == 0
        if done:
            return
        time.sleep(2 + 3 * attempt)  # another git process holds the index lock
    print(f"warning: could not git-commit {', '.join(targets)} ({message})")
