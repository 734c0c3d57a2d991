"""torch kernel table: op name -> native call. Arguments arrive normalised by xops dispatch
(same dtype, axes as sorted tuples of non-negative ints); see xops/_dispatch.py.

Mirrors xops/backends/numpy.py name for name, with NumPy's values and result dtypes. Hot
elementwise kernels are plain aliases of the unbound ``torch.Tensor`` methods; dtype-specific
fixes (torch has no CPU arithmetic for uint16/32/64, no bool/complex variants of a few ops) are
chosen once per (op, dtype) in :func:`adapt`, so other dtypes pay nothing per call. Kernels that
dispatch calls without ``adapt`` (reductions on their slow path, products, shape ops) handle such
dtypes themselves, mostly in an ``except NotImplementedError`` branch that costs nothing on the
happy path.
"""
from __future__ import annotations

import builtins
import sys
import math

import torch

from ... import _dtypes as d
from .. import _common
from .._common import adapt_common

NAME = "torch"
# torch promotes a Python scalar against a 0-d/n-d tensor by its own rules; dispatch converts
# scalars to 0-d tensors of the promoted dtype instead.
SCALARS_OK = False

DTYPES = {
    d.bool_: torch.bool, d.int8: torch.int8, d.int16: torch.int16, d.int32: torch.int32,
    d.int64: torch.int64, d.uint8: torch.uint8, d.uint16: torch.uint16,
    d.uint32: torch.uint32, d.uint64: torch.uint64, d.float16: torch.float16,
    d.bfloat16: torch.bfloat16, d.float32: torch.float32, d.float64: torch.float64,
    d.complex64: torch.complex64, d.complex128: torch.complex128,
}
EXTRA_NATIVE: dict = {}
_CANON = {v: k for k, v in DTYPES.items()}

_T = torch.Tensor
_I64 = torch.int64
_U64 = torch.uint64
_I64_MIN = -(2 ** 63)
_I64_MAX = 2 ** 63 - 1
# Unsigned dtypes torch stores but cannot compute with on CPU.
_WIDE_U = (torch.uint16, torch.uint32)
# Same-width signed dtype: a bit-preserving view for ops that only move data.
_SIGNED_VIEW = {torch.uint16: torch.int16, torch.uint32: torch.int32, torch.uint64: torch.int64}
_INT_DTYPES = frozenset({torch.int8, torch.int16, torch.int32, torch.int64, torch.uint8,
                         torch.uint16, torch.uint32, torch.uint64})


def default_float() -> d.DType:
    return _CANON[torch.get_default_dtype()]


def default_int() -> d.DType:
    return d.int64


def unsupported_dtype(dt: d.DType) -> str | None:
    if dt not in DTYPES:
        return "torch has no such dtype"
    return None


def device(x):
    return x.device


_FLOATS = frozenset({torch.float16, torch.bfloat16, torch.float32, torch.float64})


def astype(x, dtype, copy=True):
    if dtype in _INT_DTYPES and x.dtype in _FLOATS:
        return _float_to_int(x, dtype)
    return x.to(dtype, copy=copy)


def _float_to_int(x, dtype):
    """Float -> integer as XLA casts: truncate, NaN -> 0, out of range (and +-inf) saturate to
    the integer's min/max (torch's C cast is undefined there: 300.0 -> uint8 gives 44)."""
    lo, hi, top = _common.int_cast_bounds(_CANON[dtype])
    big = x >= hi
    small = (x < lo) | (x == -math.inf)
    out = torch.where(big | small | x.isnan(), 0, x).to(dtype)
    sv = _SIGNED_VIEW.get(dtype)
    if sv is not None and dtype is not torch.uint16:  # no where() for uint32/64: use the bits
        ov = out.view(sv)
        top_bits = top - (1 << (8 * ov.element_size()))  # same bits, as the signed view
        return torch.where(big, top_bits, torch.where(small, 0, ov)).view(dtype)
    return torch.where(big, top, torch.where(small, lo, out)).to(dtype)


