"""torch kernels of the elementwise ops, and adapt(): the per-(op, dtype) variants dispatch picks
once and caches, so the common dtypes pay nothing per call for another dtype's fix."""
from __future__ import annotations

import torch

from .._common import ELEMENTWISE_NAMES, SPECIAL_NAMES, adapt_common
from . import DTYPES, _uint
from ._uint import int_zero_safe

__all__ = [*ELEMENTWISE_NAMES, *SPECIAL_NAMES,
           "rsqrt", "xlogy", "logaddexp2", "fmax", "fmin", "gcd", "lcm"]


_T = torch.Tensor


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
abs = _T.abs


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


_INT_KERNELS = {"sign": _T.sign, "remainder": int_zero_safe(_T.remainder),
                "floor_divide": int_zero_safe(_T.floor_divide),
                "fmod": int_zero_safe(_T.fmod)}


def adapt(name, fn, dt):
    out = adapt_common(name, fn, dt)
    if out is not fn:
        return out
    kind = dt.kind
    if name == "where" and not (kind == "u" and dt.bits > 8):  # no signed view needed
        return torch.where
    if name == "matmul" and kind in "fc":  # products.matmul's float branch, without its test
        return torch.matmul
    if kind in "iu" and name in ("fmax", "fmin"):  # no NaN in integers: maximum/minimum
        base = "maximum" if name == "fmax" else "minimum"
        return adapt(base, globals()[base], dt)
    if kind == "u" and dt.bits > 8:
        if name == "abs":
            return adapt_common("positive", fn, dt)  # |x| of an unsigned int is x
        variant = _uint.adapt(name, fn, DTYPES[dt])
        if variant is not None:
            return variant
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


def nextafter(x1, x2):
    return torch.nextafter(x1, x2)


def i0(x):
    return torch.special.i0(x)
