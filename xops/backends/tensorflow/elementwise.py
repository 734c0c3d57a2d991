"""tensorflow kernels of the elementwise ops, and adapt(): the per-(op, dtype) variants dispatch
picks once and caches, so the common dtypes pay nothing per call for another dtype's fix."""
from __future__ import annotations

import math

import tensorflow as tf

from ... import _dtypes as d
from .. import _common
from .._common import ELEMENTWISE_NAMES, SPECIAL_NAMES, adapt_common, identity
from . import F16, from64, to64

R = tf.raw_ops

__all__ = [*ELEMENTWISE_NAMES, *SPECIAL_NAMES, "rsqrt"]


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
abs = _unary(R.Abs)
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
def _via64(fn):
    def k(*args):
        dt = args[0].dtype
        return from64(fn(*[to64(a) for a in args]), dt)

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
    return _frexp_half(x) if x.dtype in F16 else _frexp(x)


def ldexp(x1, x2):
    # x1 * 2**x2 in x1's dtype, the power split in two halves so that 2**(x2/2) stays finite
    # wherever the result does.
    dt = x1.dtype
    x2 = tf.cast(x2, tf.int64) if x2.dtype != tf.int64 else x2
    h = tf.math.floordiv(x2, tf.constant(2, tf.int64))
    two = tf.constant(2.0, tf.float32 if dt in F16 else dt)
    p1 = tf.cast(R.Pow(x=two, y=tf.cast(h, two.dtype)), dt)
    p2 = tf.cast(R.Pow(x=two, y=tf.cast(x2 - h, two.dtype)), dt)
    return x1 * p1 * p2


_HALF = {tf.float16: tf.int16, tf.bfloat16: tf.int16}


def nextafter(x1, x2):
    shape = tf.broadcast_dynamic_shape(tf.shape(x1), tf.shape(x2))
    x1, x2 = tf.broadcast_to(x1, shape), tf.broadcast_to(x2, shape)
    bits = _HALF.get(x1.dtype)
    if bits is None:
        return tf.math.nextafter(x1, x2)
    # tf's NextAfter has float32/float64 kernels only, and rounding a float32 answer is wrong
    # for 16-bit floats: step the IEEE bit pattern instead (raw bits read as a signed int grow
    # with the magnitude for either sign).
    b = tf.bitcast(x1, bits)
    one = tf.ones((), bits)
    up = tf.equal(tf.less(x1, x2), tf.greater(x1, tf.zeros((), x1.dtype)))
    stepped = tf.bitcast(tf.where(up, b + one, b - one), x1.dtype)
    tiny_bits = tf.where(tf.math.less(x2, tf.zeros((), x2.dtype)),
                         tf.constant(-32767, bits), one)  # 0x8001: -smallest subnormal
    tiny = tf.bitcast(tiny_bits, x1.dtype)
    out = tf.where(tf.equal(x1, tf.zeros((), x1.dtype)), tiny, stepped)
    out = tf.where(tf.equal(x1, x2), x2, out)
    nan = tf.math.logical_or(tf.math.is_nan(x1), tf.math.is_nan(x2))
    return tf.where(nan, tf.constant(math.nan, x1.dtype), out)


def i0(x):
    return tf.math.bessel_i0(x)