def scalar(v, dtype, like):
    # scalar_tensor: half the cost of torch.tensor for a Python scalar (measured 1.1 vs 2.5 us).
    return torch.scalar_tensor(v, dtype=dtype, device=None if like is None else like.device)


def _check_same_device(obj, dev):
    if dev is None:
        return
    want = torch.device(dev)
    have = obj.device
    if want.type != have.type or (want.index is not None and want.index != have.index):
        raise ValueError(f"asarray: the tensor is on {have}, not {want}; xops never moves data "
                         "between devices implicitly")


def asarray(obj, dtype, device, copy):
    if isinstance(obj, torch.Tensor):
        _check_same_device(obj, device)
        return torch.asarray(obj, dtype=dtype, copy=copy)
    return torch.asarray(obj, dtype=dtype, device=device, copy=copy)


# --- elementwise -------------------------------------------------------------------------------
# Base kernels are right for the float dtypes; adapt() swaps in variants for the other kinds.
add = _T.add
subtract = _T.sub
multiply = _T.mul
divide = _T.div
floor_divide = _T.floor_divide


def remainder(x1, x2):
    # torch gives -0.0 % 3.0 == -0.0; NumPy's result always carries the divisor's sign.
    return _T.remainder(x1, x2).copysign(x2)


fmod = _T.fmod
power = _T.pow
maximum = _T.maximum
minimum = _T.minimum
arctan2 = _T.atan2
hypot = _T.hypot
logaddexp = _T.logaddexp
copysign = _T.copysign
negative = _T.neg
positive = _T.positive
abs = _T.abs  # noqa: A001


def sign(x):
    # torch.sign(nan) is 0; NumPy keeps NaN.
    return torch.where(x.isnan(), x, x.sign())


square = _T.square
reciprocal = _T.reciprocal
sqrt = _T.sqrt


def cbrt(x):
    # No torch.cbrt: |x|**(1/3) refined by one Newton step (correct to ~1 ulp), sign restored.
    a = x.abs()
    y = a.pow(1.0 / 3.0)
    r = y + (a / (y * y) - y) / 3.0
    return torch.where(r.isfinite(), r, y).copysign(x)


exp = _T.exp
exp2 = _T.exp2
expm1 = _T.expm1
log = _T.log
log1p = _T.log1p
log2 = _T.log2
log10 = _T.log10
sin, cos, tan = _T.sin, _T.cos, _T.tan
arcsin, arccos, arctan = _T.asin, _T.acos, _T.atan
sinh, cosh, tanh = _T.sinh, _T.cosh, _T.tanh
arcsinh, arccosh, arctanh = _T.asinh, _T.acosh, _T.atanh
deg2rad = _T.deg2rad
rad2deg = _T.rad2deg
floor = _T.floor
ceil = _T.ceil
trunc = _T.trunc
rint = _T.round  # half to even
isnan = _T.isnan
isinf = _T.isinf
isfinite = _T.isfinite
signbit = _T.signbit
real = torch.real
imag = torch.imag
conj = _T.conj_physical  # materialised, not a lazy conj view
equal = _T.eq
not_equal = _T.ne
less = _T.lt
less_equal = _T.le
greater = _T.gt
greater_equal = _T.ge
logical_and = _T.logical_and
logical_or = _T.logical_or
logical_xor = _T.logical_xor
logical_not = _T.logical_not
bitwise_and = _T.bitwise_and
bitwise_or = _T.bitwise_or
bitwise_xor = _T.bitwise_xor
bitwise_not = _T.bitwise_not
left_shift = _T.bitwise_left_shift
right_shift = _T.bitwise_right_shift


# --- adapt: per-(op, dtype) variants --------------------------------------------------------------
def _int_zero_safe(fn):
    """NumPy's integer ``x // 0``, ``x % 0`` and ``fmod(x, 0)`` are 0; torch raises."""

    def k(x1, x2):
        z = x2 == 0
        return torch.where(z, 0, fn(x1, torch.where(z, 1, x2))).to(x1.dtype)

    return k


def _wide_unary(fn, out):
    def k(x):
        return fn(x.to(_I64)).to(out)

    return k


