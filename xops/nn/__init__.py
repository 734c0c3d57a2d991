"""``xops.nn``: neural-network building blocks written once with ``xops.numpy`` ops, so they
run on numpy, jax, torch and tensorflow arrays and compose with each framework's autodiff and
jit. ``xops.nn.functional`` holds the stateless functions. This module only re-exports."""
from __future__ import annotations

from . import functional

__all__ = ["functional"]
