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
from .._common import adapt_common, identity

NAME = "tensorflow"
# tf ops reject Python scalars of a mismatched kind and never treat them as weak: dispatch turns
# them into 0-d tensors of the computed dtype through scalar() below.
SCALARS_OK = False

DTYPES = {
    d.bool_: tf.bool, d.int8: tf.int8, d.int16: tf.int16, d.int32: tf.int32, d.int64: tf.int64,
    d.uint8: tf.uint8, d.uint16: tf.uint16, d.uint32: tf.uint32, d.uint64: tf.uint64,
    d.float16: tf.float16, d.bfloat16: tf.bfloat16, d.float32: tf.float32,
    d.float64: tf.float64, d.complex64: tf.complex64, d.complex128: tf.complex128,
}
# tf dtypes are the only native dtype objects tf hands out (tensor.dtype); nothing extra.
EXTRA_NATIVE: dict = {}

R = tf.raw_ops
_F16 = (tf.float16, tf.bfloat16)
_COMPLEX = (tf.complex64, tf.complex128)


def default_float() -> d.DType:
    # TensorFlow's own default float (tf.constant(1.0), Keras layers): float32.
    return d.float32


def default_int() -> d.DType:
    # int64, not tf's int32 default: NumPy and torch agree on int64 indices and integer
    # defaults (argmax, arange, sum of int32), so xops gives the same dtypes on every backend.
    return d.int64


def unsupported_dtype(dt: d.DType) -> str | None:
    return None


def _on(device):
    return contextlib.nullcontext() if device is None else tf.device(device)


def _is_tensor(x) -> bool:
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


def _const(v, dtype):
    """A tensor of ``dtype`` from Python data, casting like NumPy where tf.constant refuses
    (float to int truncates, int to bool is ``!= 0``, complex to real drops the imaginary)."""
    if _is_tensor(v):
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
    if src.dtype in _COMPLEX and dtype not in _COMPLEX:
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
    if _is_tensor(obj):
        return True
    if isinstance(obj, (list, tuple)):
        return builtins.any(_has_tensor(e) for e in obj)
    return False


def _pack(obj, dtype):
    if _is_tensor(obj):
        x = tf.convert_to_tensor(obj)
        return x if dtype is None or x.dtype == dtype else tf.cast(x, dtype)
    if isinstance(obj, (list, tuple)) and _has_tensor(obj):
        parts = [_pack(e, dtype) for e in obj]
        if dtype is None:
            dt = parts[0].dtype
            parts = [p if p.dtype == dt else tf.cast(p, dt) for p in parts]
        return tf.stack(parts)
    return _const(obj, dtype)


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
        return _const(v, dtype)


def asarray(obj, dtype, device, copy):
    with _on(device):
        if _is_tensor(obj):
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


# --- elementwise -------------------------------------------------------------------------------
def _binary(op):
    def k(x1, x2):
        return op(x=x1, y=x2)

    k.__name__ = k.__qualname__ = op.__name__
    return k


def _unary(op):
    def k(x):
        return op(x=x)

    k.__name__ = k.__qualname__ = op.__name__
    return k


add = _binary(R.AddV2)
subtract = _binary(R.Sub)
multiply = _binary(R.Mul)
divide = _binary(R.RealDiv)
floor_divide = _binary(R.FloorDiv)  # integers and floats: see adapt (division by 0, NumPy's divmod)
remainder = _binary(R.FloorMod)     # idem
fmod = _binary(R.TruncateMod)       # C fmod; narrow ints, unsigned, float16: see adapt
power = _binary(R.Pow)
maximum = tf.math.maximum           # floats: NaN propagation enforced in adapt
minimum = tf.math.minimum


def arctan2(x1, x2):
    return R.Atan2(y=x1, x=x2)  # Atan2's inputs are named (y, x)


def _f32(fn):
    """Compute a float16/bfloat16 kernel in float32 and round back (NumPy's half loops)."""
    def k(*args):
        dt = args[0].dtype
        return tf.cast(fn(*[tf.cast(a, tf.float32) for a in args]), dt)

    return k


def hypot(x1, x2):
    a = tf.math.abs(x1)
    b = tf.math.abs(x2)
    m = tf.math.maximum(a, b)
    n = tf.math.minimum(a, b)
    r = tf.math.divide_no_nan(n, m)  # 0 when both are 0
    out = m * tf.math.sqrt(1 + r * r)  # scaled: no overflow for large finite inputs
    # NaN, then inf on top (hypot(inf, nan) is inf); XLA's max/min may drop a NaN
    out = tf.where(tf.math.is_nan(a) | tf.math.is_nan(b), a + b, out)
    return tf.where(tf.math.is_inf(a) | tf.math.is_inf(b), tf.constant(math.inf, a.dtype), out)


def logaddexp(x1, x2):
    # NumPy: equal inputs (incl. both +-inf) give x + log(2); else max + log1p(exp(-|x1 - x2|)).
    m = tf.math.maximum(x1, x2)
    out = m + tf.math.log1p(tf.math.exp(-tf.math.abs(x1 - x2)))
    out = tf.where(tf.math.is_nan(x1) | tf.math.is_nan(x2), x1 + x2, out)
    return tf.where(x1 == x2, x1 + tf.constant(math.log(2.0), x1.dtype), out)


def copysign(x1, x2):
    a = tf.math.abs(x1)
    return tf.where(signbit(x2), -a, a)


negative = tf.math.negative
positive = tf.identity
abs = _unary(R.Abs)  # noqa: A001
sign = _unary(R.Sign)
square = _unary(R.Square)
reciprocal = _unary(R.Reciprocal)
sqrt = _unary(R.Sqrt)