def _wide_binary(fn, out):
    if out is None:  # comparisons: bool result
        def k(x1, x2):
            return fn(x1.to(_I64), x2.to(_I64))
    else:
        def k(x1, x2):
            return fn(x1.to(_I64), x2.to(_I64)).to(out)
    return k


def _u64_unary(fn, signed=None, unsigned=None):
    signed, unsigned = signed or _I64, unsigned or _U64

    def k(x):
        return fn(x.view(signed)).view(unsigned)

    return k


def _u64_binary(fn, signed=None, unsigned=None):
    signed, unsigned = signed or _I64, unsigned or _U64

    def k(x1, x2):
        return fn(x1.view(signed), x2.view(signed)).view(unsigned)

    return k


def _u64_key(x):
    # Flipping the sign bit maps unsigned order onto signed order.
    return x.view(_I64).bitwise_xor(_I64_MIN)


def _u64_cmp(fn):
    def k(x1, x2):
        return fn(_u64_key(x1), _u64_key(x2))

    return k


def _u64_maximum(x1, x2):
    return torch.where(_u64_key(x1) >= _u64_key(x2), x1, x2)


def _u64_minimum(x1, x2):
    return torch.where(_u64_key(x1) <= _u64_key(x2), x1, x2)


def _u64_right_shift(x1, x2):
    a = x1.view(_I64)
    s = x2.view(_I64)
    # Logical shift: one shift with the sign bit cleared, then the rest (0 past 63 bits).
    r = a.bitwise_right_shift(1).bitwise_and(_I64_MAX).bitwise_right_shift((s - 1).clamp(min=0))
    r = torch.where(s == 0, a, torch.where(s < 0, 0, r))
    return r.view(_U64)


def _u64_sign(x):
    return (x != 0).to(_U64)


def _u64_unsupported(name):
    def k(*args):
        raise TypeError(f"xops.numpy.{name}: the torch backend has no uint64 {name} (torch "
                        "has no unsigned 64-bit arithmetic and the signed result differs); cast "
                        "to int64 or float64 first")

    return k


def _imag_of_real(x):
    return torch.zeros_like(x)


def _sign_complex(x):
    # NumPy 2: x/|x|; an infinite real (imaginary) part alone gives +-1 (+-1j); both give NaN.
    re, im = x.real, x.imag
    rinf, iinf = re.isinf(), im.isinf()
    only_r = rinf & ~iinf
    only_i = iinf & ~rinf
    at_inf = torch.complex(torch.where(only_r, re.sign(), 0.0), torch.where(only_i, im.sign(), 0.0))
    return torch.where(only_r | only_i, at_inf, x.sgn())


def _add_complex(x1, x2):
    # torch's complex add/sub computes alpha * x2 as a complex product, so an infinite part
    # of x2 makes the other part NaN ((inf+1j) + (1+infj) -> nan+infj); add the parts instead.
    return torch.view_as_complex(torch.view_as_real(x1) + torch.view_as_real(x2))


def _sub_complex(x1, x2):
    return torch.view_as_complex(torch.view_as_real(x1) - torch.view_as_real(x2))


def _power_complex(x1, x2):
    # NumPy: z ** 0 is 1 for every z (torch gives nan for 0 ** 0 and nan ** 0).
    return torch.where(x2 == 0, 1, x1.pow(x2))


def _rint_complex(x):
    return torch.complex(x.real.round(), x.imag.round())


def _via_float32(fn, out):
    def k(x):
        return fn(x.float()).to(out)

    return k


_SAME_VIA_I64 = {"add": _T.add, "subtract": _T.sub, "multiply": _T.mul, "power": _T.pow,
                 "negative": _T.neg, "square": _T.square, "bitwise_not": _T.bitwise_not,
                 "left_shift": _T.bitwise_left_shift, "right_shift": _T.bitwise_right_shift,
                 "maximum": _T.maximum, "minimum": _T.minimum, "sign": _T.sign,
                 "floor_divide": _int_zero_safe(_T.floor_divide),
                 "remainder": _int_zero_safe(_T.remainder), "fmod": _int_zero_safe(_T.fmod)}
