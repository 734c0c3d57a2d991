"""Samplers built on Threefry words with ``xops.numpy`` ops only (see docs/random.md).

Each sampler follows the construction of the ``jax.random`` function of the same name, so on
every backend it gives the same numbers, and for ``bits``, ``uniform``, ``bernoulli``,
``randint``, ``permutation``/``shuffle`` and ``choice`` without ``p`` the numbers jax gives for
the same key (integer ops, exact conversions, correctly rounded IEEE multiply/add).
``normal``, ``truncated_normal``, ``gumbel`` and ``categorical`` go
through a logarithm: float32 uses ``_special.log32`` (IEEE multiply/add only), so they are
bit-identical too; float64 uses the backend's ``log``/``log1p``, a few ulp apart.
"""
from __future__ import annotations

import math
import operator
from typing import Any, cast

import numpy as np

from .. import numpy as xnp
from .._dtypes import DType, canonical, float16, float32, float64, iinfo, int32, uint32, uint64
from ..backends import Backend, backend_of
from . import _keys
from ._keys import blocks, check_key, split
from ._special import erf32, erfinv, log32

Array = Any

def _float_dtype(name: str, dtype: Any) -> DType:
    d = canonical(dtype)
    if d.kind != "f":
        raise TypeError(f"xops.random.{name}: dtype must be a float dtype, got {d.name}")
    return d


def _is_array(x: Any) -> bool:
    return backend_of(x) is not None and not isinstance(x, (int, float, bool, np.generic))


# cast: callers pass arrays (a checked key, or what _is_array accepted); a cast keeps these
# helpers as cheap under torch.compile as before, with no new check.
def _dtype_of(x: Array) -> DType:
    return cast(Backend, backend_of(x)).dtype_of(x)


def _default_int(key: Array) -> DType:
    return cast(Backend, backend_of(key)).default_int


# --- bits -----------------------------------------------------------------------------------------
def _words32(key: Array, shape: tuple[int, ...]) -> Array:
    b0, b1 = blocks(key, shape)
    return xnp.bitwise_xor(b0, b1)


def bits(key: Array, shape: Any = (), dtype: Any = uint32) -> Array:
    """Uniform random bits as unsigned integers (``jax.random.bits``).

    Args:
        key: a key. shape: result shape. dtype: uint8, uint16, uint32 (default) or uint64
            (uint64 needs a backend that holds it: not jax without x64).

    Returns:
        An unsigned integer array of ``key``'s backend; bit-identical on every backend.

    >>> from xops import random as xr
    >>> xr.bits(xr.key(0), (2,))
    array([4070199207, 4202968722], dtype=uint32)
    """
    check_key("bits", key)
    shape = _keys._shape("bits", shape)
    d = canonical(dtype)
    if d.kind != "u":
        raise TypeError(f"xops.random.bits: dtype must be unsigned, got {d.name}")
    if d.bits == 64:
        b0, b1 = blocks(key, shape)
        hi = xnp.left_shift(xnp.astype(b0, uint64), 32)
        return xnp.bitwise_or(hi, xnp.astype(b1, uint64))
    w = _words32(key, shape)
    return w if d is uint32 else xnp.astype(w, d)


# --- uniform ------------------------------------------------------------------------------------
def _unit(key: Array, shape: tuple[int, ...], d: DType) -> Array:
    """Floats in [0, 1) with the mantissa bits of jax's construction, computed as an integer
    times a power of two (exact, so identical on every backend). 16-bit dtypes are returned in
    float32 holding exact 16-bit values."""
    if d is float64:
        b0, b1 = blocks(key, shape)
        # jax: ((b0 << 32 | b1) >> 12) * 2**-52 = b0 * 2**-32 + (b1 >> 12) * 2**-52, exact.
        hi = xnp.multiply(xnp.astype(b0, float64), 2.0 ** -32)
        lo = xnp.multiply(xnp.astype(xnp.right_shift(b1, 12), float64), 2.0 ** -52)
        return xnp.add(hi, lo)
    w = _words32(key, shape)
    if d is float32:
        return xnp.multiply(xnp.astype(xnp.right_shift(w, 9), float32), 2.0 ** -23)
    # float16 / bfloat16: jax draws 16-bit words (the low half) and keeps the top nmant bits.
    nmant = 10 if d is float16 else 7
    m = xnp.right_shift(xnp.bitwise_and(w, 0xFFFF), 16 - nmant)
    return xnp.multiply(xnp.astype(m, float32), 2.0 ** -nmant)