def cbrt(x):
    a = tf.math.abs(x)
    y = tf.math.pow(a, tf.constant(1.0 / 3.0, x.dtype))
    # One Newton step makes exact cubes exact: y - (y - a / y^2) / 3 (no y^3, so no overflow).
    ny = y - (y - a / (y * y)) / tf.constant(3.0, x.dtype)
    y = tf.where(tf.math.is_finite(ny) & (y > 0), ny, y)
    return tf.where(signbit(x), -y, y)


exp = _unary(R.Exp)


def exp2(x):
    return R.Pow(x=tf.constant(2.0, x.dtype), y=x)


expm1 = _unary(R.Expm1)
log = _unary(R.Log)
log1p = _unary(R.Log1p)


def log2(x):
    return R.Log(x=x) * tf.constant(1.0 / math.log(2.0), x.dtype)


def log10(x):
    return R.Log(x=x) * tf.constant(1.0 / math.log(10.0), x.dtype)


sin, cos, tan = _unary(R.Sin), _unary(R.Cos), _unary(R.Tan)
arcsin, arccos, arctan = _unary(R.Asin), _unary(R.Acos), _unary(R.Atan)
sinh, cosh, tanh = _unary(R.Sinh), _unary(R.Cosh), _unary(R.Tanh)
arcsinh, arccosh, arctanh = _unary(R.Asinh), _unary(R.Acosh), _unary(R.Atanh)


def deg2rad(x):
    return R.Mul(x=x, y=tf.constant(math.pi / 180.0, x.dtype))


def rad2deg(x):
    return R.Mul(x=x, y=tf.constant(180.0 / math.pi, x.dtype))


floor = _unary(R.Floor)
ceil = _unary(R.Ceil)


def trunc(x):
    return tf.where(x < tf.zeros([], x.dtype), R.Ceil(x=x), R.Floor(x=x))


rint = _unary(R.Round)  # tf's Round is half-to-even, like NumPy's rint
isnan = tf.math.is_nan
isinf = tf.math.is_inf
isfinite = tf.math.is_finite

_BITS_INT = {tf.float16: tf.int16, tf.bfloat16: tf.int16, tf.float32: tf.int32,
             tf.float64: tf.int64}


def signbit(x):
    # Bit test, so -0.0 and negative NaN count (x < 0 misses both).
    it = _BITS_INT[x.dtype]
    return tf.bitcast(x, it) < tf.zeros([], it)


real = tf.math.real
imag = tf.math.imag
conj = tf.math.conj
equal = _binary(R.Equal)
not_equal = _binary(R.NotEqual)
less = tf.math.less
less_equal = tf.math.less_equal
greater = tf.math.greater
greater_equal = tf.math.greater_equal
logical_and = tf.math.logical_and
logical_or = tf.math.logical_or
logical_xor = tf.math.logical_xor
logical_not = tf.math.logical_not
bitwise_and = tf.bitwise.bitwise_and
bitwise_or = tf.bitwise.bitwise_or
bitwise_xor = tf.bitwise.bitwise_xor
bitwise_not = tf.bitwise.invert
left_shift = tf.bitwise.left_shift
right_shift = tf.bitwise.right_shift


# --- dtype-specific routing (dispatch calls adapt once per (op, dtype) and caches) -------------
def _to64(x):
    """Integers as int64 for tf kernels that lack narrow/unsigned types; uint64 is bitcast, so
    wrapping arithmetic mod 2**64 (and hence mod 2**bits after the cast back) matches NumPy."""
    return tf.bitcast(x, tf.int64) if x.dtype == tf.uint64 else tf.cast(x, tf.int64)


def _from64(y, dt):
    return tf.bitcast(y, tf.uint64) if dt == tf.uint64 else tf.cast(y, dt)


def _via64(fn):
    def k(*args):
        dt = args[0].dtype
        return _from64(fn(*[_to64(a) for a in args]), dt)

    return k


def _nan_first(fn):
    """NumPy's maximum/minimum: a NaN in either input gives NaN (XLA and some kernels drop it)."""
    def k(x1, x2):
        return tf.where(tf.math.is_nan(x1), x1, tf.where(tf.math.is_nan(x2), x2, fn(x1, x2)))

    return k


def _int_div_guard(fn):
    """Integer x // 0 and x % 0 raise in tf; NumPy gives 0 (with a warning)."""
    def k(x1, x2):
        zero = tf.zeros([], x2.dtype)
        bad = tf.math.equal(x2, zero)
        safe = tf.where(bad, tf.ones([], x2.dtype), x2)
        out = fn(x1, safe)
        return tf.where(bad, tf.zeros([], out.dtype), out)

    return k


def _npy_divmod(a, b):
    """NumPy's npy_divmod for floats: (floor quotient, remainder), both snapped like CPython."""
    zero = tf.zeros([], a.dtype)
    one = tf.ones([], a.dtype)
    mod = R.TruncateMod(x=a, y=b)
    div = (a - mod) / b
    adj = tf.math.not_equal(mod, zero) & tf.math.not_equal(b < zero, mod < zero)
    mod = tf.where(adj, mod + b, mod)
    div = tf.where(adj, div - one, div)
    mod = tf.where(tf.math.equal(mod, zero), copysign(tf.zeros_like(b), b), mod)
    fl = tf.math.floor(div)
    fl = tf.where(div - fl > tf.constant(0.5, a.dtype), fl + one, fl)
    fl = tf.where(tf.math.equal(div, zero), copysign(tf.zeros_like(div), a / b), fl)
    return fl, mod


def _floor_divide_float(a, b):
    fl, _ = _npy_divmod(a, b)
    return tf.where(tf.math.equal(b, tf.zeros([], b.dtype)), a / b, fl)


def _remainder_float(a, b):
    _, mod = _npy_divmod(a, b)
    return tf.where(tf.math.equal(b, tf.zeros([], b.dtype)), R.TruncateMod(x=a, y=b), mod)