_CMP = {"less": _T.lt, "less_equal": _T.le, "greater": _T.gt, "greater_equal": _T.ge}
_U64_BITS = ("add", "subtract", "multiply", "power", "negative", "square", "bitwise_not",
             "left_shift")
_U64_SPECIAL = {"maximum": _u64_maximum, "minimum": _u64_minimum,
                "right_shift": _u64_right_shift, "sign": _u64_sign}
_INT_KERNELS = {"sign": _T.sign, "remainder": _int_zero_safe(_T.remainder),
                "floor_divide": _int_zero_safe(_T.floor_divide),
                "fmod": _int_zero_safe(_T.fmod)}
_UNARY = frozenset({"negative", "square", "bitwise_not", "sign"})


def adapt(name, fn, dt):
    out = adapt_common(name, fn, dt)
    if out is not fn:
        return out
    kind = dt.kind
    if kind in "iu" and name in ("fmax", "fmin"):  # no NaN in integers: maximum/minimum
        base = "maximum" if name == "fmax" else "minimum"
        return adapt(base, globals()[base], dt)
    if name in ("gcd", "lcm") and dt in (d.uint16, d.uint32):
        return _wide_binary(fn, DTYPES[dt])
    if name in ("gcd", "lcm") and dt is d.uint64:
        return _u64_unsupported(name)
    if kind == "u" and dt.bits > 8:
        native = DTYPES[dt]
        if name == "abs":
            return adapt_common("positive", fn, dt)  # |x| of an unsigned int is x
        if dt.bits == 64:
            if name in _U64_BITS:
                base = _SAME_VIA_I64[name]
                return _u64_unary(base) if name in _UNARY else _u64_binary(base)
            if name in _U64_SPECIAL:
                return _U64_SPECIAL[name]
            if name in _CMP:
                return _u64_cmp(_CMP[name])
            if name in ("floor_divide", "remainder", "fmod"):
                return _u64_unsupported(name)
        else:
            if name in _U64_BITS:
                # Two's complement: the same-width signed view gives the same bits, without
                # the two casts of widening (measured 13x faster for a 1M uint32 add).
                signed = torch.int32 if dt.bits == 32 else torch.int16
                base = _SAME_VIA_I64[name]
                return (_u64_unary(base, signed, native) if name in _UNARY
                        else _u64_binary(base, signed, native))
            if name in _SAME_VIA_I64:
                base = _SAME_VIA_I64[name]
                return _wide_unary(base, native) if name in _UNARY else _wide_binary(base, native)
            if name in _CMP:
                return _wide_binary(_CMP[name], None)
    elif kind in "iub" and name in _INT_KERNELS:
        return _INT_KERNELS[name]
    elif kind == "c":
        if name == "sign":
            return _sign_complex
        if name == "rint":
            return _rint_complex
        if name == "power":
            return _power_complex
        if name == "add":
            return _add_complex
        if name == "subtract":
            return _sub_complex
    elif kind == "f" and name == "cbrt" and dt.bits == 16:
        return _via_float32(cbrt, DTYPES[dt])
    if name == "imag" and kind != "c":
        return _imag_of_real
    # Reductions: the table's kernels carry their own fallbacks.
    return out


# --- reductions --------------------------------------------------------------------------------
def _n_reduced(shape, axis):
    n = 1
    for a in (range(len(shape)) if axis is None else axis):
        n *= shape[a]
    return n


def _keep_all(r, x):
    return r.reshape((1,) * x.dim())


def _uint_reduce(fn, x, err):
    """Run an integer reduction in int64 for the unsigned dtypes torch cannot compute with
    (wrap-around mod 2**bits is the same); re-raise ``err`` for any other dtype."""
    dt = x.dtype
    if dt is _U64:
        return fn(x.view(_I64)).view(_U64)
    if dt in _WIDE_U:
        return fn(x.to(_I64)).to(dt)
    raise err


