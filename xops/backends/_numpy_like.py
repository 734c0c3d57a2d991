"""Kernels shared by the NumPy-compatible namespaces (numpy and jax.numpy), parametrised by the
namespace, as array-api-compat does: jnp mirrors NumPy's names and keywords, so one definition
serves both tables and each table only states where it differs."""
from __future__ import annotations

import functools
from typing import Any, Callable

import numpy as np

from ._common import ELEMENTWISE_NAMES, LINALG_NAMES, MANIPULATION_NAMES

# Ops whose kernel is the namespace's function of the same name, called as is (bitwise_not is
# NumPy's invert).
SAME_NAME = (
    *(n for n in ELEMENTWISE_NAMES if n != "bitwise_not"),
    "heaviside", "logaddexp2", "fmax", "fmin", "gcd", "lcm",
    "tril", "triu", "reshape", "transpose", "expand_dims", "squeeze", "concatenate", "stack",
    "broadcast_to", "flip", "roll", "tile", "where", "matmul",
)


# The kernel module each shared kernel belongs to (see xops/backends/__init__.py KERNEL_MODULES).
_MODULE_OF = {
    **dict.fromkeys(("tril", "triu", "zeros", "ones", "empty", "full", "arange", "linspace", "eye",
                     "meshgrid"), "creation"),
    **dict.fromkeys(MANIPULATION_NAMES, "manipulation"),
    **dict.fromkeys(("where", "take", "take_along_axis", "sort", "argsort"), "indexing"),
    **dict.fromkeys(("sum", "prod", "mean", "var", "std", "max", "min", "all", "any", "argmax",
                     "argmin", "count_nonzero", "cumsum", "cumprod"), "reductions"),
    **dict.fromkeys(("matmul", "tensordot", "einsum"), "products"),
}


@functools.cache
def _all_kernels(xp: Any) -> dict[str, Callable]:
    return kernels(xp)


def section(xp: Any, module: str) -> dict[str, Callable]:
    """The shared kernels of one kernel module (``"elementwise"``, ``"reductions"``, ...) for
    namespace ``xp``: what that module of the numpy and jax packages starts from."""
    return {k: v for k, v in _all_kernels(xp).items() if _MODULE_OF.get(k, "elementwise") == module}


def install(namespace: dict[str, Any], xp: Any, module: str, *own: str) -> list[str]:
    """Put the shared kernels of kernel module ``module`` for ``xp`` into that module's
    ``namespace`` (its ``globals()``); returns its ``__all__``: those, then its ``own`` kernels
    (which may redefine shared ones)."""
    shared = section(xp, module)
    namespace.update(shared)
    return list(dict.fromkeys([*shared, *own]))


def kernels(xp: Any) -> dict[str, Callable]:
    """The kernel table entries for namespace ``xp`` (``numpy`` or ``jax.numpy``)."""
    out: dict[str, Callable] = {name: getattr(xp, name) for name in SAME_NAME}
    out["bitwise_not"] = xp.invert

    # reductions: x arrives in the accumulation dtype, which the result keeps
    def sum(x, axis, keepdims):
        return xp.sum(x, axis=axis, keepdims=keepdims, dtype=x.dtype)

    def prod(x, axis, keepdims):
        return xp.prod(x, axis=axis, keepdims=keepdims, dtype=x.dtype)

    def var(x, axis, keepdims, ddof):
        return xp.var(x, axis=axis, keepdims=keepdims, ddof=ddof)

    def std(x, axis, keepdims, ddof):
        return xp.std(x, axis=axis, keepdims=keepdims, ddof=ddof)

    def cumsum(x, axis):
        return xp.cumsum(x, axis=axis, dtype=x.dtype)

    def cumprod(x, axis):
        return xp.cumprod(x, axis=axis, dtype=x.dtype)

    # shape and indexing
    def split(x, starts, sizes, axis):
        return list(xp.split(x, list(starts[1:]), axis=axis))

    def repeat(x, repeats, axis):
        if isinstance(repeats, tuple):  # host data: concrete under jax.jit (jnp.repeat needs it)
            repeats = np.asarray(repeats)
        return xp.repeat(x, repeats, axis=axis)

    def pad(x, pad_width, mode, constant_values):
        if mode == "constant":
            return xp.pad(x, pad_width, mode="constant", constant_values=constant_values)
        return xp.pad(x, pad_width, mode=mode)

    def take(x, indices, axis):
        return xp.take(x, indices, axis=axis)

    def take_along_axis(x, indices, axis):
        return xp.take_along_axis(x, indices, axis=axis)

    def sort(x, axis, descending):
        out = xp.sort(x, axis=axis, stable=True)
        return xp.flip(out, axis=axis) if descending else out

    def argsort(x, axis, descending, idx):
        if not descending:
            return xp.asarray(xp.argsort(x, axis=axis, stable=True), dtype=idx)
        # Stable descending: sort the reversed array ascending, reverse, map indices back
        # (ties keep index order, NaN comes first).
        n = x.shape[axis]
        r = xp.flip(xp.argsort(xp.flip(x, axis=axis), axis=axis, stable=True), axis=axis)
        return xp.asarray(n - 1 - r, dtype=idx)

    def tensordot(a, b, axes_a, axes_b):
        return xp.tensordot(a, b, axes=(axes_a, axes_b))

    def einsum(subscripts, operands):
        return xp.asarray(xp.einsum(subscripts, *operands))

    out.update({k: v for k, v in locals().items() if callable(v) and k not in ("xp", "out")})
    for name in ("mean", "max", "min", "all", "any", "argmax", "argmin", "count_nonzero"):
        out[name] = _reduction(xp, name)
    out.update(creation_kernels(xp))
    return out