def _shift_guard(fn, left):
    """NumPy: shifting by < 0 or >= the bit width gives 0 (right shift of a negative: -1); tf
    clamps the shift count instead."""
    def k(x1, x2):
        bits = x1.dtype.size * 8
        out_of_range = (x2 >= tf.constant(bits, x2.dtype))
        if not x2.dtype.is_unsigned:
            out_of_range = out_of_range | (x2 < tf.zeros([], x2.dtype))
        safe = tf.where(out_of_range, tf.zeros([], x2.dtype), x2)
        out = fn(x1, safe)
        if left or x1.dtype.is_unsigned:
            fill = tf.zeros([], x1.dtype)
        else:
            fill = tf.where(x1 < tf.zeros([], x1.dtype), -tf.ones([], x1.dtype),
                            tf.zeros([], x1.dtype))
        return tf.where(out_of_range, fill, out)

    return k


def _false(x):
    return tf.zeros_like(x, dtype=tf.bool)


def _true(x):
    return tf.ones_like(x, dtype=tf.bool)


def _imag_zero(x):
    return tf.zeros_like(x)


def _neg_unsigned(x):
    # -x mod 2**bits as ~x + 1: grappler rewrites 0 - x into Neg, which has no unsigned kernel
    return R.AddV2(x=tf.bitwise.invert(x), y=tf.ones([], x.dtype))


def _sign_unsigned(x):
    return tf.cast(x > tf.zeros([], x.dtype), x.dtype)


def _int_signbit(x):
    return x < tf.zeros([], x.dtype)


def _cscale(base):
    """log2/log10 of complex: scale the parts (a complex product would turn -inf+0j into
    -inf+nanj)."""
    def k(x):
        lg = R.Log(x=x)
        c = tf.constant(1.0 / math.log(base), x.dtype.real_dtype)
        return tf.complex(tf.math.real(lg) * c, tf.math.imag(lg) * c)

    return k


def _divide_complex(a, b):
    """NumPy's complex division (Smith's algorithm; x / 0 gives a complex inf or nan)."""
    ar, ai = tf.math.real(a), tf.math.imag(a)
    br, bi = tf.math.real(b), tf.math.imag(b)
    abr, abi = tf.math.abs(br), tf.math.abs(bi)
    zero = tf.zeros([], br.dtype)
    one = tf.ones([], br.dtype)
    first = abr >= abi
    both_zero = tf.math.equal(abr, zero) & tf.math.equal(abi, zero)
    # branch 1: |br| >= |bi|
    rat1 = tf.math.divide_no_nan(bi, br)
    scl1 = one / (br + bi * rat1)
    r1 = (ar + ai * rat1) * scl1
    i1 = (ai - ar * rat1) * scl1
    r1 = tf.where(both_zero, ar / abr, r1)
    i1 = tf.where(both_zero, ai / abr, i1)
    # branch 2
    rat2 = br / bi
    scl2 = one / (bi + br * rat2)
    r2 = (ar * rat2 + ai) * scl2
    i2 = (ai * rat2 - ar) * scl2
    return tf.complex(tf.where(first, r1, r2), tf.where(first, i1, i2))


def _power_complex(a, b):
    """NumPy's complex power special cases: z**0 = 1, 0**p = 0 for real(p) > 0, else nan."""
    out = R.Pow(x=a, y=b)
    zero = tf.zeros([], a.dtype)
    br = tf.math.real(b)
    nan = tf.constant(complex(math.nan, math.nan), a.dtype)
    base0 = tf.where(br > tf.zeros([], br.dtype), zero, nan)
    out = tf.where(tf.math.equal(a, zero), base0, out)
    return tf.where(tf.math.equal(b, zero), tf.ones([], a.dtype), out)


def _rint_complex(x):
    return tf.complex(R.Round(x=tf.math.real(x)), R.Round(x=tf.math.imag(x)))


def _isnan_complex(x):
    return tf.math.is_nan(tf.math.real(x)) | tf.math.is_nan(tf.math.imag(x))


def _isinf_complex(x):
    return tf.math.is_inf(tf.math.real(x)) | tf.math.is_inf(tf.math.imag(x))


def _isfinite_complex(x):
    return tf.math.is_finite(tf.math.real(x)) & tf.math.is_finite(tf.math.imag(x))


def _bool_less(a, b):
    return tf.math.logical_and(tf.math.logical_not(a), b)


def _bool_less_equal(a, b):
    return tf.math.logical_or(tf.math.logical_not(a), b)


def _bool_greater(a, b):
    return tf.math.logical_and(a, tf.math.logical_not(b))


def _bool_greater_equal(a, b):
    return tf.math.logical_or(a, tf.math.logical_not(b))


_BOOL = {
    "less": _bool_less, "less_equal": _bool_less_equal, "greater": _bool_greater,
    "greater_equal": _bool_greater_equal, "bitwise_and": tf.math.logical_and,
    "bitwise_or": tf.math.logical_or, "bitwise_xor": tf.math.logical_xor,
    "bitwise_not": tf.math.logical_not, "isnan": _false, "isinf": _false, "isfinite": _true,
    "imag": _imag_zero,
}
_COMPLEX_K = {
    "abs": tf.math.abs, "log2": _cscale(2.0), "log10": _cscale(10.0),
    "divide": _divide_complex, "power": _power_complex, "rint": _rint_complex,
    "isnan": _isnan_complex, "isinf": _isinf_complex, "isfinite": _isfinite_complex,
}
# Float kernels computed in float32 for float16/bfloat16 (NumPy's half loops do the same).
_HALF_IN_F32 = frozenset({"hypot", "logaddexp", "cbrt", "floor_divide", "remainder", "fmod"})


