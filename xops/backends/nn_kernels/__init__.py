"""Native kernels of ``xops.nn`` (convolution, pooling, attention, CTC), one module per backend.

They are not part of the ``xops.numpy`` kernel tables: ``xops.nn`` imports the module of an
array's backend lazily with :func:`get`. Every kernel receives normalised arguments: a float
array, tuples of per-spatial-dimension ints, explicit ``(lo, hi)`` padding pairs (already
resolved from ``"same"``/``"valid"``) and ``cl`` (True: channels-last layout ``(N, *S, C)``,
False: channels-first ``(N, C, *S)``). Kernels (conv, conv_transpose) take weights in the
channels-last kernel layout ``(*K, I, O)`` and permute them where the framework wants another.
"""
from __future__ import annotations

import sys
from types import ModuleType


def get(name: str) -> ModuleType:
    """The kernel module of the backend called ``name`` (imported on first use with plain
    import statements, which torch.compile can trace, unlike ``importlib``)."""
    mod = sys.modules.get(f"{__name__}.{name}")
    if mod is not None:
        return mod
    if name == "numpy":
        from . import numpy as mod
    elif name == "jax":
        from . import jax as mod
    elif name == "torch":
        from . import torch as mod
    elif name == "tensorflow":
        from . import tensorflow as mod
    else:
        raise ValueError(f"xops.nn: no kernels for backend {name!r}")
    return mod