def creation_kernels(xp: Any) -> dict[str, Callable]:
    """The creation kernels of a namespace whose creation functions have the Array API's
    keywords (``device=``, keyword ``k``): NumPy >= 2, jax.numpy and any Array API library."""

    def full(shape, fill_value, dtype, device):
        return xp.full(shape, fill_value, dtype=dtype, device=device)

    def arange(start, stop, step, dtype, device):
        return xp.arange(start, stop, step, dtype=dtype, device=device)

    def linspace(start, stop, num, endpoint, dtype, device):
        return xp.linspace(start, stop, num, endpoint=endpoint, dtype=dtype, device=device)

    def eye(n, m, k, dtype, device):
        return xp.eye(n, m, k=k, dtype=dtype, device=device)

    def meshgrid(arrays, indexing):
        return list(xp.meshgrid(*arrays, indexing=indexing))

    out = {f.__name__: f for f in (full, arange, linspace, eye, meshgrid)}
    for name in ("zeros", "ones", "empty"):
        out[name] = _filled(getattr(xp, name))
    return out


def _reduction(xp: Any, name: str) -> Callable:
    """The kernel of reduction ``xp.<name>`` with NumPy's result dtype: ``(x, axis, keepdims)``,
    or ``(x, axis, keepdims, idx)`` for the index-valued ones (the result in dtype ``idx``)."""
    fn = getattr(xp, name)
    if name in ("argmax", "argmin", "count_nonzero"):
        def k(x, axis, keepdims, idx):
            return xp.asarray(fn(x, axis=axis, keepdims=keepdims), dtype=idx)
    else:
        def k(x, axis, keepdims):  # type: ignore[misc]
            return fn(x, axis=axis, keepdims=keepdims)
    k.__name__ = k.__qualname__ = name
    return k


def _filled(fn: Callable) -> Callable:
    """The kernel ``(shape, dtype, device)`` of zeros/ones/empty."""

    def k(shape, dtype, device):
        return fn(shape, dtype=dtype, device=device)

    k.__name__ = k.__qualname__ = fn.__name__
    return k


# --- edge-case semantics shared by numpy and jax (docs/semantics.md) ---------------------------
def int_power(xp: Any) -> Callable:
    """Signed integer ``x1 ** x2`` with negative exponents defined as the truncated real result:
    1 for base 1, +-1 for base -1 (by the exponent's parity), 0 otherwise (0 ** -n included).
    NumPy raises and jax returns garbage (3 ** -2 -> 703701817); this is the value jit allows."""

    def power(x1, x2):
        dt = x1.dtype if hasattr(x1, "dtype") else x2.dtype
        b = xp.asarray(x2, dtype=dt)
        a = xp.asarray(x1, dtype=dt)
        neg = b < 0
        if xp.__name__ == "numpy" and not neg.any():
            return xp.power(a, b)
        r = xp.power(a, xp.where(neg, xp.zeros((), dt), b))
        odd = (b % 2) != 0
        one = xp.ones((), dt)
        fill = xp.where(a == 1, one, xp.where(a == -1, xp.where(odd, -one, one),
                                              xp.zeros((), dt)))
        return xp.where(neg, fill, r)

    return power