def adapt(name, fn, dt):
    fn = adapt_common(name, fn, dt)
    kind = dt.kind
    if kind == "b":
        return _BOOL.get(name, fn)
    if kind == "c":
        if name == "imag" or name == "real":
            return fn
        return _COMPLEX_K.get(name, fn)
    if kind == "f":
        if name in ("maximum", "minimum"):
            return _nan_first(fn)
        if name == "erfinv":
            return _erfinv
        if name == "sign":
            return _sign_float
        if name == "floor_divide":
            fn = _floor_divide_float
        elif name == "remainder":
            fn = _remainder_float
        if name in _HALF_IN_F32 and dt in (d.float16, d.bfloat16):
            return _f32(fn)
        return fn
    # integers
    if name == "power" and kind == "i":
        return _int_power
    if name in ("isnan", "isinf", "imag"):
        return _BOOL[name]
    if name == "isfinite":
        return _true
    if name in ("floor_divide", "remainder"):
        return _int_div_guard(fn)
    if name == "fmod":
        if kind == "u":  # unsigned: truncated and floored remainders agree
            return _int_div_guard(_binary(R.FloorMod))
        if dt.bits < 32:
            return _int_div_guard(_via64(fn))
        return _int_div_guard(fn)
    if name in ("left_shift", "right_shift"):
        return _shift_guard(fn, name == "left_shift")
    if kind == "i":
        if name == "signbit":
            return _int_signbit
        return fn
    # unsigned
    if name == "abs":
        return identity
    if name == "negative":
        return _neg_unsigned
    if name == "sign":
        return _sign_unsigned
    if name == "power":
        return _via64(fn)
    if name == "signbit":
        return _false
    return fn


# --- reductions --------------------------------------------------------------------------------
def _ax(axis):
    return None if axis is None else list(axis)


_NARROW_INT = (tf.bool, tf.int8, tf.int16, tf.int32)
_NARROW_UINT = (tf.uint8, tf.uint16, tf.uint32)


def _acc(x):
    """Dispatch has already cast to the accumulation dtype (NumPy's, or an explicit narrow
    ``dtype=``, which must be kept); only bool, which tf cannot sum, becomes int64."""
    return tf.cast(x, tf.int64) if x.dtype == tf.bool else x


# Whole-array sums of float/complex input, called directly by the sum(x) fast path (tf's
# reduce_max ignores NaN under XLA and its half-precision mean does not accumulate in float32,
# so those keep their kernels).
FULL_REDUCTIONS = {"sum": tf.math.reduce_sum}


def sum(x, axis, keepdims):  # noqa: A001
    return tf.math.reduce_sum(_acc(x), _ax(axis), keepdims)


def prod(x, axis, keepdims):
    return tf.math.reduce_prod(_acc(x), _ax(axis), keepdims)


def mean(x, axis, keepdims):
    dt = x.dtype
    ax = _ax(axis)
    if dt in _F16:  # accumulate halves in float32, like NumPy
        return tf.cast(tf.math.reduce_mean(tf.cast(x, tf.float32), ax, keepdims), dt)
    if dt in _COMPLEX:  # part by part: tf's complex mean of nothing is 0, NumPy's nan+nanj
        return tf.complex(tf.math.reduce_mean(tf.math.real(x), ax, keepdims),
                          tf.math.reduce_mean(tf.math.imag(x), ax, keepdims))
    return tf.math.reduce_mean(x, ax, keepdims)


def _count(x, axis, dtype):
    """Number of reduced elements, a Python int when the shape is static."""
    shape = x.shape
    dims = range(len(shape)) if axis is None else axis
    static = [shape[i] for i in dims]
    if builtins.all(s is not None for s in static):
        return math.prod(static)
    dyn = tf.shape(x, out_type=tf.int64)
    return tf.cast(tf.reduce_prod(tf.gather(dyn, list(dims))), dtype)


def var(x, axis, keepdims, ddof):
    dt = x.dtype
    if dt in _F16:
        return tf.cast(var(tf.cast(x, tf.float32), axis, keepdims, ddof), dt)
    ax = _ax(axis)
    dev = x - mean(x, axis, True)
    if dt in _COMPLEX:
        re, im = tf.math.real(dev), tf.math.imag(dev)
        sq = re * re + im * im
    else:
        sq = dev * dev
    s = tf.math.reduce_sum(sq, ax, keepdims)
    n = _count(x, axis, s.dtype)
    if isinstance(n, int):
        # NumPy divides by max(n - ddof, 0): inf (or nan for 0/0) when nothing is left
        return s / tf.constant(builtins.max(n - ddof, 0), s.dtype)
    return s / tf.math.maximum(n - tf.constant(ddof, s.dtype), tf.zeros([], s.dtype))


def std(x, axis, keepdims, ddof):
    return tf.math.sqrt(var(x, axis, keepdims, ddof))


def _extreme(x, axis, keepdims, reduce, reduce_bool):
    dt = x.dtype
    ax = _ax(axis)
    if dt == tf.bool:
        return reduce_bool(x, ax, keepdims)
    out = reduce(x, ax, keepdims)
    if dt.is_floating:  # tf (and XLA) reductions skip NaN; NumPy propagates it
        nan = tf.math.reduce_any(tf.math.is_nan(x), ax, keepdims)
        out = tf.where(nan, tf.constant(math.nan, dt), out)
    return out


def max(x, axis, keepdims):  # noqa: A001
    return _extreme(x, axis, keepdims, tf.math.reduce_max, tf.math.reduce_any)


def min(x, axis, keepdims):  # noqa: A001
    return _extreme(x, axis, keepdims, tf.math.reduce_min, tf.math.reduce_all)


def all(x, axis, keepdims):  # noqa: A001
    if x.dtype != tf.bool:
        x = tf.math.not_equal(x, tf.zeros([], x.dtype))
    return tf.math.reduce_all(x, _ax(axis), keepdims)


def any(x, axis, keepdims):  # noqa: A001
    if x.dtype != tf.bool:
        x = tf.math.not_equal(x, tf.zeros([], x.dtype))
    return tf.math.reduce_any(x, _ax(axis), keepdims)


