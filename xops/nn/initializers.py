"""``xops.nn.initializers``: weight initialisers built on ``xops.random``, so one key gives the
same weights on numpy, jax, torch and tensorflow (up to float rounding of the scaling).

Each factory returns an initialiser ``init(key, shape, dtype=float32) -> array`` of the key's
backend (jax's ``jax.nn.initializers`` convention). Fans follow jax: for a kernel of shape
``(..., in, out)`` (``in_axis=-2``, ``out_axis=-1``) the receptive field is the product of the
other axes, ``fan_in = shape[in_axis] * receptive``, ``fan_out = shape[out_axis] * receptive``.
The named schemes use jax's distributions: ``glorot_normal``, ``he_normal`` and
``lecun_normal`` draw a normal truncated at two standard deviations, rescaled to the target
variance (torch's ``kaiming_normal_``/``xavier_normal_`` draw an untruncated normal: use
``variance_scaling(..., distribution="untruncated_normal")`` for those).
"""
from __future__ import annotations

import math
import operator
from typing import Any, Callable, Sequence

from .. import numpy as xnp
from .. import random as xr
from .._dtypes import canonical, float32

Array = Any
Initializer = Callable[..., Array]

__all__ = ["Initializer", "zeros", "ones", "constant", "normal", "uniform", "truncated_normal",
           "variance_scaling", "glorot_uniform", "glorot_normal", "xavier_uniform",
           "xavier_normal", "he_uniform", "he_normal", "kaiming_uniform", "kaiming_normal",
           "lecun_uniform", "lecun_normal", "orthogonal", "compute_fans"]

# std of the standard normal truncated to (-2, 2) (jax's constant for variance_scaling)
_TRUNC_STD = 0.87962566103423978


def _shape(shape: Any) -> tuple[int, ...]:
    if isinstance(shape, (tuple, list)):
        return tuple(operator.index(s) for s in shape)
    return (operator.index(shape),)


def _float(name: str, dtype: Any) -> Any:
    d = canonical(dtype)
    if d.kind != "f":
        raise TypeError(f"xops.nn.initializers.{name}: dtype must be a float dtype, got {d.name}")
    return d


def zeros(key: Array, shape: Any, dtype: Any = float32) -> Array:
    """Zeros of ``shape`` on the key's backend (an initialiser itself, as ``jax.nn.initializers
    .zeros``).

    Returns:
        An array of zeros of ``dtype``.
    """
    return xnp.zeros(_shape(shape), dtype=dtype, like=key)


def ones(key: Array, shape: Any, dtype: Any = float32) -> Array:
    """Ones of ``shape`` on the key's backend.

    Returns:
        An array of ones of ``dtype``.
    """
    return xnp.ones(_shape(shape), dtype=dtype, like=key)


def constant(value: float) -> Initializer:
    """An initialiser filling with ``value``.

    Returns:
        ``init(key, shape, dtype=float32)``.
    """
    def init(key: Array, shape: Any, dtype: Any = float32) -> Array:
        return xnp.full(_shape(shape), value, dtype=dtype, like=key)
    return init


def _scaled_sample(name: str, sample: Callable, factor: float) -> Initializer:
    def init(key: Array, shape: Any, dtype: Any = float32) -> Array:
        d = _float(name, dtype)
        return xnp.astype(xnp.multiply(sample(key, _shape(shape), float32), factor), d)
    return init


def normal(stddev: float = 1e-2) -> Initializer:
    """Normal with mean 0 and standard deviation ``stddev``.

    Returns:
        ``init(key, shape, dtype=float32)``.
    """
    return _scaled_sample("normal", xr.normal, stddev)


def uniform(scale: float = 1e-2) -> Initializer:
    """Uniform in ``[0, scale)`` (jax's convention).

    Returns:
        ``init(key, shape, dtype=float32)``.
    """
    return _scaled_sample("uniform", xr.uniform, scale)


def truncated_normal(stddev: float = 1e-2, lower: float = -2.0,
                     upper: float = 2.0) -> Initializer:
    """``stddev`` times a standard normal truncated to ``(lower, upper)``.

    Returns:
        ``init(key, shape, dtype=float32)``.
    """
    def init(key: Array, shape: Any, dtype: Any = float32) -> Array:
        d = _float("truncated_normal", dtype)
        z = xr.truncated_normal(key, lower, upper, _shape(shape), float32)
        return xnp.astype(xnp.multiply(z, stddev), d)
    return init