# Whole-array reductions for float/complex input, called directly by the sum(x) fast path
# (Tensor.max() with no dim propagates NaN like amax).
FULL_REDUCTIONS = {"sum": torch.Tensor.sum, "mean": torch.Tensor.mean, "max": torch.Tensor.max,
                   "min": torch.Tensor.min}


def sum(x, axis, keepdims):  # noqa: A001
    if axis == ():
        return x.clone()
    try:
        return x.sum(axis, keepdims, dtype=x.dtype)
    except RuntimeError as e:
        return _uint_reduce(lambda t: t.sum(axis, keepdims, dtype=_I64), x, e)


def _prod(x, axis, keepdims, dt):
    if axis is None:
        r = x.prod(dtype=dt)
        return _keep_all(r, x) if keepdims else r
    for a in reversed(axis):
        x = x.prod(a, keepdims, dtype=dt)
    return x


def prod(x, axis, keepdims):
    if axis == ():
        return x.clone()
    try:
        return _prod(x, axis, keepdims, x.dtype)
    except RuntimeError as e:
        return _uint_reduce(lambda t: _prod(t, axis, keepdims, _I64), x, e)


def mean(x, axis, keepdims):
    if axis == ():
        return x.clone()
    if x.dtype in _INT_DTYPES or x.dtype is torch.bool:
        # An integer accumulation dtype (mean(x, dtype=int32)): NumPy sums in it, divides and
        # casts back (truncating).
        s = sum(x, axis, keepdims)
        return (s.double() / _n_reduced(tuple(x.shape), axis)).to(x.dtype)
    return x.mean(axis, keepdims)


def _var_direct(x, axis, keepdims, ddof):
    # NumPy's formula: sum(|x - mean|**2) / max(n - ddof, 0).
    n = _n_reduced(tuple(x.shape), axis)
    dev = x - (x if axis == () else x.mean(axis, True))
    sq = (dev.real.square() + dev.imag.square()) if x.is_complex() else dev.square()
    s = sq if axis == () else sq.sum(axis, keepdims)
    return s / builtins.max(n - ddof, 0)


def var(x, axis, keepdims, ddof):
    if axis == () or _n_reduced(tuple(x.shape), axis) - ddof <= 0:
        return _var_direct(x, axis, keepdims, ddof)
    return torch.var(x, axis, correction=ddof, keepdim=keepdims)


def std(x, axis, keepdims, ddof):
    if axis == () or _n_reduced(tuple(x.shape), axis) - ddof <= 0:
        return _var_direct(x, axis, keepdims, ddof).sqrt()
    return torch.std(x, axis, correction=ddof, keepdim=keepdims)


def _u64_extreme(fn, x, axis, keepdims):
    k = fn(_u64_key(x), () if axis is None else axis, keepdims)
    return k.bitwise_xor(_I64_MIN).view(_U64)


def _extreme(fn, x, axis, keepdims):
    """amax/amin over ``axis``; torch has no uint16/32/64 kernels: uint64 compares through a
    sign-flipped int64 view, the narrower ones through int64."""
    if axis == ():
        return x.clone()
    dims = () if axis is None else axis
    try:
        return fn(x, dims, keepdims)
    except NotImplementedError:
        if x.dtype is _U64:
            return _u64_extreme(fn, x, axis, keepdims)
        return fn(x.to(_I64), dims, keepdims).to(x.dtype)


def max(x, axis, keepdims):  # noqa: A001
    return _extreme(torch.amax, x, axis, keepdims)


def min(x, axis, keepdims):  # noqa: A001
    return _extreme(torch.amin, x, axis, keepdims)


def all(x, axis, keepdims):  # noqa: A001
    if axis == ():
        return x.clone()
    return torch.all(x, axis, keepdims)


def any(x, axis, keepdims):  # noqa: A001
    if axis == ():
        return x.clone()
    return torch.any(x, axis, keepdims)


def _arg_key(x):
    dt = x.dtype
    if dt is torch.bool:
        return x.to(torch.uint8)
    if dt is _U64:
        return _u64_key(x)
    if dt in _WIDE_U:
        return x.to(_I64)
    return x


