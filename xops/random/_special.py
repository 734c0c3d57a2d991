"""erf and erfinv from polynomials and ``xops.numpy`` ops, so every backend evaluates the same
sequence of IEEE operations.

erfinv is Giles' approximation ("Approximating the erfinv function", GPU Computing Gems, 2011)
with the coefficients and evaluation order of XLA. Its transcendental calls are a logarithm and
``sqrt``. sqrt is correctly rounded on every backend; the backends' own ``log``/``log1p`` are
not (measured on this stack: they disagree in the last 1-4 ulp on a third of float32 inputs),
so float32 uses :func:`log32`, Cephes' logf written with multiplications, additions and
comparisons only, which makes float32 normals bit-identical across backends. float64 uses the
backend's ``log1p`` (a few ulp apart between backends).

erf (float32) is a rational function of x (XLA's ErfImpl32): multiplications, additions and one
division only, hence bit-identical on every backend.
"""
from __future__ import annotations

from typing import Any, Sequence, cast

from .. import numpy as xnp
from .._dtypes import float32, float64
from ..backends import Backend, backend_of

Array = Any

_ERFINV32_LT5 = (2.81022636e-08, 3.43273939e-07, -3.5233877e-06, -4.39150654e-06,
                 0.00021858087, -0.00125372503, -0.00417768164, 0.246640727, 1.50140941)
_ERFINV32_GE5 = (-0.000200214257, 0.000100950558, 0.00134934322, -0.00367342844,
                 0.00573950773, -0.0076224613, 0.00943887047, 1.00167406, 2.83297682)
_ERFINV64_LT6_25 = (
    -3.6444120640178196996e-21, -1.685059138182016589e-19, 1.2858480715256400167e-18,
    1.115787767802518096e-17, -1.333171662854620906e-16, 2.0972767875968561637e-17,
    6.6376381343583238325e-15, -4.0545662729752068639e-14, -8.1519341976054721522e-14,
    2.6335093153082322977e-12, -1.2975133253453532498e-11, -5.4154120542946279317e-11,
    1.051212273321532285e-09, -4.1126339803469836976e-09, -2.9070369957882005086e-08,
    4.2347877827932403518e-07, -1.3654692000834678645e-06, -1.3882523362786468719e-05,
    0.0001867342080340571352, -0.00074070253416626697512, -0.0060336708714301490533,
    0.24015818242558961693, 1.6536545626831027356)
_ERFINV64_LT16 = (
    2.2137376921775787049e-09, 9.0756561938885390979e-08, -2.7517406297064545428e-07,
    1.8239629214389227755e-08, 1.5027403968909827627e-06, -4.013867526981545969e-06,
    2.9234449089955446044e-06, 1.2475304481671778723e-05, -4.7318229009055733981e-05,
    6.8284851459573175448e-05, 2.4031110387097893999e-05, -0.0003550375203628474796,
    0.00095328937973738049703, -0.0016882755560235047313, 0.0024914420961078508066,
    -0.0037512085075692412107, 0.005370914553590063617, 1.0052589676941592334,
    3.0838856104922207635)
_ERFINV64_GE16 = (
    -2.7109920616438573243e-11, -2.5556418169965252055e-10, 1.5076572693500548083e-09,
    -3.7894654401267369937e-09, 7.6157012080783393804e-09, -1.4960026627149240478e-08,
    2.9147953450901080826e-08, -6.7711997758452339498e-08, 2.2900482228026654717e-07,
    -9.9298272942317002539e-07, 4.5260625972231537039e-06, -1.9681778105531670567e-05,
    7.5995277030017761139e-05, -0.00021503011930044477347, -0.00013871931833623122026,
    1.0103004648645343977, 4.8499064014085844221)

_ERF32_ALPHA = (0.00022905065861350646, 0.0034082910107109506, 0.050955695062380861,
                0.18520832239976145, 1.128379143519084)
_ERF32_BETA = (-1.1791602954361697e-7, 0.000023547966471313185, 0.0010179625278914885,
               0.014070470171167667, 0.11098505178285362, 0.49746925110067538, 1.0)
_ERF32_CLAMP = 3.7439211627767994  # erfinv(1 - 2**-23): erf is 1 in float32 beyond it


_LOG_P = (7.0376836292e-2, -1.1514610310e-1, 1.1676998740e-1, -1.2420140846e-1,
          1.4249322787e-1, -1.6668057665e-1, 2.0000714765e-1, -2.4999993993e-1,
          3.3333331174e-1)
_SQRTHF = 0.707106781186547524
_EXP_STEPS = (64, 32, 16, 8, 4, 2, 1)


