"""Kernels shared by the NumPy-compatible namespaces (numpy and jax.numpy), parametrised by the
namespace, as array-api-compat does: jnp mirrors NumPy's names and keywords, so one definition
serves both tables and each table only states where it differs."""
from __future__ import annotations

from typing import Any, Callable

# Ops whose kernel is the namespace's function of the same name, called as is.
SAME_NAME = (
    "add", "subtract", "multiply", "divide", "floor_divide", "remainder", "fmod", "power",
    "maximum", "minimum", "arctan2", "hypot", "logaddexp", "copysign", "negative", "positive",
    "abs", "sign", "square", "reciprocal", "sqrt", "cbrt", "exp", "exp2", "expm1", "log", "log1p",
    "log2", "log10", "sin", "cos", "tan", "arcsin", "arccos", "arctan", "sinh", "cosh", "tanh",
    "arcsinh", "arccosh", "arctanh", "deg2rad", "rad2deg", "floor", "ceil", "trunc", "rint",
    "isnan", "isinf", "isfinite", "signbit", "real", "imag", "conj", "equal", "not_equal", "less",
    "less_equal", "greater", "greater_equal", "logical_and", "logical_or", "logical_xor",
    "logical_not", "bitwise_and", "bitwise_or", "bitwise_xor", "left_shift", "right_shift",
    "tril", "triu", "reshape", "transpose", "expand_dims", "squeeze", "concatenate", "stack",
    "broadcast_to", "flip", "roll", "tile", "where", "matmul",
)


def kernels(xp: Any) -> dict[str, Callable]:
    """The kernel table entries for namespace ``xp`` (``numpy`` or ``jax.numpy``)."""
    out: dict[str, Callable] = {name: getattr(xp, name) for name in SAME_NAME}
    out["bitwise_not"] = xp.invert

    # reductions: x arrives in the accumulation dtype, which the result keeps
    def sum(x, axis, keepdims):  # noqa: A001
        return xp.sum(x, axis=axis, keepdims=keepdims, dtype=x.dtype)

    def prod(x, axis, keepdims):
        return xp.prod(x, axis=axis, keepdims=keepdims, dtype=x.dtype)

    def mean(x, axis, keepdims):
        return xp.mean(x, axis=axis, keepdims=keepdims)

    def var(x, axis, keepdims, ddof):
        return xp.var(x, axis=axis, keepdims=keepdims, ddof=ddof)

    def std(x, axis, keepdims, ddof):
        return xp.std(x, axis=axis, keepdims=keepdims, ddof=ddof)

    def max(x, axis, keepdims):  # noqa: A001
        return xp.max(x, axis=axis, keepdims=keepdims)

    def min(x, axis, keepdims):  # noqa: A001
        return xp.min(x, axis=axis, keepdims=keepdims)

    def all(x, axis, keepdims):  # noqa: A001
        return xp.all(x, axis=axis, keepdims=keepdims)

    def any(x, axis, keepdims):  # noqa: A001
        return xp.any(x, axis=axis, keepdims=keepdims)

    def argmax(x, axis, keepdims, idx):
        return xp.asarray(xp.argmax(x, axis=axis, keepdims=keepdims), dtype=idx)

    def argmin(x, axis, keepdims, idx):
        return xp.asarray(xp.argmin(x, axis=axis, keepdims=keepdims), dtype=idx)

    def count_nonzero(x, axis, keepdims, idx):
        return xp.asarray(xp.count_nonzero(x, axis=axis, keepdims=keepdims), dtype=idx)

    def cumsum(x, axis):
        return xp.cumsum(x, axis=axis, dtype=x.dtype)

    def cumprod(x, axis):
        return xp.cumprod(x, axis=axis, dtype=x.dtype)

    # creation (NumPy >= 2 and jax both take device=)
    def zeros(shape, dtype, device):
        return xp.zeros(shape, dtype=dtype, device=device)

    def ones(shape, dtype, device):
        return xp.ones(shape, dtype=dtype, device=device)

    def empty(shape, dtype, device):
        return xp.empty(shape, dtype=dtype, device=device)

    def full(shape, fill_value, dtype, device):
        return xp.full(shape, fill_value, dtype=dtype, device=device)

    def arange(start, stop, step, dtype, device):
        return xp.arange(start, stop, step, dtype=dtype, device=device)

    def linspace(start, stop, num, endpoint, dtype, device):
        return xp.linspace(start, stop, num, endpoint=endpoint, dtype=dtype, device=device)

    def eye(n, m, k, dtype, device):
        return xp.eye(n, m, k, dtype=dtype, device=device)

    def meshgrid(arrays, indexing):
        return list(xp.meshgrid(*arrays, indexing=indexing))

    # shape and indexing
    def split(x, starts, sizes, axis):
        return list(xp.split(x, list(starts[1:]), axis=axis))

    def repeat(x, repeats, axis):
        if isinstance(repeats, tuple):
            repeats = xp.asarray(repeats)
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
    return out
