"""``from xops import random as xr``: one counter-based generator (Threefry-2x32) that gives the
same numbers on numpy, jax, torch and tensorflow, JAX-style and stateless.

Keys are plain uint32 arrays of shape (2,) of any backend; every sampler returns arrays of its
key's backend. The scheme (key layout, split, fold_in, counters) is ``jax.random``'s with the
threefry implementation, so the raw bits equal jax's. See docs/random.md. This module only
re-exports; the implementation lives in the private modules.
"""
from __future__ import annotations

from ._distributions import (
    bernoulli,
    bits,
    categorical,
    choice,
    dropout,
    dropout_mask,
    gumbel,
    normal,
    permutation,
    randint,
    shuffle,
    truncated_normal,
    uniform,
)
from ._keys import fold_in, key, split
from ._sharded import sharded
from ._threefry import threefry2x32

__all__ = ["key", "split", "fold_in", "bits", "uniform", "normal", "truncated_normal",
           "bernoulli", "randint", "categorical", "gumbel", "permutation", "shuffle", "choice",
           "dropout", "dropout_mask", "threefry2x32", "sharded"]