def log32(y: Array) -> Array:
    """Natural log of a positive float32 array with IEEE multiply/add/compare only (Cephes
    logf, about 1 ulp), so it is bit-identical on every backend.

    The exponent is found without bit casts (xops has none): a binary search of exact
    power-of-two scalings brings ``y`` into ``[1, 2)``.

    Args:
        y: float32 array of positive finite normal numbers (0 gives -inf).

    Returns:
        A float32 array.
    """
    m = y
    e = xnp.zeros_like(y)
    for k in _EXP_STEPS:  # large values down into [1, 2)
        big = xnp.greater_equal(m, float(2.0 ** k))
        m = xnp.where(big, xnp.multiply(m, float(2.0 ** -k)), m)
        e = xnp.where(big, xnp.add(e, float(k)), e)
    for k in _EXP_STEPS:  # small values up into [1, 2)
        small = xnp.less(m, float(2.0 ** (1 - k)))
        m = xnp.where(small, xnp.multiply(m, float(2.0 ** k)), m)
        e = xnp.where(small, xnp.subtract(e, float(k)), e)
    # Cephes works on the mantissa in [0.5, 1): m/2, e+1.
    m = xnp.multiply(m, 0.5)
    e = xnp.add(e, 1.0)
    low = xnp.less(m, _SQRTHF)
    e = xnp.where(low, xnp.subtract(e, 1.0), e)
    x = xnp.subtract(xnp.where(low, xnp.add(m, m), m), 1.0)
    z = xnp.multiply(x, x)
    p = _horner(_LOG_P, x)
    r = xnp.multiply(xnp.multiply(p, x), z)
    r = xnp.add(r, xnp.multiply(e, -2.12194440e-4))
    r = xnp.add(r, xnp.multiply(z, -0.5))
    r = xnp.add(x, r)
    r = xnp.add(r, xnp.multiply(e, 0.693359375))
    return xnp.where(xnp.equal(y, 0.0), float("-inf"), r)


def sqrt32(x: Array) -> Array:
    """Correctly rounded float32 square root on every backend.

    torch 2.13's CPU float32 sqrt is not correctly rounded (it differs from NumPy, jax and tf in
    the last bit for ~0.6% of inputs, measured). The float64 square root rounded to float32 is
    exact (53 >= 2 * 24 + 2 bits, so the double rounding is innocuous); it is used wherever the
    backend holds float64 (everywhere but jax without x64, whose sqrt is correctly rounded).
    This belongs in the torch kernel table; see docs/random.md.

    Args:
        x: float32 array.

    Returns:
        A float32 array.
    """
    be = cast(Backend, backend_of(x))  # x is a float32 array
    if be.k.unsupported_dtype(float64):
        return xnp.sqrt(x)
    return xnp.astype(xnp.sqrt(xnp.astype(x, float64)), float32)


def _horner(coeffs: Sequence[float], w: Array) -> Array:
    # p = c0; p = c_i + p * w: XLA's order (no fused multiply-add is formed by any backend's
    # eager kernels; see docs/random.md for the jit caveat).
    p = xnp.multiply(w, coeffs[0])
    p = xnp.add(p, coeffs[1])
    for c in coeffs[2:]:
        p = xnp.add(xnp.multiply(p, w), c)
    return p


def erfinv(x: Array) -> Array:
    """Inverse error function of a float32 or float64 array (Giles; XLA's coefficients).

    Args:
        x: float32 or float64 array with values in ``[-1, 1]``.

    Returns:
        An array like ``x``; ``erfinv(+-1) = +-inf``.
    """
    if cast(Backend, backend_of(x)).dtype_of(x) is float64:
        w = xnp.negative(xnp.log1p(xnp.negative(xnp.multiply(x, x))))
        sw = xnp.sqrt(w)
        pa = _horner(_ERFINV64_LT6_25, xnp.subtract(w, 3.125))
        pb = _horner(_ERFINV64_LT16, xnp.subtract(sw, 3.25))
        pc = _horner(_ERFINV64_GE16, xnp.subtract(sw, 5.0))
        p = xnp.where(xnp.less(w, 6.25), pa, xnp.where(xnp.less(w, 16.0), pb, pc))
    else:
        # Giles' form w = -log((1 - x)(1 + x)) with the bit-identical log.
        w = xnp.negative(log32(xnp.multiply(xnp.subtract(1.0, x), xnp.add(1.0, x))))
        pa = _horner(_ERFINV32_LT5, xnp.subtract(w, 2.5))
        pb = _horner(_ERFINV32_GE5, xnp.subtract(sqrt32(w), 3.0))
        p = xnp.where(xnp.less(w, 5.0), pa, pb)
    out = xnp.multiply(p, x)
    return xnp.where(xnp.equal(xnp.abs(x), 1.0), xnp.multiply(x, float("inf")), out)


def erf32(x: Array) -> Array:
    """Error function of a float32 array as a rational function (XLA's ErfImpl32).

    Args:
        x: float32 array.

    Returns:
        A float32 array, within a few ulp of erf and bit-identical on every backend.
    """
    x = xnp.clip(x, -_ERF32_CLAMP, _ERF32_CLAMP)
    x2 = xnp.multiply(x, x)
    num = xnp.multiply(x, _horner(_ERF32_ALPHA, x2))
    return xnp.divide(num, _horner(_ERF32_BETA, x2))