def compute_fans(shape: Sequence[int], in_axis: int | Sequence[int] = -2,
                 out_axis: int | Sequence[int] = -1) -> tuple[float, float]:
    """``(fan_in, fan_out)`` of a kernel shape (jax's rule: the receptive field is
    ``size / size(in axes) / size(out axes)``; a 1-d shape has fan_in = fan_out = its size, a
    0-d shape 1).

    Returns:
        The two fans as floats.
    """
    shape = _shape(shape)
    if len(shape) == 0:
        return 1.0, 1.0
    if len(shape) == 1:
        return float(shape[0]), float(shape[0])
    n = len(shape)
    ins = [a % n for a in ((in_axis,) if isinstance(in_axis, int) else in_axis)]
    outs = [a % n for a in ((out_axis,) if isinstance(out_axis, int) else out_axis)]
    size_in = math.prod(shape[i] for i in ins)
    size_out = math.prod(shape[i] for i in outs)
    # jax's formula (also when in_axis and out_axis coincide, as for embedding tables)
    rf = math.prod(shape) / size_in / size_out
    return float(size_in * rf), float(size_out * rf)


_MODES = ("fan_in", "fan_out", "fan_avg")
_DISTS = ("truncated_normal", "normal", "untruncated_normal", "uniform")


def variance_scaling(scale: float, mode: str, distribution: str,
                     in_axis: int | Sequence[int] = -2,
                     out_axis: int | Sequence[int] = -1) -> Initializer:
    """Samples with variance ``scale / fan`` (``jax.nn.initializers.variance_scaling``).

    Args:
        scale: variance numerator. mode: ``'fan_in'``, ``'fan_out'`` or ``'fan_avg'``.
        distribution: ``'truncated_normal'`` (at +-2 std, rescaled to the variance),
            ``'normal'``/``'untruncated_normal'``, or ``'uniform'`` (``+-sqrt(3 var)``).
        in_axis, out_axis: kernel axes holding the input and output features.

    Returns:
        ``init(key, shape, dtype=float32)``.
    """
    if mode not in _MODES:
        raise ValueError(f"xops.nn.initializers.variance_scaling: mode must be one of {_MODES}, "
                         f"got {mode!r}")
    if distribution not in _DISTS:
        raise ValueError("xops.nn.initializers.variance_scaling: distribution must be one of "
                         f"{_DISTS}, got {distribution!r}")

    def init(key: Array, shape: Any, dtype: Any = float32) -> Array:
        d = _float("variance_scaling", dtype)
        shp = _shape(shape)
        fan_in, fan_out = compute_fans(shp, in_axis, out_axis)
        fan = {"fan_in": fan_in, "fan_out": fan_out, "fan_avg": (fan_in + fan_out) / 2}[mode]
        var = scale / max(fan, 1.0)
        if distribution == "truncated_normal":
            z = xr.truncated_normal(key, -2.0, 2.0, shp, float32)
            y = xnp.multiply(z, math.sqrt(var) / _TRUNC_STD)
        elif distribution in ("normal", "untruncated_normal"):
            y = xnp.multiply(xr.normal(key, shp, float32), math.sqrt(var))
        else:
            lim = math.sqrt(3.0 * var)
            y = xr.uniform(key, shp, float32, -lim, lim)
        return xnp.astype(y, d)
    return init


def _preset(name: str, who: str, scale: float, mode: str, distribution: str,
            note: str = "") -> Callable[..., Initializer]:
    def preset(in_axis: Any = -2, out_axis: Any = -1) -> Initializer:
        return variance_scaling(scale, mode, distribution, in_axis, out_axis)

    preset.__name__ = preset.__qualname__ = name
    preset.__doc__ = (f"{who}: ``variance_scaling({scale:g}, {mode!r}, {distribution!r})``"
                      f"{note}.\n\n    Returns:\n"
                      "        ``init(key, shape, dtype=float32)``.\n    ")
    return preset


# The named variance_scaling presets (keras/jax/torch names).
glorot_uniform = _preset("glorot_uniform", "Glorot/Xavier uniform", 1.0, "fan_avg", "uniform")
glorot_normal = _preset("glorot_normal", "Glorot/Xavier normal", 1.0, "fan_avg",
                        "truncated_normal")