def _compute_dtype(d: DType) -> DType:
    return float32 if d.bits == 16 else d


def _as_float(x: Any, d: DType, like: Array) -> Any:
    """A bound as a Python float exactly representable in ``d`` (or an array cast to ``d``)."""
    if _is_array(x):
        return xnp.astype(x, d)
    return float(x) if d is float64 else float(np.float32(x))


def _scale(u: Array, minval: Any, maxval: Any, d: DType, like: Array) -> Array:
    """jax's ``max(minval, u * (maxval - minval) + minval)`` in dtype ``d``."""
    if not _is_array(minval) and not _is_array(maxval):
        if float(minval) == 0.0 and float(maxval) == 1.0:
            return u
        npd = np.float64 if d is float64 else np.float32
        lo_d, hi_d = npd(minval), npd(maxval)
        span = float(hi_d - lo_d)  # rounded in d, as jax does
        lo = float(lo_d)
        return xnp.maximum(xnp.add(xnp.multiply(u, span), lo), lo)
    lo = _as_float(minval, d, like)
    hi = _as_float(maxval, d, like)
    span = xnp.subtract(hi, lo)
    return xnp.maximum(xnp.add(xnp.multiply(u, span), lo), lo)


def uniform(key: Array, shape: Any = (), dtype: Any = float32, minval: Any = 0.0,
            maxval: Any = 1.0) -> Array:
    """Uniform floats in ``[minval, maxval)`` (``jax.random.uniform``).

    The default dtype is float32 on every backend (not the backend's default float), so the
    same key gives the same numbers everywhere.

    Args:
        key: a key. shape: result shape. dtype: float16, bfloat16, float32 or float64.
        minval: lower bound (Python float or array broadcastable to ``shape``).
        maxval: upper bound (exclusive).

    Returns:
        A float array of ``key``'s backend. Bit-identical on every backend; for the default
        ``[0, 1)`` and float32/float64 equal to ``jax.random.uniform``. float16/bfloat16 with
        other bounds are scaled in float32 and rounded once.

    >>> from xops import random as xr
    >>> xr.uniform(xr.key(0), (3,))
    array([0.947667  , 0.9785799 , 0.33229148], dtype=float32)
    """
    check_key("uniform", key)
    shape = _keys._shape("uniform", shape)
    d = _float_dtype("uniform", dtype)
    cd = _compute_dtype(d)
    u = _scale(_unit(key, shape, d), minval, maxval, cd, key)
    return u if cd is d else xnp.astype(u, d)


# --- normal -------------------------------------------------------------------------------------
def _normal_from_key(key: Array, shape: tuple[int, ...], cd: DType) -> Array:
    npd = np.float64 if cd is float64 else np.float32
    lo = npd(np.nextafter(npd(-1), npd(0)))
    u = _scale(_unit(key, shape, cd), float(lo), 1.0, cd, key)
    return xnp.multiply(erfinv(u), float(npd(np.sqrt(2))))


def normal(key: Array, shape: Any = (), dtype: Any = float32) -> Array:
    """Standard normal floats (``jax.random.normal``: ``sqrt(2) * erfinv(u)``, ``u`` uniform in
    ``(-1, 1)``).

    Args:
        key: a key. shape: result shape. dtype: float16, bfloat16, float32 (default) or float64.
            16-bit dtypes are the float32 sample rounded.

    Returns:
        A float array of ``key``'s backend. float32 (and 16-bit): bit-identical on every backend
        in eager mode (the log is written with IEEE multiply/add, see ``_special.log32``);
        float64: within a few ulp (the backend's ``log1p``; measured bounds in docs/random.md).
    """
    check_key("normal", key)
    shape = _keys._shape("normal", shape)
    d = _float_dtype("normal", dtype)
    cd = _compute_dtype(d)
    z = _normal_from_key(key, shape, cd)
    return z if cd is d else xnp.astype(z, d)