def argmax(x, axis, keepdims, idx):
    try:
        r = torch.argmax(x, axis, keepdims)
    except RuntimeError:  # bool, uint16/32/64
        r = torch.argmax(_arg_key(x), axis, keepdims)
    return r if idx is _I64 else r.to(idx)


def argmin(x, axis, keepdims, idx):
    try:
        r = torch.argmin(x, axis, keepdims)
    except RuntimeError:
        r = torch.argmin(_arg_key(x), axis, keepdims)
    return r if idx is _I64 else r.to(idx)


def count_nonzero(x, axis, keepdims, idx):
    if x.dtype is not torch.bool:
        x = x != 0
    if axis == ():
        return x.to(idx)
    return x.sum(axis, keepdims, dtype=idx)


def _scan(name, x, axis):
    dt = x.dtype
    try:
        return getattr(torch, name)(x, axis, dtype=dt)
    except RuntimeError as e:
        if dt is torch.bool:  # NumPy's bool add is OR, bool multiply is AND
            return getattr(torch, name)(x.to(_I64), axis) != 0
        return _uint_reduce(lambda t: getattr(torch, name)(t, axis, dtype=_I64), x, e)


def cumsum(x, axis):
    return _scan("cumsum", x, axis)


def cumprod(x, axis):
    return _scan("cumprod", x, axis)


# --- creation ----------------------------------------------------------------------------------
def zeros(shape, dtype, device):
    return torch.zeros(shape, dtype=dtype, device=device)


def ones(shape, dtype, device):
    return torch.ones(shape, dtype=dtype, device=device)


def empty(shape, dtype, device):
    return torch.empty(shape, dtype=dtype, device=device)


def full(shape, fill_value, dtype, device):
    if isinstance(fill_value, torch.Tensor):
        if device is not None:
            _check_same_device(fill_value, device)
        return fill_value.to(dtype).expand(shape).clone()
    return torch.full(shape, fill_value, dtype=dtype, device=device)


_ARANGE_NATIVE = frozenset({torch.int8, torch.int16, torch.int32, torch.int64, torch.uint8,
                            torch.float16, torch.bfloat16, torch.float32, torch.float64})


def arange(start, stop, step, dtype, device):
    floats = isinstance(start, float) or isinstance(stop, float) or isinstance(step, float)
    if not floats and dtype in _ARANGE_NATIVE:
        if (stop - start) * step < 0:  # empty: torch raises on an inconsistent step sign
            return torch.empty(0, dtype=dtype, device=device)
        return torch.arange(start, stop, step, dtype=dtype, device=device)
    # NumPy's rule: length ceil((stop - start) / step); the values are first + i * delta with
    # first = start and delta = (start + step) - start, both taken in the result dtype.
    n = builtins.max(0, math.ceil((stop - start) / step))
    if dtype.is_floating_point or dtype.is_complex:
        first = float(start)
        delta = float(start + step) - first
        i = torch.arange(n, dtype=torch.float64, device=device)
    else:
        first = int(start)
        delta = int(start + step) - first
        i = torch.arange(n, dtype=_I64, device=device)
    return (i * delta + first).to(dtype)


def linspace(start, stop, num, endpoint, dtype, device):
    # NumPy's algorithm in float64 (complex128 for complex endpoints), then floor for integer
    # dtypes and a cast.
    cplx = isinstance(start, complex) or isinstance(stop, complex) or dtype.is_complex
    work = torch.complex128 if cplx else torch.float64
    div = (num - 1) if endpoint else num
    delta = stop - start
    y = torch.arange(num, dtype=torch.float64, device=device).to(work)
    if div > 0:
        step = delta / div
        y = y / div * delta if step == 0 else y * step
    else:
        y = y * delta
    y = y + start
    if endpoint and num > 1:
        y[-1] = stop
    if not (dtype.is_floating_point or dtype.is_complex) and not cplx:
        y = y.floor()
    return y.to(dtype)


def eye(n, m, k, dtype, device):
    rows = torch.arange(n, device=device).unsqueeze(1)
    cols = torch.arange(m, device=device)
    return (cols == rows + k).to(dtype)