he_uniform = _preset("he_uniform", "He/Kaiming uniform", 2.0, "fan_in", "uniform")
he_normal = _preset("he_normal", "He/Kaiming normal", 2.0, "fan_in", "truncated_normal")
lecun_uniform = _preset("lecun_uniform", "LeCun uniform", 1.0, "fan_in", "uniform")
lecun_normal = _preset("lecun_normal", "LeCun normal", 1.0, "fan_in", "truncated_normal",
                       " (flax's Dense default)")

xavier_uniform = glorot_uniform
xavier_normal = glorot_normal
kaiming_uniform = he_uniform
kaiming_normal = he_normal


def _householder_qr_q(a: Array) -> Array:
    """Q of the QR decomposition of an (m, n) matrix, m >= n, columns scaled so that R has a
    non-negative diagonal. Householder reflections written with xops ops (used when
    ``xops.numpy.linalg.qr`` is unavailable)."""
    m, n = int(a.shape[0]), int(a.shape[1])
    idx = xnp.arange(m, like=a)
    q = xnp.eye(m, dtype=float32, like=a)
    r = a
    signs = []
    for k in range(n):
        col = xnp.where(idx >= k, r[:, k], 0.0)
        norm = xnp.sqrt(xnp.sum(xnp.square(col)))
        rkk = r[k, k]
        s = xnp.where(rkk >= 0, 1.0, -1.0)
        alpha = xnp.multiply(-s, norm)  # R[k, k] after the reflection
        v = xnp.where(idx == k, xnp.subtract(col, alpha), col)
        vn = xnp.sqrt(xnp.sum(xnp.square(v)))
        v = xnp.where(vn > 0, xnp.divide(v, xnp.where(vn > 0, vn, 1.0)), 0.0)
        r = xnp.subtract(r, xnp.multiply(2.0, xnp.outer(v, xnp.matmul(v, r))))
        q = xnp.subtract(q, xnp.multiply(2.0, xnp.outer(xnp.matmul(q, v), v)))
        signs.append(xnp.where(alpha >= 0, 1.0, -1.0))
    sgn = xnp.astype(xnp.stack(signs), float32)
    return xnp.multiply(q[:, :n], sgn)


def _qr_q(a: Array) -> Array:
    qr = getattr(xnp.linalg, "qr", None)
    if qr is None:
        return _householder_qr_q(a)
    q, r = qr(a)
    d = xnp.sign(xnp.sum(xnp.multiply(r, xnp.eye(int(r.shape[0]), int(r.shape[1]),
                                                   dtype=float32, like=a)), axis=1))
    d = xnp.where(d == 0, 1.0, d)
    return xnp.multiply(q, d)


def orthogonal(scale: float = 1.0, column_axis: int = -1) -> Initializer:
    """A (semi-)orthogonal matrix: Q of the QR decomposition of a standard normal matrix with
    the signs of R's diagonal folded in (``jax.nn.initializers.orthogonal``). Uses
    ``xops.numpy.linalg.qr`` when present, else Householder reflections with xops ops.

    Returns:
        ``init(key, shape, dtype=float32)``; ``shape`` needs at least 2 axes.
    """
    def init(key: Array, shape: Any, dtype: Any = float32) -> Array:
        d = _float("orthogonal", dtype)
        shp = _shape(shape)
        if len(shp) < 2:
            raise ValueError("xops.nn.initializers.orthogonal: shape needs at least 2 axes, "
                             f"got {shp}")
        ca = column_axis % len(shp)
        n_cols = shp[ca]
        n_rows = math.prod(shp) // max(n_cols, 1)
        mshape = (n_cols, n_rows) if n_rows < n_cols else (n_rows, n_cols)
        a = xr.normal(key, mshape, float32)
        q = _qr_q(a)
        if n_rows < n_cols:
            q = xnp.matrix_transpose(q)
        rest = tuple(s for i, s in enumerate(shp) if i != ca)
        q = xnp.reshape(q, rest + (n_cols,))
        q = xnp.moveaxis(q, -1, ca)
        return xnp.astype(xnp.multiply(q, scale), d)
    return init