def int_zero_safe(fn: Callable, xp: Any) -> Callable:
    """Integer ``x // 0`` and ``x % 0`` give 0 (NumPy's value, as a defined value under jit)."""

    def k(x1, x2):
        z = x2 == 0
        return xp.where(z, xp.zeros((), _dtype(x1, x2)), fn(x1, xp.where(z, 1, x2)))

    return k


def _dtype(x1, x2):
    return x1.dtype if hasattr(x1, "dtype") else x2.dtype


def frexp_bits(xp: Any, bitcast: Callable) -> Callable:
    """NumPy's frexp from the bit pattern: ``x = m * 2**e`` with ``0.5 <= |m| < 1``; 0, inf and
    NaN give ``(x, 0)``. Integer ops only, so subnormals are exact even where float arithmetic
    flushes them to zero (XLA on CPU, which is why jnp.frexp gets them wrong)."""
    layout = {4: (xp.int32, 23, 8), 8: (xp.int64, 52, 11)}

    def frexp(x):
        dt = x.dtype
        if dt.itemsize == 2:  # float16/bfloat16: exact in float32
            m, e = frexp(x.astype(xp.float32))
            return m.astype(dt), e
        it, mb, eb = layout[dt.itemsize]
        emask = (1 << eb) - 1
        bias = (1 << (eb - 1)) - 2  # exponent field of a number in [0.5, 1)
        nbits = 8 * dt.itemsize
        bits = bitcast(x, it)
        sign = bits & xp.asarray(-(1 << (nbits - 1)), it)
        absb = bits & xp.asarray((1 << (nbits - 1)) - 1, it)
        field = absb >> mb
        sub = (field == 0) & (absb != 0)
        # a subnormal's mantissa, read as an integer, is an exact normal float: frexp that one
        b2 = xp.where(sub, bitcast(absb.astype(dt), it), absb)
        e = (b2 >> mb).astype(xp.int32) - bias - xp.where(sub, bias + mb, 0).astype(xp.int32)
        mbits = (b2 & xp.asarray(~(emask << mb), it)) | xp.asarray(bias << mb, it) | sign
        ok = (absb != 0) & (field != emask)
        return (xp.where(ok, bitcast(mbits, dt), x),
                xp.where(ok, e, xp.zeros((), xp.int32)))

    return frexp


# --- linalg (jnp.linalg mirrors np.linalg) --------------------------------------------------------
# linalg kernels shared by numpy and jax.numpy (jnp.linalg mirrors np.linalg), parametrised by
# the namespace; each table states only where it differs. Arguments arrive normalised by
# ``xops/numpy_api/linalg.py``: one float/complex compute dtype, square/batch shapes checked,
# ``solve``'s right-hand side always a stack of matrices with the same batch shape.



def linalg_kernels(xp: Any, jax: bool) -> dict[str, Callable]:
    la = xp.linalg
    # jnp.linalg.{cholesky,eigh,eigvalsh} symmetrize their input by default; NumPy reads one
    # triangle only. Asking jax not to symmetrize gives NumPy's answer for non-Hermitian input.
    sym = {"symmetrize_input": False} if jax else {}

    def _complex(a):
        return a.astype(xp.result_type(a.dtype, xp.complex64))

    def inv(x):
        return la.inv(x)

    def det(x):
        return la.det(x)

    def slogdet(x):
        sign, logabsdet = la.slogdet(x)
        return sign, logabsdet

    def solve(a, b):
        return la.solve(a, b)

    def cholesky(x, upper):
        return la.cholesky(x, upper=upper, **sym)

    def qr(x, mode):
        q, r = la.qr(x, mode=mode)
        return q, r

    def svd(x, full_matrices):
        u, s, vh = la.svd(x, full_matrices=full_matrices)
        return u, s, vh

    def svdvals(x):
        return la.svdvals(x)

    # NumPy returns real eigenpairs when all eigenvalues are real; xops always returns complex.
    def eig(x):
        w, v = la.eig(x)
        return _complex(w), _complex(v)

    def eigvals(x):
        return _complex(la.eigvals(x))

    def eigh(x, UPLO):
        w, v = la.eigh(x, UPLO=UPLO, **sym)
        return w, v

    def eigvalsh(x, UPLO):
        return la.eigvalsh(x, UPLO=UPLO, **sym)

    def pinv(x, rtol, hermitian):
        return la.pinv(x, rtol=rtol, hermitian=hermitian)

    def vector_norm(x, axis, keepdims, ord):
        return la.vector_norm(x, axis=axis, keepdims=keepdims, ord=ord)

    def diagonal(x, offset):
        return xp.diagonal(x, offset, -2, -1)

    return {k: v for k, v in locals().items() if k in LINALG_NAMES}
