"""The one seed helper: Python, NumPy, PyTorch and Keras/TensorFlow together."""

from __future__ import annotations

import os
import random
import sys

import numpy as np


def set_seed(seed: int = 0) -> int:
    """Seed every random generator the companion uses and ask for deterministic kernels.

    TensorFlow and PyTorch are seeded only if they are already imported or importable
    cheaply; the function never imports TensorFlow just to seed it.
    """
    if not isinstance(seed, (int, np.integer)) or seed < 0:
        raise ValueError(f"seed {seed!r} must be a non-negative integer")
    seed = int(seed)
    os.environ["PYTHONHASHSEED"] = str(seed)
    random.seed(seed)
    np.random.seed(seed)
    if "torch" in sys.modules:
        import torch

        torch.manual_seed(seed)
        torch.use_deterministic_algorithms(True, warn_only=True)
    if "keras" in sys.modules:
        import keras

        keras.utils.set_random_seed(seed)
    elif "tensorflow" in sys.modules:
        import tensorflow as tf

        tf.random.set_seed(seed)
    return seed


def torch_threads() -> int:
    """Set PyTorch's intra-op threads from GLASSLIB_TORCH_THREADS (default: every core).

    Use fewer threads than cores when something else keeps a core busy (e.g. the MD
    campaign): OpenMP threads that wait for a busy core slow training down ten-fold.
    """
    import torch

    threads = int(os.environ.get("GLASSLIB_TORCH_THREADS", os.cpu_count() or 1))
    if threads < 1:
        raise ValueError(f"GLASSLIB_TORCH_THREADS={threads} must be at least 1")
    torch.set_num_threads(threads)
    return threads
