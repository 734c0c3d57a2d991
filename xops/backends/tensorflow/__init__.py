"""TensorFlow kernel table: op name -> native call. Arguments arrive normalised by xops dispatch
(same dtype, axes as sorted tuples of non-negative ints); see xops/_dispatch.py.

Mirrors xops/backends/numpy.py (same names, signatures, values and result dtypes) with core
``tf.*`` ops only: no ``tf.experimental.numpy`` (float64 defaults, gaps) and never
``experimental_enable_numpy_behavior``. Every kernel traces under
``tf.function(jit_compile=True)`` (Python branches only on dtype and static shape), leaves its
inputs alone, accepts ``tf.Variable`` inputs and is differentiable where the op is.

Hot elementwise kernels call ``tf.raw_ops`` through a one-line function: measured on tf 2.21
(CPU, small tensors) ``tf.raw_ops.AddV2(x=, y=)`` costs ~11us against ~19us for
``tf.math.add`` (which opens a name scope and re-converts its inputs); the same holds for sub,
mul, div, pow, floordiv, equal, abs, exp, sqrt, ... Where the ``tf.math`` function is already
thin (maximum, less, is_nan, negative, logical ops) it is aliased directly. Dtype gaps of tf's
kernels (unsigned abs/neg/sign/pow/matmul, bool comparisons, integer division by zero, ...) are
fixed once per (op, dtype) in :func:`adapt`, so the common dtypes pay nothing per call.
"""
from __future__ import annotations

import builtins
import contextlib
import math

import tensorflow as tf

from ... import _dtypes as d
from .. import _common

__all__ = list(_common.PACKAGE_NAMES)

NAME = "tensorflow"


# tf ops reject Python scalars of a mismatched kind and never treat them as weak: dispatch turns
# them into 0-d tensors of the computed dtype through scalar() below.
SCALARS_OK = False
# Every xops dtype is the tf dtype of the same name.
DTYPES = {c: getattr(tf, "bool" if c is d.bool_ else c.name) for c in d.ALL_DTYPES}


# tf dtypes are the only native dtype objects tf hands out (tensor.dtype); nothing extra.
EXTRA_NATIVE: dict = {}
R = tf.raw_ops
F16 = (tf.float16, tf.bfloat16)
COMPLEX = (tf.complex64, tf.complex128)


def default_float() -> d.DType:
    # TensorFlow's own default float (tf.constant(1.0), Keras layers): float32.
    return d.float32


def default_int() -> d.DType:
    # int64, not tf's int32 default: NumPy and torch agree on int64 indices and integer
    # defaults (argmax, arange, sum of int32), so xops gives the same dtypes on every backend.
    return d.int64


def unsupported_dtype(dt: d.DType) -> str | None:
    return None


def on_device(device):
    return contextlib.nullcontext() if device is None else tf.device(device)


def is_tensor(x) -> bool:
    return isinstance(x, (tf.Tensor, tf.Variable))


# --- Python data -> tensors --------------------------------------------------------------------
def _py_dtype(obj):
    """The widest tf dtype NumPy would give nested Python data (bool < int < float < complex)."""
    rank = 0
    big = False
    stack = [obj]
    while stack:
        o = stack.pop()
        if isinstance(o, (list, tuple)):
            stack.extend(o)
        elif isinstance(o, bool):
            pass
        elif isinstance(o, int):
            rank = rank if rank > 1 else 1
            big = big or o > 2 ** 63 - 1
        elif isinstance(o, float):
            rank = rank if rank > 2 else 2
        elif isinstance(o, complex):
            rank = 3
    if rank == 1 and big:
        return tf.uint64
    return (tf.bool, tf.int64, tf.float64, tf.complex128)[rank]


def const(v, dtype):
    """A tensor of ``dtype`` from Python data, casting like NumPy where tf.constant refuses
    (float to int truncates, int to bool is ``!= 0``, complex to real drops the imaginary)."""
    if is_tensor(v):
        return v if dtype is None or v.dtype == dtype else tf.cast(v, dtype)
    try:
        return tf.constant(v, dtype)
    except (TypeError, ValueError):
        if dtype is None:
            raise
    src_dt = _py_dtype(v)
    if dtype.is_integer and src_dt == tf.float64:
        _check_float_to_int(v, dtype)
    src = tf.constant(v, src_dt)
    if src.dtype in COMPLEX and dtype not in COMPLEX:
        src = tf.math.real(src)
    return tf.cast(src, dtype)


def _check_float_to_int(obj, dtype):
    """NumPy raises OverflowError when a Python float truncates outside an integer dtype."""
    lo, hi = dtype.min, dtype.max
    stack = [obj]
    while stack:
        o = stack.pop()
        if isinstance(o, (list, tuple)):
            stack.extend(o)
        elif isinstance(o, float) and math.isfinite(o) and not lo <= int(o) <= hi:
            raise OverflowError(f"Python integer {int(o)} out of bounds for {dtype.name}")


def _has_tensor(obj) -> bool:
    if is_tensor(obj):
        return True
    if isinstance(obj, (list, tuple)):
        return builtins.any(_has_tensor(e) for e in obj)
    return False