def _signed_view_op(fn, x, *args):
    """Run a data-movement op that torch lacks for uint16/32/64 on a same-width signed view."""
    sv = _SIGNED_VIEW.get(x.dtype)
    if sv is None:
        raise NotImplementedError
    return fn(x.view(sv), *args).view(x.dtype)


def tril(x, k):
    try:
        return torch.tril(x, k)
    except NotImplementedError:
        return _signed_view_op(torch.tril, x, k)


def triu(x, k):
    try:
        return torch.triu(x, k)
    except NotImplementedError:
        return _signed_view_op(torch.triu, x, k)


def meshgrid(arrays, indexing):
    return list(torch.meshgrid(*arrays, indexing=indexing))


# --- shape -------------------------------------------------------------------------------------
reshape = _T.reshape
transpose = _T.permute
expand_dims = _T.unsqueeze
squeeze = _T.squeeze
concatenate = torch.cat
stack = torch.stack
broadcast_to = torch.broadcast_to
roll = _T.roll
tile = _T.tile


def flip(x, axes):
    try:
        return x.flip(axes)
    except NotImplementedError:
        return _signed_view_op(_T.flip, x, axes)


def split(x, starts, sizes, axis):
    if builtins.sum(sizes) == x.shape[axis]:
        return list(torch.split(x, list(sizes), axis))
    return [x.narrow(axis, s, n) for s, n in zip(starts, sizes)]


def repeat(x, repeats, axis):
    if isinstance(repeats, tuple):
        repeats = torch.tensor(repeats, dtype=_I64, device=x.device)
    try:
        return torch.repeat_interleave(x, repeats, dim=axis)
    except NotImplementedError:
        return _signed_view_op(lambda t: torch.repeat_interleave(t, repeats, dim=axis), x)


def _pad_axis(x, ax, a, b, mode):
    n = x.shape[ax]
    if mode == "edge":
        shape = list(x.shape)
        parts = []
        if a:
            shape[ax] = a
            parts.append(x.narrow(ax, 0, 1).expand(shape))
        parts.append(x)
        if b:
            shape[ax] = b
            parts.append(x.narrow(ax, n - 1, 1).expand(shape))
        return torch.cat(parts, ax)
    if mode == "reflect":
        before = flip(x.narrow(ax, 1, a), (ax,)) if a else None
        after = flip(x.narrow(ax, n - 1 - b, b), (ax,)) if b else None
    elif mode == "symmetric":
        before = flip(x.narrow(ax, 0, a), (ax,)) if a else None
        after = flip(x.narrow(ax, n - b, b), (ax,)) if b else None
    else:  # wrap
        before = x.narrow(ax, n - a, a) if a else None
        after = x.narrow(ax, 0, b) if b else None
    parts = [p for p in (before, x, after) if p is not None]
    return torch.cat(parts, ax)


def pad(x, pad_width, mode, constant_values):
    if mode == "constant":
        if x.is_complex() and not isinstance(constant_values, torch.Tensor):
            # F.pad takes a real fill value only.
            constant_values = torch.tensor(constant_values, dtype=x.dtype, device=x.device)
        if isinstance(constant_values, torch.Tensor):
            shape = tuple(s + a + b for s, (a, b) in zip(x.shape, pad_width))
            out = constant_values.to(x.dtype).expand(shape).clone()
            out[tuple(slice(a, a + s) for s, (a, _) in zip(x.shape, pad_width))] = x
            return out
        flat = []
        for a, b in reversed(pad_width):
            flat += [a, b]
        return torch.nn.functional.pad(x, flat, value=constant_values)
    # NumPy pads axis by axis, each axis seeing the already padded earlier axes (corners).
    for ax, (a, b) in enumerate(pad_width):
        if a or b:
            x = _pad_axis(x, ax, a, b, mode)
    return x.clone() if not builtins.any(a or b for a, b in pad_width) else x


# --- indexing, sorting, products ----------------------------------------------------------------
where = torch.where


def _index(idx):
    # torch indexes with int64/int32 only (uint8 would be a mask).
    dt = idx.dtype
    return idx if dt is _I64 or dt is torch.int32 else idx.to(_I64)