def truncated_normal(key: Array, lower: Any, upper: Any, shape: Any = None,
                     dtype: Any = float32) -> Array:
    """Standard normal floats truncated to ``(lower, upper)`` by inverse-CDF sampling
    (``jax.random.truncated_normal``'s construction).

    Args:
        key: a key. lower, upper: bounds (Python floats, computed exactly with ``math.erf``, or
            arrays of ``key``'s backend, whose erf is a float32 rational approximation).
        shape: result shape (default: the broadcast shape of array bounds, else ``()``).
        dtype: float16, bfloat16, float32 (default) or float64.

    Returns:
        A float array in ``(lower, upper)`` (open for Python-float bounds, closed for array
        bounds). float32: bit-identical across backends in eager mode; float64: within a few
        ulp (the backend's ``log1p``).
    """
    check_key("truncated_normal", key)
    d = _float_dtype("truncated_normal", dtype)
    cd = _compute_dtype(d)
    if shape is None:
        shapes = [tuple(b.shape) for b in (lower, upper) if _is_array(b)]
        shape = tuple(np.broadcast_shapes(*shapes)) if shapes else ()
    shape = _keys._shape("truncated_normal", shape)
    npd = np.float64 if cd is float64 else np.float32
    sqrt2 = float(npd(np.sqrt(2)))

    def erf_of(b: Any) -> Any:
        if _is_array(b):
            e = erf32(xnp.divide(xnp.astype(b, float32), float(np.float32(np.sqrt(2)))))
            return xnp.astype(e, cd)
        return float(npd(math.erf(float(b) / math.sqrt(2))))

    def bound(b: Any, toward: float) -> Any:
        if _is_array(b):  # xops has no nextafter: array bounds clip to the closed interval
            return xnp.astype(b, cd)
        return float(np.nextafter(npd(b), npd(toward)))

    a, b = erf_of(lower), erf_of(upper)
    u = _scale(_unit(key, shape, cd), a, b, cd, key)
    z = xnp.multiply(erfinv(u), sqrt2)
    z = xnp.clip(z, bound(lower, math.inf), bound(upper, -math.inf))
    return z if cd is d else xnp.astype(z, d)


# --- discrete -----------------------------------------------------------------------------------
def bernoulli(key: Array, p: Any = 0.5, shape: Any = None) -> Array:
    """Booleans that are True with probability ``p`` (``jax.random.bernoulli``:
    ``uniform(key, shape, dtype(p)) < p``).

    Args:
        key: a key. p: probability (Python float, taken as float32, or a float array).
        shape: result shape (default: ``p``'s shape).

    Returns:
        A bool array of ``key``'s backend; bit-identical on every backend.
    """
    check_key("bernoulli", key)
    if _is_array(p):
        d = _dtype_of(p)
        if d.kind != "f":
            p = xnp.astype(p, float32)
            d = float32
        if shape is None:
            shape = tuple(p.shape)
    else:
        d = float32
        p = float(np.float32(p))
        if shape is None:
            shape = ()
    shape = _keys._shape("bernoulli", shape)
    u = uniform(key, shape, d)
    return xnp.less(u, p)


