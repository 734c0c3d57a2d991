"""NumPy kernel table: op name -> native call. Arguments arrive normalised by xops dispatch
(same dtype, axes as sorted tuples of non-negative ints); see xops/_dispatch.py."""
from __future__ import annotations

import importlib.util

import numpy as np

from .. import _dtypes as d
from . import _numpy_like
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


# Kernels named and called as in NumPy (see _numpy_like.py); the rest are NumPy's quirks.
globals().update(_numpy_like.kernels(np))


# Whole-array reductions for float/complex input, called directly by the sum(x) fast path.
FULL_REDUCTIONS = {"sum": np.sum, "mean": np.mean, "max": np.max, "min": np.min}


# ml_dtypes' bfloat16 has no matmul/einsum loops: NumPy answers in float32, so cast back.
def _same_dtype(out, like):
    return out if out.dtype == like.dtype else out.astype(like.dtype)


def _matmul_bf16(a, b):
    return _same_dtype(np.matmul(a, b), a)


def tensordot(a, b, axes_a, axes_b):
    return _same_dtype(np.tensordot(a, b, axes=(axes_a, axes_b)), a)


def einsum(subscripts, operands):
    return _same_dtype(np.asarray(np.einsum(subscripts, *operands)), operands[0])


# Kernel sections: one file per area, each listing its kernels in __all__.
from .linalg.numpy import *  # noqa: E402,F401,F403
from .fft.numpy import *  # noqa: E402,F401,F403
from .arrayapi.numpy import *  # noqa: E402,F401,F403
from .stats.numpy import *  # noqa: E402,F401,F403
from .extras.numpy import *  # noqa: E402,F401,F403
