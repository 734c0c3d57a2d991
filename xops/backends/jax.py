"""jax kernel table: op name -> jax.numpy call (jnp shares NumPy's names, so most lines are
aliases). Arguments arrive normalised by xops dispatch; see xops/_dispatch.py."""
from __future__ import annotations

import jax
import jax.numpy as jnp
import numpy as np

from .. import _dtypes as d
from ._common import adapt_common

NAME = "jax"

DTYPES = {
    d.bool_: np.dtype(bool), d.int8: np.dtype(np.int8), d.int16: np.dtype(np.int16),
    d.int32: np.dtype(np.int32), d.int64: np.dtype(np.int64), d.uint8: np.dtype(np.uint8),
    d.uint16: np.dtype(np.uint16), d.uint32: np.dtype(np.uint32), d.uint64: np.dtype(np.uint64),
    d.float16: np.dtype(np.float16), d.bfloat16: np.dtype(jnp.bfloat16),
    d.float32: np.dtype(np.float32), d.float64: np.dtype(np.float64),
    d.complex64: np.dtype(np.complex64), d.complex128: np.dtype(np.complex128),
}
# jax treats Python scalars as weak on either side of every jnp function.
SCALARS_OK = frozenset(DTYPES)
EXTRA_NATIVE = {getattr(jnp, c.name if c is not d.bool_ else "bool_"): c for c in DTYPES}

_X64_MSG = ("jax runs without x64 mode, where 64-bit types silently become 32-bit; enable it "
            "with jax.config.update('jax_enable_x64', True) or use a 32-bit dtype")


def _x64() -> bool:
    return bool(jax.config.jax_enable_x64)


def default_float() -> d.DType:
    return d.float64 if _x64() else d.float32


def default_int() -> d.DType:
    return d.int64 if _x64() else d.int32


def unsupported_dtype(dt: d.DType) -> str | None:
    if dt.bits == 64 and dt.kind in "iuf" and not _x64():
        return _X64_MSG
    if dt is d.complex128 and not _x64():
        return _X64_MSG
    return None


def adapt(name, fn, dt):
    return adapt_common(name, fn, dt)


def device(x):
    try:
        devs = x.devices()
    except Exception:  # noqa: BLE001 - tracers carry no committed device
        return None
    return next(iter(devs)) if len(devs) == 1 else None


def astype(x, dtype, copy=True):
    return x.astype(dtype)


def scalar(v, dtype, like):
    return jnp.asarray(v, dtype=dtype)


def asarray(obj, dtype, device, copy):
    if copy is False and isinstance(obj, jax.Array) and dtype is not None and obj.dtype != dtype:
        raise ValueError("xops.numpy.asarray: copy=False but a dtype change needs a copy")
    return jnp.array(obj, dtype=dtype, device=device) if copy else jnp.asarray(obj, dtype=dtype,
                                                                               device=device)


# --- elementwise -------------------------------------------------------------------------------
add = jnp.add
subtract = jnp.subtract
multiply = jnp.multiply
divide = jnp.divide
floor_divide = jnp.floor_divide
remainder = jnp.remainder
fmod = jnp.fmod
power = jnp.power
maximum = jnp.maximum
minimum = jnp.minimum
arctan2 = jnp.arctan2
hypot = jnp.hypot
logaddexp = jnp.logaddexp
copysign = jnp.copysign
negative = jnp.negative
positive = jnp.positive
abs = jnp.abs  # noqa: A001
sign = jnp.sign
square = jnp.square
reciprocal = jnp.reciprocal
sqrt = jnp.sqrt
cbrt = jnp.cbrt
exp = jnp.exp
exp2 = jnp.exp2
expm1 = jnp.expm1
log = jnp.log
log1p = jnp.log1p
log2 = jnp.log2
log10 = jnp.log10
sin, cos, tan = jnp.sin, jnp.cos, jnp.tan
arcsin, arccos, arctan = jnp.arcsin, jnp.arccos, jnp.arctan
sinh, cosh, tanh = jnp.sinh, jnp.cosh, jnp.tanh
arcsinh, arccosh, arctanh = jnp.arcsinh, jnp.arccosh, jnp.arctanh
deg2rad = jnp.deg2rad
rad2deg = jnp.rad2deg
floor = jnp.floor
ceil = jnp.ceil
trunc = jnp.trunc
rint = jnp.rint
isnan = jnp.isnan
isinf = jnp.isinf
isfinite = jnp.isfinite
signbit = jnp.signbit
real = jnp.real
imag = jnp.imag
conj = jnp.conj
equal = jnp.equal
not_equal = jnp.not_equal
less = jnp.less
less_equal = jnp.less_equal
greater = jnp.greater
greater_equal = jnp.greater_equal
logical_and = jnp.logical_and
logical_or = jnp.logical_or
logical_xor = jnp.logical_xor
logical_not = jnp.logical_not
bitwise_and = jnp.bitwise_and
bitwise_or = jnp.bitwise_or
bitwise_xor = jnp.bitwise_xor
bitwise_not = jnp.invert
left_shift = jnp.left_shift
right_shift = jnp.right_shift


