"""Keys: plain shape-(2,) uint32 arrays of any backend, made, split and folded JAX-style.

The scheme is exactly the one of ``jax.random`` with the ``threefry2x32`` implementation and
``jax_threefry_partitionable=True`` (jax's default since 0.5):

- ``key(seed)``: the 64-bit seed as two words ``[seed >> 32, seed & 0xFFFFFFFF]``.
- ``split(key, shape)``: element ``i`` (row-major) of the result is
  ``threefry2x32(key, (i >> 32, i & 0xFFFFFFFF))``, both output words.
- ``fold_in(key, d)``: ``threefry2x32(key, (0, d))``.
- ``random_words(key, shape)``: the same counters as ``split``, one block per element.
"""
from __future__ import annotations

import contextlib
import contextvars
import math
import numbers
import operator
from typing import Any, Iterator, cast

from .. import numpy as xnp
from .._dtypes import DType, uint32
from ..backends import Backend, backend_of, default_backend
from ._threefry import threefry2x32

Array = Any

_U32_MASK = 0xFFFFFFFF


@contextlib.contextmanager
def _on_backend(like: Any, backend: str | None) -> Iterator[None]:
    if backend is not None and like is None:
        with default_backend(backend):
            yield
    else:
        yield


def _dtype_of(x: Array) -> DType:
    be = backend_of(x)
    if be is None:
        raise TypeError(f"expected an array of a supported backend, got {type(x).__name__}")
    return be.dtype_of(x)


def check_key(name: str, key: Any) -> Array:
    """``key`` itself, after checking it is one key: a shape-(2,) uint32 array."""
    be = backend_of(key)
    if be is None:
        raise TypeError(f"xops.random.{name}: key must be an array made by xops.random.key, "
                        f"split or fold_in, got {type(key).__name__}")
    if tuple(key.shape) != (2,) or be.dtype_of(key) is not uint32:
        raise ValueError(f"xops.random.{name}: key must be one key, a uint32 array of shape "
                         f"(2,), got {be.dtype_of(key).name} of shape {tuple(key.shape)} (use "
                         "the backend's vmap for batches of keys)")
    return key


def _shape(name: str, shape: Any) -> tuple[int, ...]:
    if isinstance(shape, (tuple, list)):
        out = tuple(operator.index(s) for s in shape)
    else:
        out = (operator.index(shape),)
    if any(s < 0 for s in out):
        raise ValueError(f"xops.random.{name}: negative dimension in shape {out}")
    return out


def key(seed: Any, *, like: Array | None = None, backend: str | None = None,
        device: Any = None) -> Array:
    """A key from an integer seed (the key layout of ``jax.random.key_data(jax.random.key(seed))``).

    Args:
        seed: a Python int in ``[-2**63, 2**64)`` (taken modulo ``2**64``), or a 0-d integer
            array (its backend is the key's; 32-bit seeds are sign-extended like jax does
            without x64 only for non-negative values, see docs/random.md).
        like: array whose backend and device the key takes.
        backend: backend name (``'numpy'``, ``'jax'``, ``'torch'``, ``'tensorflow'``) when
            there is no ``like``; default: ``xops.default_backend`` scope, ``XOPS_BACKEND``,
            else numpy.
        device: the backend's device for a key from an int seed (e.g. ``"cuda:0"`` with
            ``backend="torch"``); default: ``like``'s device, else the backend's default.
            Everything drawn from a key lands on the key's device.

    Returns:
        A uint32 array of shape ``(2,)``: ``[seed >> 32, seed & 0xFFFFFFFF]``.

    >>> from xops import random as xr
    >>> xr.key(42)
    array([ 0, 42], dtype=uint32)
    """
    if isinstance(seed, bool):
        raise TypeError("xops.random.key: seed must be an integer, got bool")
    if isinstance(seed, numbers.Integral):  # Python and NumPy integer scalars
        s = operator.index(seed)
        if not -(2 ** 63) <= s < 2 ** 64:
            raise OverflowError(f"xops.random.key: seed {s} does not fit in 64 bits")
        s &= 2 ** 64 - 1
        with _on_backend(like, backend):
            return xnp.asarray([s >> 32, s & _U32_MASK], dtype=uint32, like=like, device=device)
    d = _dtype_of(seed)
    if tuple(seed.shape) != () or d.kind not in "iu":
        raise TypeError(f"xops.random.key: seed must be an integer scalar, got {d.name} of "
                        f"shape {tuple(seed.shape)}")
    lo = xnp.astype(xnp.bitwise_and(seed, _U32_MASK) if d.bits > 32 else seed, uint32)
    if d.bits > 32:
        hi = xnp.astype(xnp.right_shift(seed, 32), uint32)
    else:
        hi = xnp.zeros((), dtype=uint32, like=seed)
    return xnp.stack([hi, lo])


