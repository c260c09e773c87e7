"""The one seed helper: Python, NumPy, PyTorch and Keras/TensorFlow together."""

from __future__ import annotations

import os
import random
import sys

import numpy as np


def set_seed(seed: int = 0) -> int:
    """Seed the global generators a notebook's own code draws from: Python's, NumPy's and,
    where already loaded, PyTorch's and Keras/TensorFlow's (never imported just to seed them).
    The estimators draw from their own `seed` parameters and leave these alone."""
    if not isinstance(seed, (int, np.integer)) or seed < 0:
        raise ValueError(f"seed {seed!r} must be a non-negative integer")
    seed = int(seed)
    random.seed(seed)
    np.random.seed(seed)
    if "torch" in sys.modules:
        sys.modules["torch"].manual_seed(seed)
    if "keras" in sys.modules:
        import keras

        keras.utils.set_random_seed(seed)
    elif "tensorflow" in sys.modules:
        import tensorflow as tf

        tf.random.set_seed(seed)
    return seed


def available_cores() -> int:
    """Cores this process may run on (its CPU affinity, e.g. under taskset), else the machine's."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:       # not on Linux
        return os.cpu_count() or 1


def set_threads(threads: int | None = None) -> int:
    """Use `threads` CPU threads (default: every core this process may use) in PyTorch and return the number.

    The thread count changes the order of floating-point sums, and a few epochs of training
    amplify that into visibly different scores, so every run sets it. Give fewer threads than
    cores when something else keeps a core busy (an MD campaign): OpenMP threads that wait for
    a busy core slow training down ten-fold."""
    threads = int(threads or available_cores())
    if threads < 1:
        raise ValueError(f"threads {threads} must be at least 1")
    # OpenMP and BLAS pools too (scikit-learn's gradient boosting, numpy): a pool wider than the
    # free cores spins while it waits, the same ten-fold slowdown as in PyTorch
    from threadpoolctl import threadpool_limits

    threadpool_limits(threads)
    try:
        import torch
    except ImportError:        # the paper-1 notebooks run without PyTorch
        return threads
    torch.set_num_threads(threads)
    return threads