# --- reductions --------------------------------------------------------------------------------
def sum(x, axis, keepdims):  # noqa: A001
    return jnp.sum(x, axis=axis, keepdims=keepdims, dtype=x.dtype)


def prod(x, axis, keepdims):
    return jnp.prod(x, axis=axis, keepdims=keepdims, dtype=x.dtype)


def mean(x, axis, keepdims):
    return jnp.mean(x, axis=axis, keepdims=keepdims)


def var(x, axis, keepdims, ddof):
    return jnp.var(x, axis=axis, keepdims=keepdims, ddof=ddof)


def std(x, axis, keepdims, ddof):
    return jnp.std(x, axis=axis, keepdims=keepdims, ddof=ddof)


def max(x, axis, keepdims):  # noqa: A001
    return jnp.max(x, axis=axis, keepdims=keepdims)


def min(x, axis, keepdims):  # noqa: A001
    return jnp.min(x, axis=axis, keepdims=keepdims)


def all(x, axis, keepdims):  # noqa: A001
    return jnp.all(x, axis=axis, keepdims=keepdims)


def any(x, axis, keepdims):  # noqa: A001
    return jnp.any(x, axis=axis, keepdims=keepdims)


def argmax(x, axis, keepdims, idx):
    return jnp.argmax(x, axis=axis, keepdims=keepdims).astype(idx)


def argmin(x, axis, keepdims, idx):
    return jnp.argmin(x, axis=axis, keepdims=keepdims).astype(idx)


def count_nonzero(x, axis, keepdims, idx):
    return jnp.count_nonzero(x, axis=axis, keepdims=keepdims).astype(idx)


def cumsum(x, axis):
    return jnp.cumsum(x, axis=axis, dtype=x.dtype)


def cumprod(x, axis):
    return jnp.cumprod(x, axis=axis, dtype=x.dtype)


# --- creation ----------------------------------------------------------------------------------
def zeros(shape, dtype, device):
    return jnp.zeros(shape, dtype=dtype, device=device)


def ones(shape, dtype, device):
    return jnp.ones(shape, dtype=dtype, device=device)


def empty(shape, dtype, device):
    return jnp.empty(shape, dtype=dtype, device=device)


def full(shape, fill_value, dtype, device):
    return jnp.full(shape, fill_value, dtype=dtype, device=device)


def arange(start, stop, step, dtype, device):
    return jnp.arange(start, stop, step, dtype=dtype, device=device)


def linspace(start, stop, num, endpoint, dtype, device):
    return jnp.linspace(start, stop, num, endpoint=endpoint, dtype=dtype, device=device)


def eye(n, m, k, dtype, device):
    return jnp.eye(n, m, k, dtype=dtype, device=device)


tril = jnp.tril
triu = jnp.triu


def meshgrid(arrays, indexing):
    return jnp.meshgrid(*arrays, indexing=indexing)


# --- shape -------------------------------------------------------------------------------------
reshape = jnp.reshape
transpose = jnp.transpose
expand_dims = jnp.expand_dims
squeeze = jnp.squeeze
concatenate = jnp.concatenate
stack = jnp.stack
broadcast_to = jnp.broadcast_to
flip = jnp.flip
roll = jnp.roll
tile = jnp.tile


def split(x, starts, sizes, axis):
    return jnp.split(x, starts[1:], axis=axis)


def repeat(x, repeats, axis):
    if isinstance(repeats, tuple):
        repeats = np.asarray(repeats)
    return jnp.repeat(x, repeats, axis=axis)


def pad(x, pad_width, mode, constant_values):
    if mode == "constant":
        return jnp.pad(x, pad_width, mode="constant", constant_values=constant_values)
    return jnp.pad(x, pad_width, mode=mode)


# --- indexing, sorting, products ----------------------------------------------------------------
where = jnp.where


def take(x, indices, axis):
    return jnp.take(x, indices, axis=axis)


def take_along_axis(x, indices, axis):
    return jnp.take_along_axis(x, indices, axis=axis)


def sort(x, axis, descending):
    out = jnp.sort(x, axis=axis, stable=True)
    return jnp.flip(out, axis=axis) if descending else out


def argsort(x, axis, descending, idx):
    if not descending:
        return jnp.argsort(x, axis=axis, stable=True).astype(idx)
    n = x.shape[axis]
    r = jnp.flip(jnp.argsort(jnp.flip(x, axis=axis), axis=axis, stable=True), axis=axis)
    return (n - 1 - r).astype(idx)


matmul = jnp.matmul


def tensordot(a, b, axes_a, axes_b):
    return jnp.tensordot(a, b, axes=(axes_a, axes_b))


def einsum(subscripts, operands):
    return jnp.einsum(subscripts, *operands)