def words(key: Array) -> tuple[Array, Array]:
    """The two 0-d uint32 words of a key."""
    return key[0], key[1]


# A block of the index space (xops.random.sharded): (global shape, offsets, local shape). While
# set, a draw of the global shape computes the counters of that block only. ACTIVE counts the
# sharded draws in progress in any thread: the context variable is read only then (torch.compile
# cannot trace ContextVar.get, and an ordinary draw should not pay for it).
BLOCK: contextvars.ContextVar[tuple[tuple[int, ...], tuple[int, ...], tuple[int, ...]] | None] = \
    contextvars.ContextVar("xops_random_block", default=None)
ACTIVE: list[int] = []


def counters(key: Array, shape: tuple[int, ...], values: bool = True) -> Array:
    """The low counter word: the row-major index of each element of ``shape`` (the high word
    is 0 because sizes stay below 2**32); for a draw of values (not keys) inside ``sharded``,
    of this process' block only."""
    n = math.prod(shape)
    if n >= 2 ** 32:
        raise ValueError(f"xops.random: {n} values in one call is beyond the 2**32 counters of "
                         "one key; split the key and draw in parts")
    block = BLOCK.get() if values and ACTIVE else None
    if block is not None and tuple(shape) == block[0]:
        _, offsets, local = block
        c = xnp.zeros(local, dtype=uint32, like=key)
        stride = 1
        for d in range(len(shape) - 1, -1, -1):  # row-major index of each global position
            idx = xnp.arange(offsets[d], offsets[d] + local[d], dtype=uint32, like=key)
            c = xnp.add(c, xnp.reshape(xnp.multiply(idx, stride),
                                       (-1,) + (1,) * (len(shape) - 1 - d)))
            stride *= shape[d]
        return c
    return xnp.reshape(xnp.arange(n, dtype=uint32, like=key), shape)


def blocks(key: Array, shape: tuple[int, ...], values: bool = True) -> tuple[Array, Array]:
    """Both Threefry output words for each element of ``shape`` under ``key`` (``values=False``:
    new keys, which are never sharded)."""
    k0, k1 = words(key)
    c = counters(key, shape, values)
    if cast(Backend, backend_of(key)).name in _COMPILED_BACKENDS:  # key is a checked key
        return _compiled_hash()(k0, k1, c)
    return threefry2x32(k0, k1, None, c)


# jax and tensorflow run the 20 rounds as one compiled XLA program (the integer hash gives the
# same bits compiled or not): eagerly, ~100 separate full-array ops cost 20-50x a native draw.
# torch is left eager: inductor takes minutes to compile the rounds.
_COMPILED_BACKENDS = ("jax", "tensorflow")
_COMPILED: list = []


def _hash(k0: Array, k1: Array, c: Array) -> tuple[Array, Array]:
    return threefry2x32(k0, k1, None, c)


def _compiled_hash():
    if not _COMPILED:
        from ..xla import jit
        _COMPILED.append(jit(_hash))
    return _COMPILED[0]


def split(key: Array, num: int | tuple[int, ...] = 2) -> Array:
    """New keys from one key (``jax.random.split`` with the threefry implementation).

    Args:
        key: a key (uint32, shape ``(2,)``).
        num: number of keys, or a shape of keys.

    Returns:
        A uint32 array of shape ``(num, 2)`` (or ``(*num, 2)``) of ``key``'s backend.

    >>> from xops import random as xr
    >>> k1, k2 = xr.split(xr.key(0))
    """
    check_key("split", key)
    shape = _shape("split", num)
    b0, b1 = blocks(key, shape, values=False)
    return xnp.stack([b0, b1], axis=len(shape))


def fold_in(key: Array, data: Any) -> Array:
    """A new key from a key and a 32-bit integer (``jax.random.fold_in``).

    Args:
        key: a key (uint32, shape ``(2,)``).
        data: a Python int (taken modulo ``2**32``) or a 0-d integer array of ``key``'s backend
            (cast to uint32).

    Returns:
        A key of ``key``'s backend: ``threefry2x32(key, (0, data))``.
    """
    check_key("fold_in", key)
    if isinstance(data, bool):
        raise TypeError("xops.random.fold_in: data must be an integer, got bool")
    if isinstance(data, numbers.Integral):
        d = xnp.asarray([operator.index(data) & _U32_MASK], dtype=uint32, like=key)
    else:
        dt = _dtype_of(data)
        if tuple(data.shape) != () or dt.kind not in "iu":
            raise TypeError("xops.random.fold_in: data must be an integer scalar, got "
                            f"{dt.name} of shape {tuple(data.shape)}")
        d = xnp.reshape(xnp.astype(data, uint32), (1,))
    k0, k1 = words(key)
    y0, y1 = threefry2x32(k0, k1, None, d)
    return xnp.concatenate([y0, y1])
