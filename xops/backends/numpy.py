"""NumPy kernel table: op name -> native call. Arguments arrive normalised by xops dispatch
(same dtype, axes as sorted tuples of non-negative ints); see xops/_dispatch.py."""
from __future__ import annotations

import importlib.util

import numpy as np

from .. import _dtypes as d
from ._common import adapt_common

NAME = "numpy"

DTYPES = {
    d.bool_: np.dtype(bool), d.int8: np.dtype(np.int8), d.int16: np.dtype(np.int16),
    d.int32: np.dtype(np.int32), d.int64: np.dtype(np.int64), d.uint8: np.dtype(np.uint8),
    d.uint16: np.dtype(np.uint16), d.uint32: np.dtype(np.uint32), d.uint64: np.dtype(np.uint64),
    d.float16: np.dtype(np.float16), d.float32: np.dtype(np.float32),
    d.float64: np.dtype(np.float64), d.complex64: np.dtype(np.complex64),
    d.complex128: np.dtype(np.complex128),
}
EXTRA_NATIVE = {t.type: c for c, t in DTYPES.items()}
# NumPy has no bfloat16; ml_dtypes (a dependency of jax and tensorflow) adds one with ufuncs.
if importlib.util.find_spec("ml_dtypes") is not None:
    import ml_dtypes

    DTYPES[d.bfloat16] = np.dtype(ml_dtypes.bfloat16)
    EXTRA_NATIVE[ml_dtypes.bfloat16] = d.bfloat16


# Dtypes for which Python scalars can be passed straight to the ufunc: NumPy >= 2 treats them
# as weak (NEP 50) on either side, but not for ml_dtypes' bfloat16 (bfloat16 + 2.5 is float32).
SCALARS_OK = frozenset(c for c in DTYPES if c is not d.bfloat16)


def default_float() -> d.DType:
    return d.float64


def default_int() -> d.DType:
    return d.int64


def unsupported_dtype(dt: d.DType) -> str | None:
    if dt not in DTYPES:
        return "NumPy has no bfloat16 without the ml_dtypes package (pip install ml_dtypes)"
    return None


def adapt(name, fn, dt):
    if name == "matmul" and dt is d.bfloat16:
        return _matmul_bf16
    return adapt_common(name, fn, dt)


def device(x):
    return "cpu"


def astype(x, dtype, copy=True):
    return x.astype(dtype, copy=copy)


def scalar(v, dtype, like):
    return np.asarray(v, dtype=dtype)


def asarray(obj, dtype, device, copy):
    return np.asarray(obj, dtype=dtype, copy=copy)


# --- elementwise -------------------------------------------------------------------------------
add = np.add
subtract = np.subtract
multiply = np.multiply
divide = np.divide
floor_divide = np.floor_divide
remainder = np.remainder
fmod = np.fmod
power = np.power
maximum = np.maximum
minimum = np.minimum
arctan2 = np.arctan2
hypot = np.hypot
logaddexp = np.logaddexp
copysign = np.copysign
negative = np.negative
positive = np.positive
abs = np.abs  # noqa: A001
sign = np.sign
square = np.square
reciprocal = np.reciprocal
sqrt = np.sqrt
cbrt = np.cbrt
exp = np.exp
exp2 = np.exp2
expm1 = np.expm1
log = np.log
log1p = np.log1p
log2 = np.log2
log10 = np.log10
sin, cos, tan = np.sin, np.cos, np.tan
arcsin, arccos, arctan = np.arcsin, np.arccos, np.arctan
sinh, cosh, tanh = np.sinh, np.cosh, np.tanh
arcsinh, arccosh, arctanh = np.arcsinh, np.arccosh, np.arctanh
deg2rad = np.deg2rad
rad2deg = np.rad2deg
floor = np.floor
ceil = np.ceil
trunc = np.trunc
rint = np.rint
isnan = np.isnan
isinf = np.isinf
isfinite = np.isfinite
signbit = np.signbit
real = np.real
imag = np.imag
conj = np.conj
equal = np.equal
not_equal = np.not_equal
less = np.less
less_equal = np.less_equal
greater = np.greater
greater_equal = np.greater_equal
logical_and = np.logical_and
logical_or = np.logical_or
logical_xor = np.logical_xor
logical_not = np.logical_not
bitwise_and = np.bitwise_and
bitwise_or = np.bitwise_or
bitwise_xor = np.bitwise_xor
bitwise_not = np.invert
left_shift = np.left_shift
right_shift = np.right_shift


# --- reductions --------------------------------------------------------------------------------
def sum(x, axis, keepdims):  # noqa: A001
    return np.sum(x, axis=axis, keepdims=keepdims)