def _argext(x, axis, keepdims, idx, reduce):
    # First index of the extreme (tf.argmax does not promise the first on ties); the first NaN
    # counts as the extreme, as in NumPy.
    nd = len(x.shape)
    if axis is None:
        x = tf.reshape(x, [-1])
        ax = 0
    else:
        ax = axis
    if x.dtype == tf.bool:
        x = tf.cast(x, tf.int8)
    m = reduce(x, ax, keepdims=True)
    hit = tf.math.equal(x, m)
    if x.dtype.is_floating:
        isn = tf.math.is_nan(x)
        hit = tf.where(tf.math.reduce_any(isn, ax, keepdims=True), isn, hit)
    n = tf.shape(x, out_type=idx)[ax]
    iota = tf.range(n, dtype=idx)
    r = len(x.shape)
    iota = tf.reshape(iota, [1] * ax + [-1] + [1] * (r - ax - 1))
    out = tf.math.reduce_min(tf.where(hit, iota, n), ax, keepdims=keepdims)
    if axis is None and keepdims:
        out = tf.reshape(out, [1] * nd)
    return out


def argmax(x, axis, keepdims, idx):
    return _argext(x, axis, keepdims, idx, tf.math.reduce_max)


def argmin(x, axis, keepdims, idx):
    return _argext(x, axis, keepdims, idx, tf.math.reduce_min)


def count_nonzero(x, axis, keepdims, idx):
    if x.dtype != tf.bool:
        x = tf.math.not_equal(x, tf.zeros([], x.dtype))
    return tf.math.reduce_sum(tf.cast(x, idx), _ax(axis), keepdims)


# XLA has no unsigned or complex Cumsum/Cumprod: unsigned scans run in int64 (same bits mod
# 2**64), complex sums part by part, complex products as a log-depth scan of static length.
def cumsum(x, axis):
    x = _acc(x)
    dt = x.dtype
    if dt == tf.uint64:
        return tf.bitcast(tf.math.cumsum(tf.bitcast(x, tf.int64), axis), tf.uint64)
    if dt in _COMPLEX:
        return tf.complex(tf.math.cumsum(tf.math.real(x), axis),
                          tf.math.cumsum(tf.math.imag(x), axis))
    return tf.math.cumsum(x, axis)


def cumprod(x, axis):
    x = _acc(x)
    dt = x.dtype
    if dt == tf.uint64:
        return tf.bitcast(tf.math.cumprod(tf.bitcast(x, tf.int64), axis), tf.uint64)
    n = x.shape[axis]
    if dt in _COMPLEX and n is not None:
        nd = len(x.shape)
        s = 1
        while s < n:  # Hillis-Steele: x[i] *= x[i - s]
            head = [slice(None)] * nd
            head[axis] = slice(0, n - s)
            ones = tf.ones(tf.stack([tf.shape(x)[i] if i != axis else s for i in range(nd)]), dt)
            x = x * tf.concat([ones, x[tuple(head)]], axis)
            s *= 2
        return x
    return tf.math.cumprod(x, axis)


# --- creation ----------------------------------------------------------------------------------
def zeros(shape, dtype, device):
    with _on(device):
        return tf.zeros(shape, dtype)


def ones(shape, dtype, device):
    with _on(device):
        return tf.ones(shape, dtype)


def empty(shape, dtype, device):
    with _on(device):
        return tf.zeros(shape, dtype)


def full(shape, fill_value, dtype, device):
    with _on(device):
        v = _const(fill_value, dtype)
        if len(v.shape) == 0:
            return tf.fill(shape, v)
        return tf.broadcast_to(v, shape)


def arange(start, stop, step, dtype, device):
    # NumPy's algorithm: length ceil((stop - start) / step); values first + i * delta with
    # first = dtype(start), delta = dtype(start + step) - first, computed in the dtype (float32
    # for half types). tf.range accumulates instead, which drifts for float steps.
    n = int(builtins.max(math.ceil((stop - start) / step), 0))
    with _on(device):
        if n == 0:
            return tf.zeros([0], dtype)
        if dtype.is_floating:
            ct = tf.float32 if dtype in _F16 else dtype
        elif dtype.is_complex:
            ct = dtype
        else:
            ct = None  # integers and bool: exact in int64 (wrapping like NumPy's fill)
        if ct is None:
            first = _to64(_const(start, dtype)) if dtype != tf.bool else \
                tf.cast(_const(start, dtype), tf.int64)
            if n == 1:
                return tf.reshape(_const(start, dtype), [1])
            second = _to64(_const(start + step, dtype)) if dtype != tf.bool else \
                tf.cast(_const(start + step, dtype), tf.int64)
            vals = first + tf.range(n, dtype=tf.int64) * (second - first)
            if dtype == tf.bool:
                return tf.cast(vals, tf.bool)
            return _from64(vals, dtype)
        first = tf.cast(_const(start, dtype), ct)
        if n == 1:
            return tf.cast(tf.reshape(first, [1]), dtype)
        delta = tf.cast(_const(start + step, dtype), ct) - first
        vals = first + tf.cast(tf.range(n, dtype=tf.int64), ct) * delta
        return tf.cast(vals, dtype)


def linspace(start, stop, num, endpoint, dtype, device):
    # NumPy computes in float64 (complex128 for complex data), then floors for integer dtypes.
    cplx = dtype.is_complex or builtins.any(isinstance(v, complex) or
                                            (_is_tensor(v) and v.dtype.is_complex)
                                            for v in (start, stop))
    ct = tf.complex128 if cplx else tf.float64
    div = (num - 1) if endpoint else num
    with _on(device):
        s = _const(start, ct)
        e = _const(stop, ct)
        delta = e - s
        y = tf.cast(tf.range(num, dtype=tf.int64), ct)
        if div > 0:
            step = delta / tf.constant(div, ct)
            zero_step = tf.math.equal(step, tf.zeros([], ct))
            y = tf.where(zero_step, y / tf.constant(div, ct) * delta, y * step)
        else:
            y = y * delta
        y = y + s
        if endpoint and num > 1:
            y = tf.concat([y[:-1], tf.reshape(e, [1])], 0)
        if dtype.is_integer:
            y = tf.math.floor(y)
        if cplx and not dtype.is_complex:
            y = tf.math.real(y)
        return tf.cast(y, dtype)