def randint(key: Array, shape: Any, minval: Any, maxval: Any, dtype: Any = None) -> Array:
    """Uniform integers in ``[minval, maxval)`` (``jax.random.randint``'s algorithm: two 32-bit
    words per value reduced modulo the span, bias below ``span**2 / 2**64``).

    Args:
        key: a key. shape: result shape.
        minval, maxval: bounds (Python ints or integer arrays broadcastable to ``shape``); they
            are clipped to the dtype's range; ``maxval <= minval`` gives ``minval``.
        dtype: integer dtype (default: the backend's default int). 64-bit dtypes use the same
            32-bit algorithm, so their span must be below ``2**32`` (jax with x64 uses 64-bit
            words there and differs).

    Returns:
        An integer array of ``key``'s backend; bit-identical on every backend and equal to
        ``jax.random.randint`` for dtypes up to 32 bits.
    """
    check_key("randint", key)
    shape = _keys._shape("randint", shape)
    d = _default_int(key) if dtype is None else canonical(dtype)
    if d.kind not in "iu":
        raise TypeError(f"xops.random.randint: dtype must be an integer dtype, got {d.name}")
    info = iinfo(d)
    # jax samples 8/16-bit dtypes in int32, and 32-bit dtypes in themselves.
    work = int32 if d.bits < 32 else d
    ks = split(key)
    k1, k2 = ks[0], ks[1]
    higher = _words32(k1, shape)
    lower = _words32(k2, shape)
    if not _is_array(minval) and not _is_array(maxval):
        lo = min(max(operator.index(minval), info.min), info.max)
        hi = min(max(operator.index(maxval), info.min), info.max + 1)
        span = hi - lo if hi > lo else 1
        if span > 2 ** 32:
            raise ValueError(f"xops.random.randint: span {span} exceeds 2**32 (the 32-bit "
                             "algorithm); draw two parts or use bits()")
        if span == 2 ** 32:  # jax's span wraps to 0 and the remainders are no-ops
            off = lower
        else:
            mult = (2 ** 16 % span) ** 2 % span
            off = xnp.add(xnp.multiply(xnp.remainder(higher, span), mult),
                          xnp.remainder(lower, span))
            off = xnp.remainder(off, span)
        out = xnp.add(xnp.astype(off, work), lo) if lo else xnp.astype(off, work)
        return out if work is d else xnp.astype(out, d)
    lo = _int_bound(minval, work, info, key)
    hi = _int_bound(maxval, work, info, key)
    span = xnp.astype(xnp.subtract(hi, lo), uint32)
    span = xnp.where(xnp.less_equal(hi, lo), xnp.ones_like(span), span)
    mult = xnp.remainder(xnp.full_like(span, 2 ** 16), span)
    mult = xnp.remainder(xnp.multiply(mult, mult), span)
    off = xnp.add(xnp.multiply(xnp.remainder(higher, span), mult), xnp.remainder(lower, span))
    off = xnp.remainder(off, span)
    out = xnp.add(lo, xnp.astype(off, work))
    return out if work is d else xnp.astype(out, d)


def _int_bound(b: Any, work: DType, info: Any, key: Array) -> Array:
    if _is_array(b):
        b = xnp.clip(b, info.min, info.max) if _dtype_of(b).bits > work.bits else b
        return xnp.astype(b, work)
    v = min(max(operator.index(b), info.min), info.max)
    return xnp.asarray(v, dtype=work, like=key)


def gumbel(key: Array, shape: Any = (), dtype: Any = float32) -> Array:
    """Standard Gumbel floats, ``-log(-log(u))`` with ``u`` uniform in ``[tiny, 1)``
    (``jax.random.gumbel``, mode 'low').

    Args:
        key: a key. shape: result shape. dtype: float dtype (default float32; 16-bit dtypes
            are the float32 sample rounded).

    Returns:
        A float array of ``key``'s backend; float32 bit-identical on every backend in eager
        mode (``log32``), float64 within a few ulp (the backend's ``log``).
    """
    check_key("gumbel", key)
    shape = _keys._shape("gumbel", shape)
    d = _float_dtype("gumbel", dtype)
    cd = _compute_dtype(d)
    tiny = float(np.finfo(np.float64 if cd is float64 else np.float32).tiny)
    u = _scale(_unit(key, shape, cd), tiny, 1.0, cd, key)
    if cd is float32:
        g = xnp.negative(log32(xnp.negative(log32(u))))
    else:
        g = xnp.negative(xnp.log(xnp.negative(xnp.log(u))))
    return g if cd is d else xnp.astype(g, d)