def _pack(obj, dtype):
    if is_tensor(obj):
        x = tf.convert_to_tensor(obj)
        return x if dtype is None or x.dtype == dtype else tf.cast(x, dtype)
    if isinstance(obj, (list, tuple)) and _has_tensor(obj):
        parts = [_pack(e, dtype) for e in obj]
        if dtype is None:
            dt = parts[0].dtype
            parts = [p if p.dtype == dt else tf.cast(p, dt) for p in parts]
        return tf.stack(parts)
    return const(obj, dtype)


# Array API inspection: tf.Tensor.__getitem__ takes no boolean masks (tf.boolean_mask does);
# nonzero/unique_* work eagerly and in tf.function graphs.
CAPABILITIES = {"boolean indexing": False, "data-dependent shapes": True, "max dimensions": None}


def devices():
    # the spelling tensors report in x.device
    return ["/job:localhost/replica:0/task:0" + d.name for d in tf.config.list_logical_devices()]


def default_device():
    devs = devices()
    gpus = [d for d in devs if "GPU" in d]  # tf places ops on the first GPU when there is one
    return (gpus or devs)[0]


def device(x):
    return x.device


def astype(x, dtype, copy=True):
    if x.dtype == dtype:
        return tf.identity(x) if copy else x
    if dtype == tf.bool and x.dtype.is_complex:
        # tf.cast reads only the real part; NumPy's truth value of a complex is x != 0
        return tf.math.not_equal(x, tf.zeros((), x.dtype))
    if x.dtype.is_floating and dtype.is_integer:
        return _float_to_int(x, dtype)
    return tf.cast(x, dtype)


def _float_to_int(x, dtype):
    """Float -> integer as XLA casts: truncate, NaN -> 0, out of range (and +-inf) saturate to
    the integer's min/max (tf's eager CPU cast is C's, undefined there: 300.0 -> uint8 is 44)."""
    lo, hi, top = _common.int_cast_bounds(d.canonical(dtype.name))
    fmax = float(x.dtype.max)
    big = x >= tf.constant(hi if hi <= fmax else math.inf, x.dtype)
    small = (x < tf.constant(lo if -lo <= fmax else -math.inf, x.dtype)) | \
        tf.math.equal(x, tf.constant(-math.inf, x.dtype))
    bad = big | small | tf.math.is_nan(x)
    out = tf.cast(tf.where(bad, tf.zeros([], x.dtype), x), dtype)
    out = tf.where(big, tf.constant(top, dtype), out)
    return tf.where(small, tf.constant(lo, dtype), out)


def scalar(v, dtype, like):
    try:
        return tf.constant(v, dtype)
    except (TypeError, ValueError):
        return const(v, dtype)


def asarray(obj, dtype, device, copy):
    with on_device(device):
        if is_tensor(obj):
            x = tf.convert_to_tensor(obj)  # a tf.Variable gives its value
            if dtype is not None and x.dtype != dtype:
                if copy is False:
                    raise ValueError("xops.numpy.asarray: casting to another dtype needs a copy "
                                     "but copy=False")
                return tf.cast(x, dtype)
            if copy:
                return tf.identity(x)
            return x
        if copy is False:
            raise ValueError("xops.numpy.asarray: making a tensor from Python data needs a copy "
                             "but copy=False")
        return _pack(obj, dtype)


# Whole-array sums of float/complex input, called directly by the sum(x) fast path (tf's
# reduce_max ignores NaN under XLA and its half-precision mean does not accumulate in float32,
# so those keep their kernels).
FULL_REDUCTIONS = {"sum": tf.math.reduce_sum}


def _autograph_skips_xops() -> None:
    """tf.function's autograph rewrites Python control flow of every function it meets, xops'
    own included; xops code is already graph-safe, and rewriting it failed intermittently
    ("tf__sort() takes 3 positional arguments but 4 were given"). Add xops to autograph's
    do-not-convert list, next to numpy and tensorflow themselves (its config has no public
    API; if it moves, autograph simply keeps converting)."""
    try:
        from tensorflow.python.autograph.core import config as ag_config
    except ImportError:  # pragma: no cover - private module moved
        return
    rule = ag_config.DoNotConvert("xops")
    if not builtins.any(str(r) == str(rule) for r in ag_config.CONVERSION_RULES):
        ag_config.CONVERSION_RULES = (rule, *ag_config.CONVERSION_RULES)


_autograph_skips_xops()


def known_true(b):
    if not tf.executing_eagerly():
        return False
    return bool(b)


def to64(x):
    """Integers as int64 for tf kernels that lack narrow/unsigned types; uint64 is bitcast, so
    wrapping arithmetic mod 2**64 (and hence mod 2**bits after the cast back) matches NumPy."""
    return tf.bitcast(x, tf.int64) if x.dtype == tf.uint64 else tf.cast(x, tf.int64)


def from64(y, dt):
    return tf.bitcast(y, tf.uint64) if dt == tf.uint64 else tf.cast(y, dt)