def eye(n, m, k, dtype, device):
    with _on(device):
        rows = tf.range(n)[:, None]
        cols = tf.range(m)[None, :]
        return tf.cast(tf.math.equal(cols - rows, k), dtype)


def _tri_mask(x, k, lower):
    shape = tf.shape(x)
    rows = tf.range(shape[-2])[:, None]
    cols = tf.range(shape[-1])[None, :]
    return (cols - rows <= k) if lower else (cols - rows >= k)


def tril(x, k=0):
    return tf.where(_tri_mask(x, k, True), x, tf.zeros([], x.dtype))


def triu(x, k=0):
    return tf.where(_tri_mask(x, k, False), x, tf.zeros([], x.dtype))


def meshgrid(arrays, indexing):
    # tf.meshgrid multiplies by ones (no bool); reshape + broadcast works for every dtype.
    arrays = [tf.convert_to_tensor(a) for a in arrays]
    n = len(arrays)
    if n == 0:
        return []
    sizes = [tf.shape(a)[0] for a in arrays]
    pos = list(range(n))
    if indexing == "xy" and n >= 2:
        pos[0], pos[1] = 1, 0
    out_shape = [None] * n
    for i, p in enumerate(pos):
        out_shape[p] = sizes[i]
    out_shape = tf.stack(out_shape)
    out = []
    for i, a in enumerate(arrays):
        shp = [1] * n
        shp[pos[i]] = -1
        out.append(tf.broadcast_to(tf.reshape(a, shp), out_shape))
    return out


# --- shape -------------------------------------------------------------------------------------
reshape = tf.reshape
transpose = tf.transpose
expand_dims = tf.expand_dims
squeeze = tf.squeeze
concatenate = tf.concat
stack = tf.stack
broadcast_to = tf.broadcast_to
flip = tf.reverse
roll = tf.roll


def tile(x, reps):
    if x.dtype == tf.uint16:  # no uint16 Tile kernel: same bits as int16
        return tf.bitcast(tf.tile(tf.bitcast(x, tf.int16), reps), tf.uint16)
    return tf.tile(x, reps)


def split(x, starts, sizes, axis):
    return tf.split(x, list(sizes), axis)


def repeat(x, repeats, axis):
    if x.dtype == tf.uint16:  # no uint16 kernel (repeat is built on tile)
        return tf.bitcast(tf.repeat(tf.bitcast(x, tf.int16), repeats, axis), tf.uint16)
    return tf.repeat(x, repeats, axis)


def pad(x, pad_width, mode, constant_values):
    if mode == "constant":
        return tf.pad(x, pad_width, "CONSTANT", _const(constant_values, x.dtype))
    if mode in ("reflect", "symmetric"):
        limit = 1 if mode == "reflect" else 0
        shape = x.shape
        if builtins.all(n is not None and builtins.max(a, b) <= n - limit
                        for (a, b), n in zip(pad_width, shape)):
            return tf.pad(x, pad_width, mode.upper())
    # tf.pad cannot: edge, wrap, and reflections wider than the axis (NumPy repeats them).
    # Gather along each axis with the source index of every output position.
    for ax, (a, b) in enumerate(pad_width):
        if not a and not b:
            continue
        n = tf.shape(x, out_type=tf.int64)[ax]
        i = tf.range(-a, n + b, dtype=tf.int64)
        if mode == "edge":
            i = tf.clip_by_value(i, 0, n - 1)
        elif mode == "wrap":
            i = tf.math.floormod(i, n)
        elif mode == "reflect":
            p = tf.math.maximum(2 * (n - 1), 1)
            i = tf.math.floormod(i, p)
            i = tf.where(i >= n, p - i, i)
        else:  # symmetric
            p = 2 * n
            i = tf.math.floormod(i, p)
            i = tf.where(i >= n, p - 1 - i, i)
        x = tf.gather(x, i, axis=ax)
    return x


# --- indexing, sorting, products ----------------------------------------------------------------
def where(condition, x1, x2):
    # SelectV2 broadcasts and takes every dtype, bool branches included (raw: ~15% faster
    # than tf.where)
    return R.SelectV2(condition=condition, t=x1, e=x2)


def _index(indices, n):
    """Indices as int32/int64 with negative ones counted from the end (NumPy's take)."""
    if indices.dtype.is_unsigned:
        return tf.cast(indices, tf.int64)
    if indices.dtype not in (tf.int32, tf.int64):
        indices = tf.cast(indices, tf.int64)
    n = tf.cast(n, indices.dtype)
    return tf.where(indices < tf.zeros([], indices.dtype), indices + n, indices)


@contextlib.contextmanager
def _index_error(name):
    """Eagerly, tf raises InvalidArgumentError for an out-of-range gather index; xops raises
    IndexError as NumPy does (under tf.function the result for such indices is unspecified: XLA
    clamps them)."""
    try:
        yield
    except tf.errors.InvalidArgumentError as e:
        raise IndexError(f"xops.numpy.{name}: {e.message.splitlines()[0]}") from None


def take(x, indices, axis):
    with _index_error("take"):
        return tf.gather(x, _index(indices, tf.shape(x, out_type=tf.int64)[axis]), axis=axis)


def take_along_axis(x, indices, axis):
    with _index_error("take_along_axis"):
        return _take_along_axis(x, indices, axis)