def prod(x, axis, keepdims):
    return np.prod(x, axis=axis, keepdims=keepdims)


def mean(x, axis, keepdims):
    return np.mean(x, axis=axis, keepdims=keepdims)


def var(x, axis, keepdims, ddof):
    return np.var(x, axis=axis, keepdims=keepdims, ddof=ddof)


def std(x, axis, keepdims, ddof):
    return np.std(x, axis=axis, keepdims=keepdims, ddof=ddof)


def max(x, axis, keepdims):  # noqa: A001
    return np.max(x, axis=axis, keepdims=keepdims)


def min(x, axis, keepdims):  # noqa: A001
    return np.min(x, axis=axis, keepdims=keepdims)


def all(x, axis, keepdims):  # noqa: A001
    return np.all(x, axis=axis, keepdims=keepdims)


def any(x, axis, keepdims):  # noqa: A001
    return np.any(x, axis=axis, keepdims=keepdims)


def argmax(x, axis, keepdims, idx):
    return np.asarray(np.argmax(x, axis=axis, keepdims=keepdims), dtype=idx)


def argmin(x, axis, keepdims, idx):
    return np.asarray(np.argmin(x, axis=axis, keepdims=keepdims), dtype=idx)


def count_nonzero(x, axis, keepdims, idx):
    return np.asarray(np.count_nonzero(x, axis=axis, keepdims=keepdims), dtype=idx)


def cumsum(x, axis):
    return np.cumsum(x, axis=axis)


def cumprod(x, axis):
    return np.cumprod(x, axis=axis)


# --- creation ----------------------------------------------------------------------------------
def zeros(shape, dtype, device):
    return np.zeros(shape, dtype=dtype)


def ones(shape, dtype, device):
    return np.ones(shape, dtype=dtype)


def empty(shape, dtype, device):
    return np.empty(shape, dtype=dtype)


def full(shape, fill_value, dtype, device):
    return np.full(shape, fill_value, dtype=dtype)


def arange(start, stop, step, dtype, device):
    return np.arange(start, stop, step, dtype=dtype)


def linspace(start, stop, num, endpoint, dtype, device):
    return np.linspace(start, stop, num, endpoint=endpoint, dtype=dtype)


def eye(n, m, k, dtype, device):
    return np.eye(n, m, k, dtype=dtype)


tril = np.tril
triu = np.triu


def meshgrid(arrays, indexing):
    return np.meshgrid(*arrays, indexing=indexing)


# --- shape -------------------------------------------------------------------------------------
reshape = np.reshape
transpose = np.transpose
expand_dims = np.expand_dims
squeeze = np.squeeze
concatenate = np.concatenate
stack = np.stack
broadcast_to = np.broadcast_to
flip = np.flip
roll = np.roll
tile = np.tile


def split(x, starts, sizes, axis):
    return np.split(x, starts[1:], axis=axis)


def repeat(x, repeats, axis):
    return np.repeat(x, repeats, axis=axis)


def pad(x, pad_width, mode, constant_values):
    if mode == "constant":
        return np.pad(x, pad_width, mode="constant", constant_values=constant_values)
    return np.pad(x, pad_width, mode=mode)


# --- indexing, sorting, products ----------------------------------------------------------------
where = np.where


def take(x, indices, axis):
    return np.take(x, indices, axis=axis)


def take_along_axis(x, indices, axis):
    return np.take_along_axis(x, indices, axis=axis)


def sort(x, axis, descending):
    out = np.sort(x, axis=axis, kind="stable")
    return np.flip(out, axis=axis) if descending else out


def argsort(x, axis, descending, idx):
    if not descending:
        return np.argsort(x, axis=axis, kind="stable").astype(idx, copy=False)
    # Stable descending: sort the reversed array ascending, reverse, map indices back (ties
    # keep index order, NaN comes first).
    n = x.shape[axis]
    r = np.flip(np.argsort(np.flip(x, axis=axis), axis=axis, kind="stable"), axis=axis)
    return (n - 1 - r).astype(idx, copy=False)


# ml_dtypes' bfloat16 has no matmul loop: NumPy answers in float32, so cast back.
def _same_dtype(out, like):
    return out if out.dtype == like.dtype else out.astype(like.dtype)


matmul = np.matmul


def _matmul_bf16(a, b):
    return _same_dtype(np.matmul(a, b), a)


def tensordot(a, b, axes_a, axes_b):
    return _same_dtype(np.tensordot(a, b, axes=(axes_a, axes_b)), a)


def einsum(subscripts, operands):
    return _same_dtype(np.asarray(np.einsum(subscripts, *operands)), operands[0])
