"""Threefry-2x32 (20 rounds; Salmon et al., SC'11, the variant of Random123 and JAX) written
with ``xops.numpy`` ops on uint32 arrays, so one algorithm runs on every backend.

All arithmetic is uint32 with wrap-around: add, xor, shifts and or. A backend without native
uint32 arithmetic (torch) computes it inside its kernel table, not here.
"""
from __future__ import annotations

from typing import Any

from .. import numpy as xnp

Array = Any

_ROTATIONS = ((13, 15, 26, 6), (17, 29, 16, 24))
_PARITY = 0x1BD11BDA


def _rotl(x: Array, r: int) -> Array:
    return xnp.bitwise_or(xnp.left_shift(x, r), xnp.right_shift(x, 32 - r))


def threefry2x32(k0: Array, k1: Array, x0: Array | None, x1: Array) -> tuple[Array, Array]:
    """The Threefry-2x32 block function with 20 rounds.

    Args:
        k0: first uint32 key word (0-d, or broadcastable against the counters).
        k1: second uint32 key word.
        x0: first uint32 counter word, or None for an all-zero word (it then costs nothing:
            the first round starts from the broadcast key word).
        x1: second uint32 counter word.

    Returns:
        The two uint32 output words, with the broadcast shape of the inputs.
    """
    k2 = xnp.bitwise_xor(xnp.bitwise_xor(k0, k1), _PARITY)
    ks = (k0, k1, k2)
    x0 = k0 if x0 is None else xnp.add(x0, k0)
    x1 = xnp.add(x1, k1)
    for i in range(5):
        for r in _ROTATIONS[i % 2]:
            x0 = xnp.add(x0, x1)
            x1 = xnp.bitwise_xor(_rotl(x1, r), x0)
        # Key injection. The 0-d sum ks + (i + 1) is formed first so the full-size word sees one
        # add.
        x0 = xnp.add(x0, ks[(i + 1) % 3])
        x1 = xnp.add(x1, xnp.add(ks[(i + 2) % 3], i + 1))
    return x0, x1