def _take_along_axis(x, indices, axis):
    nd = len(x.shape)
    idx = _index(indices, tf.shape(x, out_type=tf.int64)[axis])
    # Broadcast the other axes against each other (NumPy does), keeping each own axis length.
    sx, si = x.shape.as_list(), idx.shape.as_list()
    if not (None not in sx and None not in si and
            sx[:axis] + sx[axis + 1:] == si[:axis] + si[axis + 1:]):
        dx, di = tf.shape(x), tf.shape(idx, out_type=tf.int32)
        one = tf.ones([1], tf.int32)
        b = tf.broadcast_dynamic_shape(tf.concat([dx[:axis], one, dx[axis + 1:]], 0),
                                       tf.concat([di[:axis], one, di[axis + 1:]], 0))
        x = tf.broadcast_to(x, tf.concat([b[:axis], dx[axis:axis + 1], b[axis + 1:]], 0))
        idx = tf.broadcast_to(idx, tf.concat([b[:axis], di[axis:axis + 1], b[axis + 1:]], 0))
    if axis == nd - 1:
        return tf.gather(x, idx, axis=axis, batch_dims=nd - 1)
    perm = [i for i in range(nd) if i != axis] + [axis]
    inv = [0] * nd
    for i, p in enumerate(perm):
        inv[p] = i
    out = tf.gather(tf.transpose(x, perm), tf.transpose(idx, perm), axis=nd - 1,
                    batch_dims=nd - 1)
    return tf.transpose(out, inv)


_NARROW = (tf.bool, tf.int8, tf.int16, tf.uint8, tf.uint16)


def _sort_key(x):
    """An int32/int64 tensor ordered exactly as NumPy sorts ``x`` (-0.0 == 0.0, NaN last)."""
    dt = x.dtype
    if dt in _NARROW:
        return tf.cast(x, tf.int32)
    if dt == tf.uint32:
        return tf.cast(x, tf.int64)
    if dt == tf.uint64:
        return tf.bitcast(tf.bitwise.bitwise_xor(x, tf.constant(1 << 63, tf.uint64)), tf.int64)
    if dt.is_integer:
        return x
    if dt in _F16:
        x = tf.cast(x, tf.float32)  # exact
    it = tf.int64 if x.dtype == tf.float64 else tf.int32
    zero = tf.zeros([], x.dtype)
    x = tf.where(tf.math.equal(x, zero), zero, x)  # -0.0 sorts with 0.0
    x = tf.where(tf.math.is_nan(x), tf.constant(math.nan, x.dtype), x)  # one positive NaN
    bits = tf.bitcast(x, it)
    mag = tf.constant((1 << (it.size * 8 - 1)) - 1, it)
    # sign-magnitude -> two's complement order: negative floats reverse their magnitude bits
    return tf.where(bits < tf.zeros([], it), tf.bitwise.bitwise_xor(bits, mag), bits)


def _argsort_last(x, descending):
    """Stable argsort along the last axis (tf.math.top_k keeps ties in index order)."""
    key = _sort_key(x)
    if not descending:
        key = tf.bitwise.invert(key)  # order-reversing without overflow (~k = -k - 1)
    n = x.shape[-1]
    if n is None:
        n = tf.shape(x)[-1]
    return tf.math.top_k(key, n, sorted=True).indices


def _to_last(x, axis):
    nd = len(x.shape)
    if axis == nd - 1:
        return x, None
    perm = [i for i in range(nd) if i != axis] + [axis]
    inv = [0] * nd
    for i, p in enumerate(perm):
        inv[p] = i
    return tf.transpose(x, perm), inv


def sort(x, axis, descending):
    xt, inv = _to_last(x, axis)
    i = _argsort_last(xt, descending)
    out = tf.gather(xt, i, axis=len(x.shape) - 1, batch_dims=len(x.shape) - 1)
    return out if inv is None else tf.transpose(out, inv)


def argsort(x, axis, descending, idx):
    xt, inv = _to_last(x, axis)
    out = tf.cast(_argsort_last(xt, descending), idx)
    return out if inv is None else tf.transpose(out, inv)


_MATMUL_NATIVE = (tf.int32, tf.int64, tf.float16, tf.bfloat16, tf.float32, tf.float64,
                  tf.complex64, tf.complex128)


def _wide(fn, *args):
    """Run ``fn`` natively, or in int64 for integer dtypes tf's matmul lacks (wraps like NumPy)."""
    dt = args[0].dtype
    if dt in _MATMUL_NATIVE:
        return fn(*args)
    if dt == tf.bool:
        return tf.math.not_equal(fn(*[tf.cast(a, tf.int64) for a in args]),
                                 tf.zeros([], tf.int64))
    return _from64(fn(*[_to64(a) for a in args]), dt)


def _matmul(a, b):
    va, vb = len(a.shape) == 1, len(b.shape) == 1
    if va:
        a = a[None, :]
    if vb:
        b = b[:, None]
    out = tf.linalg.matmul(a, b)
    if va and vb:
        return tf.reshape(out, [])
    if va:
        return tf.squeeze(out, -2)
    if vb:
        return tf.squeeze(out, -1)
    return out


def matmul(x1, x2):
    return _wide(_matmul, x1, x2)


def tensordot(a, b, axes_a, axes_b):
    return _wide(lambda p, q: tf.tensordot(p, q, [list(axes_a), list(axes_b)]), a, b)


def _explicit(subscripts: str) -> str:
    """NumPy's implicit einsum output ('...' then the labels seen once, sorted); tf's einsum
    rejects implicit mode with an ellipsis."""
    s = subscripts.replace(" ", "")
    if "->" in s:
        return s
    letters = s.replace("...", "").replace(",", "")
    once = sorted(c for c in set(letters) if letters.count(c) == 1)
    return s + "->" + ("..." if "..." in s else "") + "".join(once)


def einsum(subscripts, operands):
    eq = _explicit(subscripts)
    return _wide(lambda *ops: tf.einsum(eq, *ops), *operands)