def categorical(key: Array, logits: Array, axis: int = -1, shape: Any = None) -> Array:
    """Samples of categories from unnormalised log-probabilities by the Gumbel-max trick
    (``jax.random.categorical``).

    Args:
        key: a key. logits: float array of ``key``'s backend. axis: the category axis.
        shape: result shape: batch shape of ``logits`` (without ``axis``), optionally with
            leading sample dimensions (default: the batch shape).

    Returns:
        Integer indices (the backend's default int). Bit-identical across backends for float32
        logits (the Gumbel noise is).
    """
    check_key("categorical", key)
    d = _dtype_of(logits)
    if d.kind != "f":
        raise TypeError(f"xops.random.categorical: logits must be floats, got {d.name}")
    nd = len(logits.shape)
    ax = axis + nd if axis < 0 else axis
    if not 0 <= ax < nd:
        raise ValueError(f"xops.random.categorical: axis {axis} out of range for {nd}-d logits")
    batch = tuple(s for i, s in enumerate(logits.shape) if i != ax)
    shape = batch if shape is None else _keys._shape("categorical", shape)
    if tuple(shape[len(shape) - len(batch):]) != batch:
        raise ValueError(f"xops.random.categorical: shape {shape} must end with the batch "
                         f"shape {batch}")
    prefix = tuple(shape[:len(shape) - len(batch)])
    g = gumbel(key, prefix + tuple(logits.shape), d)
    lg = xnp.reshape(logits, (1,) * len(prefix) + tuple(logits.shape))
    return xnp.argmax(xnp.add(g, lg), axis=len(prefix) + ax)


def _perm_indices(key: Array, n: int) -> Array:
    """jax's ``_shuffle`` of ``arange(n)``: rounds of sorting by fresh 32-bit keys."""
    rounds = math.ceil(3 * math.log(max(1, n)) / math.log(2 ** 32 - 1))
    idx = xnp.arange(n, dtype=_default_int(key), like=key)
    for _ in range(rounds):
        ks = split(key)
        key, sub = ks[0], ks[1]
        order = xnp.argsort(_words32(sub, (n,)), stable=True)
        idx = xnp.take(idx, order, axis=0)
    return idx


def permutation(key: Array, x: Any, axis: int = 0) -> Array:
    """A random permutation of ``range(x)`` (int ``x``) or of an array along ``axis``
    (``jax.random.permutation``; sorts by random 32-bit keys, stably).

    Args:
        key: a key. x: an int ``n`` or an array. axis: axis to permute (arrays).

    Returns:
        ``range(n)`` permuted (the backend's default int), or ``x`` with ``axis`` permuted.
        Bit-identical on every backend.
    """
    check_key("permutation", key)
    if isinstance(x, (int, np.integer)) and not isinstance(x, bool):
        return _perm_indices(key, operator.index(x))
    nd = len(x.shape)
    if nd == 0:
        raise ValueError("xops.random.permutation: x must be an int or an array of ndim >= 1")
    ax = axis + nd if axis < 0 else axis
    return xnp.take(x, _perm_indices(key, x.shape[ax]), axis=ax)


def shuffle(key: Array, x: Array, axis: int = 0) -> Array:
    """``x`` with its elements along ``axis`` in random order (a pure function: a new array).

    Args:
        key: a key. x: array. axis: axis to shuffle.

    Returns:
        An array of ``x``'s backend; equal to ``permutation(key, x, axis)``.
    """
    return permutation(key, x, axis)