def take(x, indices, axis):
    # Advanced indexing: NumPy's take shape, negative indices, IndexError when out of range.
    return x[(slice(None),) * axis + (_index(indices),)]


def _bshape(s, t, axis):
    return [u if i == axis else (v if u == 1 else u) for i, (u, v) in enumerate(zip(s, t))]


def take_along_axis(x, indices, axis):
    idx = _index(indices)
    n = x.shape[axis]
    idx = torch.where(idx < 0, idx + n, idx)
    xs, js = list(x.shape), list(idx.shape)
    x = x.expand(_bshape(xs, js, axis))
    idx = idx.expand(_bshape(js, xs, axis))
    sv = _SIGNED_VIEW.get(x.dtype)  # gather has no uint16/32/64 kernel: gather the bits
    try:
        if sv is None:
            return torch.gather(x, axis, idx)
        return torch.gather(x.view(sv), axis, idx).view(x.dtype)
    except RuntimeError as e:
        if "out of bounds" in str(e):
            raise IndexError(str(e)) from None
        raise


def sort(x, axis, descending):
    out = torch.sort(x, dim=axis, stable=True)[0]
    # NumPy reverses the ascending sort (NaN first, equal values in reverse order).
    return flip(out, (axis,)) if descending else out


def argsort(x, axis, descending, idx):
    # torch's stable descending sort keeps ties in index order and puts NaN first, as NumPy's
    # reversed-argsort construction does.
    r = torch.argsort(x, dim=axis, descending=descending, stable=True)
    return r if idx is _I64 else r.to(idx)


def _int_product(fn, *arrays):
    dt = arrays[0].dtype
    if dt is _U64:
        return fn(*[a.view(_I64) for a in arrays]).view(_U64)
    if dt in _WIDE_U or dt is torch.bool:
        return fn(*[a.to(_I64) for a in arrays]).to(dt)
    raise NotImplementedError


def matmul(x1, x2):
    try:
        return torch.matmul(x1, x2)
    except NotImplementedError:
        return _int_product(torch.matmul, x1, x2)


def tensordot(a, b, axes_a, axes_b):
    dims = (list(axes_a), list(axes_b))
    try:
        return torch.tensordot(a, b, dims=dims)
    except NotImplementedError:
        return _int_product(lambda p, q: torch.tensordot(p, q, dims=dims), a, b)


def einsum(subscripts, operands):
    try:
        r = torch.einsum(subscripts, *operands)
    except NotImplementedError:
        return _int_product(lambda *ops: torch.einsum(subscripts, *ops), *operands)
    dt = operands[0].dtype
    # A pure trace/sum ('ii', 'ij->') goes through torch.sum and widens small ints to int64.
    return r if r.dtype is dt else r.to(dt)



# --- special functions and the remaining elementwise ops ---------------------------------------
erf = _T.erf
erfc = _T.erfc
erfinv = _T.erfinv  # accurate to ~0.5 ulp in float32 (measured against scipy in float64)
rsqrt = _T.rsqrt
xlogy = _T.xlogy
logaddexp2 = _T.logaddexp2
fmax = _T.fmax
fmin = _T.fmin
gcd = _T.gcd
lcm = _T.lcm


def ldexp(x1, x2):
    # x1 * 2**x2 in x1's dtype, the power split in two halves so that 2**(x2/2) stays finite
    # wherever the result does (torch.ldexp computes 2**x2 in the default float and promotes).
    h = torch.div(x2, 2, rounding_mode="floor")
    dt = x1.dtype
    return x1 * torch.exp2(h.to(dt)) * torch.exp2((x2 - h).to(dt))


def frexp(x):
    m, e = torch.frexp(x)
    return m, e

# Kernel sections: one file per area, each listing its kernels in __all__.
from ._arrayapi import *  # noqa: E402,F401,F403
from ._stats import *  # noqa: E402,F401,F403
from ._extras import *  # noqa: E402,F401,F403
from ._signal import *  # noqa: E402,F401,F403