# --- edge-case semantics (docs/semantics.md) and the special functions --------------------------
def _sign_float(x):
    # XLA's sign(-0.0) is -0.0 (tf's eager kernel and NumPy give +0.0)
    zero = tf.zeros([], x.dtype)
    return tf.where(tf.math.equal(x, zero), zero, R.Sign(x=x))


def _int_power(x1, x2):
    """Signed integer ``x1 ** x2`` with negative exponents defined as the truncated real result:
    1 for base 1, +-1 for base -1 (by parity), else 0. tf raises eagerly and XLA gives 0 for
    (-1) ** -3."""
    zero = tf.zeros([], x1.dtype)
    one = tf.ones([], x1.dtype)
    neg = x2 < zero
    r = R.Pow(x=x1, y=tf.where(neg, zero, x2))
    odd = tf.math.not_equal(tf.math.floormod(x2, tf.constant(2, x2.dtype)), zero)
    fill = tf.where(tf.math.equal(x1, one), one,
                    tf.where(tf.math.equal(x1, -one), tf.where(odd, -one, one), zero))
    return tf.where(neg, fill, r)


def erf(x):
    y = R.Erf(x=x)
    if x.dtype == tf.float64:  # tf's float64 Erf kernel gives NaN at +-inf
        y = tf.where(tf.math.is_inf(x), tf.math.sign(x), y)
    return y


erfc = _unary(R.Erfc)
rsqrt = _unary(R.Rsqrt)


def erfinv(x):
    return tf.math.erfinv(x)


def _erfinv(x):
    """tf's erfinv kernels are inaccurate (float32 CPU: 1e-3 relative near 0; float64: inf at
    1 - 2**-53; none for float16 on CPU): start from the float64 kernel, replace a non-finite
    start inside (-1, 1) by the tail asymptote, and take Newton steps on erf (on log erfc in the
    tails, where 1 - |x| is exact), all in float64."""
    dt = x.dtype
    v = tf.cast(x, tf.float64)
    a = tf.math.abs(v)
    one = tf.ones([], tf.float64)
    y = tf.math.erfinv(v)
    inside = a < one
    guess = tf.math.sqrt(-tf.math.log((one - tf.where(inside, a, 0.5)) * (one + a)))
    y = tf.where(inside & ~tf.math.is_finite(y), tf.where(v < 0, -guess, guess), y)
    c = tf.constant(_common.TWO_OVER_SQRT_PI, tf.float64)
    tail = a > tf.constant(0.5, tf.float64)
    for _ in range(3):
        ya = tf.math.abs(y)
        ec = tf.math.erfc(ya)
        dens = c * tf.math.exp(-y * y)
        # tails: Newton on log(erfc(|y|)) = log(1 - |x|); centre: on erf(y) = x
        t = tf.where(tail, one - a, one)
        step_tail = (tf.math.log(ec) - tf.math.log(t)) * ec / dens
        step_mid = (tf.math.erf(y) - v) / dens
        ny = tf.where(tail, y + tf.where(v < 0, -step_tail, step_tail), y - step_mid)
        y = tf.where(inside & tf.math.is_finite(ny), ny, y)
    return tf.cast(y, dt)


def _frexp(x):
    """NumPy's frexp from the bit pattern (integer ops only: exact for subnormals, which XLA's
    float arithmetic flushes to zero)."""
    dt = x.dtype
    it, mb, eb = (tf.int32, 23, 8) if dt == tf.float32 else (tf.int64, 52, 11)
    nbits = 32 if it == tf.int32 else 64
    emask = (1 << eb) - 1
    bias = (1 << (eb - 1)) - 2
    bits = tf.bitcast(x, it)
    sign = tf.bitwise.bitwise_and(bits, tf.constant(-(1 << (nbits - 1)), it))
    absb = tf.bitwise.bitwise_and(bits, tf.constant((1 << (nbits - 1)) - 1, it))
    field = tf.bitwise.right_shift(absb, tf.constant(mb, it))
    zero = tf.zeros([], it)
    sub = tf.math.equal(field, zero) & tf.math.not_equal(absb, zero)
    b2 = tf.where(sub, tf.bitcast(tf.cast(absb, dt), it), absb)
    e = tf.cast(tf.bitwise.right_shift(b2, tf.constant(mb, it)), tf.int32) - bias
    e = e - tf.where(sub, bias + mb, 0)
    mbits = tf.bitwise.bitwise_or(
        tf.bitwise.bitwise_or(tf.bitwise.bitwise_and(b2, tf.constant(~(emask << mb), it)),
                              tf.constant(bias << mb, it)), sign)
    ok = tf.math.not_equal(absb, zero) & tf.math.not_equal(field, tf.constant(emask, it))
    return tf.where(ok, tf.bitcast(mbits, dt), x), tf.where(ok, e, tf.zeros([], tf.int32))


def _frexp_half(x):
    m, e = _frexp(tf.cast(x, tf.float32))
    return tf.cast(m, x.dtype), e


def frexp(x):
    return _frexp_half(x) if x.dtype in _F16 else _frexp(x)


def ldexp(x1, x2):
    # x1 * 2**x2 in x1's dtype, the power split in two halves so that 2**(x2/2) stays finite
    # wherever the result does.
    dt = x1.dtype
    x2 = tf.cast(x2, tf.int64) if x2.dtype != tf.int64 else x2
    h = tf.math.floordiv(x2, tf.constant(2, tf.int64))
    two = tf.constant(2.0, tf.float32 if dt in _F16 else dt)
    p1 = tf.cast(R.Pow(x=two, y=tf.cast(h, two.dtype)), dt)
    p2 = tf.cast(R.Pow(x=two, y=tf.cast(x2 - h, two.dtype)), dt)
    return x1 * p1 * p2

# Kernel sections: one file per area, each listing its kernels in __all__.
from ._arrayapi import *  # noqa: E402,F401,F403
from ._stats import *  # noqa: E402,F401,F403
from ._extras import *  # noqa: E402,F401,F403
from ._signal import *  # noqa: E402,F401,F403


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