def choice(key: Array, a: Any, shape: Any = (), replace: bool = True, p: Array | None = None,
           axis: int = 0) -> Array:
    """Random samples from ``range(a)`` or from an array along ``axis``
    (``jax.random.choice``'s algorithms).

    Args:
        key: a key. a: an int or an array. shape: shape of the draws.
        replace: with replacement (``randint``) or without (a permutation's prefix).
        p: optional probabilities (float array of length ``n``): with replacement by inverse
            CDF over ``cumsum(p)``, without by Gumbel top-k.

    Returns:
        Indices (int ``a``) or samples of ``a`` with ``axis`` replaced by ``shape``. Without
        ``p``: bit-identical on every backend. With ``p``: identical except draws within an
        ulp of a cumulative-probability boundary (``cumsum`` association differs per backend)
        or Gumbel near-ties.
    """
    check_key("choice", key)
    shape = _keys._shape("choice", shape)
    scalar = not _is_array(a)
    if scalar:
        n = operator.index(a)
        ax = 0
    else:
        nd = len(a.shape)
        if nd == 0:
            raise ValueError("xops.random.choice: a must be an int or an array of ndim >= 1")
        ax = axis + nd if axis < 0 else axis
        n = a.shape[ax]
    n_draws = math.prod(shape)
    if n_draws and n <= 0:
        raise ValueError("xops.random.choice: a must be greater than 0 unless no samples are "
                         "taken")
    if not replace and n_draws > n:
        raise ValueError(f"xops.random.choice: cannot take {n_draws} samples from {n} without "
                         "replacement")
    if p is None:
        if replace:
            ind = randint(key, shape, 0, n)
        else:
            ind = xnp.reshape(_perm_indices(key, n)[:n_draws], shape)
    else:
        pd = _dtype_of(p)
        if pd.kind != "f":
            p = xnp.astype(p, float32)
            pd = float32
        if tuple(p.shape) != (n,):
            raise ValueError(f"xops.random.choice: p must have shape ({n},), got "
                             f"{tuple(p.shape)}")
        if replace:
            cum = xnp.cumsum(p)
            total = cum[n - 1]
            r = xnp.multiply(total, xnp.subtract(1.0, uniform(key, shape, pd)))
            # searchsorted(cum, r, side='left') = number of cumulative sums below r.
            below = xnp.less(cum, xnp.expand_dims(r, -1))
            ind = xnp.astype(xnp.sum(below, axis=-1), _default_int(key))
        else:
            g = xnp.add(gumbel(key, (n,), pd), xnp.log(p))
            ind = xnp.reshape(xnp.argsort(g, descending=True)[:n_draws], shape)
    if scalar:
        return ind
    taken = xnp.take(a, xnp.reshape(ind, (-1,)), axis=ax)
    out_shape = tuple(a.shape[:ax]) + shape + tuple(a.shape[ax + 1:])
    return xnp.reshape(taken, out_shape)


# --- dropout ------------------------------------------------------------------------------------
def dropout_mask(key: Array, rate: float, shape: Any) -> Array:
    """The keep-mask of dropout: True with probability ``1 - rate``.

    Args:
        key: a key. rate: drop probability in ``[0, 1]``. shape: mask shape.

    Returns:
        A bool array of ``key``'s backend (``bernoulli(key, 1 - rate, shape)``); bit-identical
        on every backend.
    """
    if not 0.0 <= rate <= 1.0:
        raise ValueError(f"xops.random.dropout_mask: rate must be in [0, 1], got {rate}")
    return bernoulli(key, 1.0 - rate, shape)


def dropout(key: Array, rate: float, x: Array) -> Array:
    """Inverted dropout: ``x / (1 - rate)`` where kept, 0 where dropped.

    Args:
        key: a key of ``x``'s backend. rate: drop probability in ``[0, 1]``. x: float array.

    Returns:
        An array like ``x``; bit-identical on every backend (one correctly rounded division).
        ``rate == 0`` returns ``x``; ``rate == 1`` returns zeros.
    """
    if rate == 0.0:
        return x
    mask = dropout_mask(key, rate, tuple(x.shape))
    zeros = xnp.zeros_like(x)
    if rate == 1.0:
        return zeros
    return xnp.where(mask, xnp.divide(x, 1.0 - rate), zeros)
