"""``xops.numpy.linalg``: the Array API linalg extension with NumPy semantics.

Every op takes batched ``(..., M, N)`` input. Dtype rule (all ops unless the docstring says
otherwise): float32/float64/complex64/complex128 compute as they are; bool and integer input
computes in the backend's default float (NumPy: float64; jax without x64 and tensorflow:
float32); float16/bfloat16 compute in float32 (no framework has half-precision LAPACK) and the
result is cast back to the input dtype. Results that NumPy gives as real (norms, singular
values, eigvalsh, slogdet's logabsdet) are the matching real dtype for complex input.

Singular or non-positive-definite input: the eager numpy, torch and tensorflow backends raise
their own error (``numpy.linalg.LinAlgError``, ``torch.linalg.LinAlgError``,
``tf.errors.InvalidArgumentError``), annotated with the op's name, except tensorflow's cholesky,
which fills NaN; jax never raises and returns inf/nan, as does any backend under jit (an error
that depends on the data cannot exist there).
"""
from __future__ import annotations

import builtins
import math
import operator
from typing import Any, NamedTuple

from .. import _dtypes
from .._dispatch import (
    array,
    call,
    check_kind,
    compute_dtype,
    normalize_axes,
    normalize_axis,
    promote_args,
    resolve,
)
from .._dtypes import DType, bfloat16, float16, float32
from ..backends import Backend, _compiling
from . import creation as _cr
from . import elementwise as _ew
from . import manipulation as _mp
from . import products as _pr
from . import reductions as _rd
from ._registry import declare

Array = Any

_PY = (bool, int, float, complex)
_HALF = (float16, bfloat16)


# --- result types (NumPy's names and field names) ---------------------------------------------
class SlogdetResult(NamedTuple):
    sign: Array
    logabsdet: Array


class QRResult(NamedTuple):
    Q: Array
    R: Array


class SVDResult(NamedTuple):
    U: Array
    S: Array
    Vh: Array


class EigResult(NamedTuple):
    eigenvalues: Array
    eigenvectors: Array


class EighResult(NamedTuple):
    eigenvalues: Array
    eigenvectors: Array


class LstsqResult(NamedTuple):
    x: Array
    residuals: Array
    rank: Array
    s: Array


# --- shared argument handling -----------------------------------------------------------------
def _op(name: str) -> str:
    return f"xops.numpy.linalg.{name}"


def _backend(name: str, *xs: Any) -> Backend:
    for x in xs:
        array("linalg." + name, x)
    return resolve("linalg." + name, *xs)


def _dtypes_for(be: Backend, d: DType) -> tuple[DType, DType]:
    """(compute dtype, result dtype) for input dtype ``d`` (see the module docstring)."""
    c = compute_dtype("lapack", d, be)
    return c, (c if d.kind in "biu" else d)


def _shape(name: str, x: Any, min_ndim: int, square: bool) -> tuple:
    shape = tuple(x.shape)
    if len(shape) < min_ndim:
        raise ValueError(f"{_op(name)}: expects an array of at least {min_ndim} dimensions "
                         f"(..., M, N), got shape {shape}")
    if square and shape[-1] != shape[-2] and shape[-1] is not None and shape[-2] is not None:
        raise ValueError(f"{_op(name)}: expects square matrices (..., M, M), got shape {shape}")
    return shape


def _prep(name: str, x: Any, *, square: bool = False, min_ndim: int = 2,
          kinds: str = "biufc") -> tuple[Backend, Any, DType]:
    """Backend, ``x`` cast to its compute dtype, and the result dtype."""
    be = _backend(name, x)
    d = be.dtype_of(x)
    check_kind("linalg." + name, d, kinds)
    _shape(name, x, min_ndim, square)
    c, out = _dtypes_for(be, d)
    native = be.check_dtype(c, "linalg." + name)
    if c is not d:
        x = be.k.astype(x, native)
    return be, x, out


def _prep2(name: str, a: Any, b: Any) -> tuple[Backend, Any, Any, DType]:
    """Two operands promoted together, then cast to their compute dtype."""
    be = _backend(name, a, b)
    (a, b), d = promote_args("linalg." + name, be, (a, b), kinds="biufc")
    c, out = _dtypes_for(be, d)
    if c is not d:
        native = be.check_dtype(c, "linalg." + name)
        a, b = be.k.astype(a, native), be.k.astype(b, native)
    return be, a, b, out


def _square(name: str, x: Any, *args: Any) -> Any:
    """The body of the ops of one stack of square matrices and one result: the kernel ``name``
    on ``x`` in its compute dtype (with ``args``), the result cast back as :func:`_back` does."""
    be, xc, out = _prep(name, x, square=True)
    return _back(be, _k(be, name, xc, *args), out)


def _back(be: Backend, y: Any, out: DType) -> Any:
    """Cast a float32 result computed for half-precision input back to ``out``."""
    if out in _HALF and be.dtype_of(y) is float32:
        return be.k.astype(y, be.native[out])
    return y


def _k(be: Backend, name: str, *args: Any) -> Any:
    return call(be, "linalg." + name, *args)


def _eps(be: Backend, x: Any) -> float:
    return float(_dtypes.finfo(be.dtype_of(x)).eps)


def _concrete(be: Backend, t: Any) -> bool | None:
    """``bool(t)`` when ``t`` holds a value now, None while tracing (jit, tf.function, vmap,
    torch.compile), where a data-dependent answer cannot exist."""
    if be.name == "torch" and _compiling():
        return None
    try:
        return builtins.bool(t)
    except Exception:  # noqa: BLE001 - tracer / symbolic tensor / batched tensor
        return None


def _mT(x: Any) -> Any:
    return _mp.swapaxes(x, -1, -2)


def _mH(x: Any) -> Any:
    return _ew.conj(_mp.swapaxes(x, -1, -2))


# --- inverse, determinant, solve --------------------------------------------------------------
def _rhs(name: str, b: Array, sa: tuple, row: int) -> tuple[Array, tuple, bool]:
    """The right-hand side of solve/lstsq as matrices ``(..., M, K)`` (a 1-d ``x2`` becomes one
    column), checked against ``x1``'s dimension ``row``. Returns ``(b, b's shape, was 1-d)``."""
    sb = tuple(b.shape)
    if not sb:
        raise ValueError(f"{_op(name)}: x2 must be at least 1-d, got shape {sb}")
    vector = len(sb) == 1
    if vector:
        b = _mp.expand_dims(b, axis=-1)
        sb = tuple(b.shape)
    if sb[-2] != sa[row]:
        raise ValueError(f"{_op(name)}: x1 of shape {sa} and x2 of shape "
                         f"{sb[:-1] if vector else sb} do not align")
    return b, sb, vector


@declare("linalg", namespace="linalg")
def inv(x: Array, /) -> Array:
    """Inverse of each square matrix in ``x`` (shape ``(..., M, M)``).

    Args:
        x: array of square matrices. Dtypes: see the module docstring (integers compute in the
            default float, float16/bfloat16 in float32 and are cast back).

    Returns:
        An array of ``x``'s backend and shape. Singular input raises eagerly on numpy, torch
        and tensorflow, and gives inf/nan on jax and under jit.
    """
    return _square("inv", x)


# the Args/Returns of the ops of one stack of square matrices
_SQUARE_ARGS = """
    Args:
        x: array of shape ``(..., M, M)``.

    Returns:
        {returns}
"""


@declare("linalg", namespace="linalg", doc_args=_SQUARE_ARGS.format(
    returns="An array of shape ``(...)`` (0-d for one matrix) of ``x``'s backend."))
def det(x: Array, /) -> Array:
    """Determinant of each square matrix in ``x``."""
    return _square("det", x)


@declare("linalg", namespace="linalg", doc_args=_SQUARE_ARGS.format(returns="""\
``SlogdetResult(sign, logabsdet)``: ``sign`` has ``x``'s (compute) dtype (complex of
        modulus 1 for complex input, 0 for a singular matrix), ``logabsdet`` the real dtype
        (-inf for a singular matrix), both of shape ``(...)``."""))
def slogdet(x: Array, /) -> SlogdetResult:
    """Sign and natural log of the absolute determinant of each square matrix in ``x``."""
    be, xc, out = _prep("slogdet", x, square=True)
    sign, logabs = _k(be, "slogdet", xc)
    return SlogdetResult(_back(be, sign, out), _back(be, logabs, out))


@declare("linalg", namespace="linalg")
def solve(x1: Array, x2: Array, /) -> Array:
    """Solve ``x1 @ y = x2`` for ``y``: NumPy 2 / Array API rules (``x2`` is a vector only when
    it is 1-d; otherwise a stack of ``(M, K)`` matrices; batch axes broadcast).

    Args:
        x1: coefficient matrices ``(..., M, M)``.
        x2: ``(M,)`` or ``(..., M, K)``. Dtypes are promoted, then the module's dtype rule applies.

    Returns:
        An array of shape ``(..., M)`` (vector ``x2``) or ``broadcast(...) + (M, K)``.
    """
    name = "solve"
    be, a, b, out = _prep2(name, x1, x2)
    sa = _shape(name, a, 2, True)
    b, sb, vector = _rhs(name, b, sa, -1)
    batch = _mp._broadcast_shapes("linalg.solve", sa[:-2], sb[:-2])
    if sa[:-2] != batch:
        a = _mp.broadcast_to(a, batch + sa[-2:])
    if sb[:-2] != batch:
        b = _mp.broadcast_to(b, batch + sb[-2:])
    y = _k(be, name, a, b)
    if vector:
        y = y[..., 0]
    return _back(be, y, out)


@declare("linalg", namespace="linalg")
def pinv(x: Array, /, rcond: Any = None, hermitian: bool = False, *, rtol: Any = None) -> Array:
    """Moore-Penrose pseudo-inverse of each matrix in ``x``, from its SVD; singular values at
    or below ``rtol`` times the largest are treated as zero.

    The default ``rtol`` is the Array API's ``max(M, N) * eps`` (NumPy's with ``rtol=None``;
    NumPy's legacy default when neither ``rcond`` nor ``rtol`` is passed is ``1e-15``).

    Args:
        x: array of shape ``(..., M, N)``.
        rcond: NumPy's older name for ``rtol`` (pass one of them).
        hermitian: ``x`` is Hermitian (numpy/jax/torch then use an eigendecomposition; tensorflow
            always uses the SVD, which gives the same result for Hermitian input).
        rtol: relative cutoff, a float or an array broadcasting against ``(...)``.

    Returns:
        An array of shape ``(..., N, M)`` of ``x``'s backend.
    """
    name = "pinv"
    if rcond is not None and rtol is not None:
        raise ValueError(f"{_op(name)}: pass rtol or rcond, not both")
    be, xc, out = _prep(name, x)
    r = rtol if rtol is not None else rcond
    if r is None:
        s = tuple(xc.shape)
        r = builtins.max(s[-2], s[-1]) * _eps(be, xc)
    elif type(r) not in _PY:
        rd = _dtypes.REAL_OF.get(be.dtype_of(xc), be.dtype_of(xc))
        r = be.k.astype(r, be.native[rd])
    return _back(be, _k(be, name, xc, r, builtins.bool(hermitian)), out)


@declare("linalg", needs=("linalg.svd",), namespace="linalg", composite=True)
def lstsq(x1: Array, x2: Array, /, rcond: float | None = None) -> LstsqResult:
    """Least-squares solution of ``x1 @ x = x2`` (minimum norm when rank-deficient), from the
    SVD of ``x1``; singular values at or below ``rcond`` times the largest count as zero.

    NumPy's returns, extended to batches: ``x2`` is a vector only when 1-d. Deviations: ``rank``
    is a 0-d (or ``(...)``-shaped) array of the default integer dtype, not a Python int; the
    ``residuals`` shape depends on the data (empty when ``rank < N``), which cannot be known
    under jit/tf.function/vmap/torch.compile: there residuals are returned whenever ``M > N``.

    Args:
        x1: ``(..., M, N)``.
        x2: ``(M,)`` or ``(..., M, K)``.
        rcond: relative cutoff (default ``eps * max(M, N)`` of the compute dtype).

    Returns:
        ``LstsqResult(x, residuals, rank, s)``: ``x`` of shape ``(..., N)`` or ``(..., N, K)``;
        ``residuals`` the squared 2-norms of ``x2 - x1 @ x`` per column, shape ``(..., K)``
        (``(..., 1)`` for a vector ``x2``) when ``M > N`` and full rank, else ``(..., 0)``;
        ``rank`` of shape ``(...)``; ``s`` the singular values ``(..., min(M, N))`` (real).
    """
    name = "lstsq"
    be, a, b, out = _prep2(name, x1, x2)
    sa = _shape(name, a, 2, False)
    b, sb, vector = _rhs(name, b, sa, -2)
    m, n = sa[-2], sa[-1]
    u, s, vh = svd(a, full_matrices=False)
    if rcond is None:
        rcond = _eps(be, a) * builtins.max(m, n)
    smax = _rd.max(s, axis=-1, keepdims=True) if s.shape[-1] else s
    keep = _ew.greater(s, _ew.multiply(smax, rcond))
    s_safe = _ew.where(keep, s, 1.0)
    s_inv = _ew.where(keep, _ew.reciprocal(s_safe), 0.0)
    rd = be.dtype_of(s)
    uhb = _pr.matmul(_mH(u), b)
    coef = _ew.multiply(_mp.expand_dims(s_inv, axis=-1), uhb)
    sol = _pr.matmul(_mH(vh), coef)
    rank = _rd.count_nonzero(keep, axis=-1)
    batch = tuple(sol.shape[:-2])
    if m > n:
        r = _ew.subtract(b, _pr.matmul(a, sol))
        res = _rd.sum(_ew.square(_ew.abs(r)), axis=-2)
        full = _concrete(be, _rd.all(_ew.equal(rank, n)))
        if full is False:
            res = _cr.zeros(batch + (0,), dtype=rd, like=a)
    else:
        res = _cr.zeros(batch + (0,), dtype=rd, like=a)
    if vector:
        sol = sol[..., 0]
    return LstsqResult(_back(be, sol, out), _back(be, res, out), rank, _back(be, s, out))


@declare("linalg", namespace="linalg")
def cholesky(x: Array, /, *, upper: bool = False) -> Array:
    """Cholesky factor of each Hermitian positive-definite matrix in ``x`` (only the lower
    triangle of ``x`` is read, as in NumPy and LAPACK).

    Args:
        x: array of shape ``(..., M, M)``.
        upper: return the upper factor ``U`` with ``x = U^H U`` instead of the lower ``L`` with ``x
            = L L^H``.

    Returns:
        An array of ``x``'s shape and backend. Input that is not positive definite raises on
        eager numpy/torch and gives nan on jax, tensorflow and under jit.
    """
    return _square("cholesky", x, builtins.bool(upper))


@declare("linalg", namespace="linalg")
def qr(x: Array, /, mode: str = "reduced") -> QRResult | Array:
    """QR decomposition of each matrix in ``x``. The signs of ``R``'s diagonal (and so of
    ``Q``'s columns) are whatever the backend's LAPACK gives; compare by reconstruction.

    Args:
        x: array of shape ``(..., M, N)``.
        mode: ``"reduced"`` (Q ``(..., M, K)``, R ``(..., K, N)``, K = min(M, N)), ``"complete"``
            (Q ``(..., M, M)``, R ``(..., M, N)``) or NumPy's ``"r"`` (R of the reduced mode only).

    Returns:
        ``QRResult(Q, R)``, or ``R`` alone for ``mode="r"``.
    """
    if mode not in ("reduced", "complete", "r"):
        raise ValueError(f"{_op('qr')}: mode must be 'reduced', 'complete' or 'r', got {mode!r}")
    be, xc, out = _prep("qr", x)
    q, r = _k(be, "qr", xc, "complete" if mode == "complete" else "reduced")
    if mode == "r":
        return _back(be, r, out)
    return QRResult(_back(be, q, out), _back(be, r, out))


@declare("linalg", namespace="linalg")
def svd(x: Array, /, full_matrices: bool = True, compute_uv: bool = True,
        hermitian: bool = False) -> SVDResult | Array:
    """Singular value decomposition ``x = U @ diag(S) @ Vh`` of each matrix in ``x``, singular
    values in descending order. Singular vectors are unique only up to a phase per pair (signs
    differ between libraries); compare by reconstruction.

    Args:
        x: array of shape ``(..., M, N)``.
        full_matrices: U ``(..., M, M)`` and Vh ``(..., N, N)`` (True) or ``(..., M, K)`` and
            ``(..., K, N)``, K = min(M, N).
        compute_uv: NumPy's switch; False returns ``S`` only (as :func:`svdvals`).
        hermitian: accepted for NumPy compatibility; the general SVD is always computed (the same
            values for Hermitian input).

    Returns:
        ``SVDResult(U, S, Vh)`` (``S`` real), or ``S`` when ``compute_uv`` is False. On
        tensorflow, whose ``tf.linalg.svd`` returns ``V``, ``Vh`` is its conjugate transpose.
    """
    if not compute_uv:
        return svdvals(x)
    be, xc, out = _prep("svd", x)
    u, s, vh = _k(be, "svd", xc, builtins.bool(full_matrices))
    return SVDResult(_back(be, u, out), _back(be, s, out), _back(be, vh, out))


@declare("linalg", namespace="linalg")
def svdvals(x: Array, /) -> Array:
    """Singular values of each matrix in ``x``, in descending order.

    Args:
        x: array of shape ``(..., M, N)``.

    Returns:
        A real array of shape ``(..., min(M, N))`` (float32 for complex64 input, ...).
    """
    be, xc, out = _prep("svdvals", x)
    return _back(be, _k(be, "svdvals", xc), out)


@declare("linalg", namespace="linalg", doc_args=_SQUARE_ARGS.format(
    returns="``EigResult(eigenvalues, eigenvectors)`` of shapes ``(..., M)`` and ``(..., M, M)``."))
def eig(x: Array, /) -> EigResult:
    """Eigenvalues and right eigenvectors (unit 2-norm columns) of each square matrix in ``x``.

    Deviation from NumPy: results are always complex (complex64 for float32/half input,
    complex128 for float64), as in the Array API and jax; NumPy returns real arrays when every
    eigenvalue is real, a dtype that depends on the data and cannot exist under jit. The order
    of eigenvalues and the phase of eigenvectors are the backend's. jax computes ``eig`` on CPU
    only.
    """
    be, xc, _ = _prep("eig", x, square=True)
    w, v = _k(be, "eig", xc)
    return EigResult(w, v)


@declare("linalg", namespace="linalg", doc_args=_SQUARE_ARGS.format(
    returns="A complex array of shape ``(..., M)``, in the backend's order."))
def eigvals(x: Array, /) -> Array:
    """Eigenvalues of each square matrix in ``x``; always complex (see :func:`eig`)."""
    be, xc, _ = _prep("eigvals", x, square=True)
    return _k(be, "eigvals", xc)


def _uplo(name: str, UPLO: str) -> str:
    if UPLO not in ("L", "U"):
        raise ValueError(f"{_op(name)}: UPLO must be 'L' or 'U', got {UPLO!r}")
    return UPLO


@declare("linalg", namespace="linalg")
def eigh(x: Array, /, UPLO: str = "L") -> EighResult:
    """Eigenvalues (ascending) and orthonormal eigenvectors of each Hermitian matrix in ``x``;
    only the ``UPLO`` triangle is read (jax is told not to symmetrize, to match).

    Args:
        x: array of shape ``(..., M, M)``.
        UPLO: ``"L"`` or ``"U"``.

    Returns:
        ``EighResult(eigenvalues, eigenvectors)``: real eigenvalues ``(..., M)``, eigenvectors
        ``(..., M, M)`` in columns (signs/phases are the backend's).
    """
    be, xc, out = _prep("eigh", x, square=True)
    w, v = _k(be, "eigh", xc, _uplo("eigh", UPLO))
    return EighResult(_back(be, w, out), _back(be, v, out))


@declare("linalg", namespace="linalg")
def eigvalsh(x: Array, /, UPLO: str = "L") -> Array:
    """Eigenvalues (ascending) of each Hermitian matrix in ``x``; only the ``UPLO`` triangle is
    read.

    Args:
        x: array of shape ``(..., M, M)``.
        UPLO: ``"L"`` or ``"U"``.

    Returns:
        A real array of shape ``(..., M)``.
    """
    return _square("eigvalsh", x, _uplo("eigvalsh", UPLO))


# --- rank and powers ----------------------------------------------------------------------------
@declare("linalg", needs=("linalg.svdvals",), namespace="linalg", composite=True)
def matrix_rank(x: Array, /, tol: Any = None, hermitian: bool = False, *,
                rtol: Any = None) -> Array:
    """Number of singular values of each matrix greater than the tolerance.

    Args:
        x: array of shape ``(..., M, N)`` (NumPy's 0-d/1-d input gives 1 unless all zero).
        tol: absolute tolerance (NumPy).
        hermitian: use ``|eigvalsh(x)|`` as singular values.
        rtol: relative tolerance (Array API), times the largest singular value; default ``max(M, N)
            * eps`` of the compute dtype. Pass at most one of tol and rtol.

    Returns:
        An array of shape ``(...)`` of the backend's default integer dtype (NumPy gives int64;
        jax without x64 int32).
    """
    name = "matrix_rank"
    if tol is not None and rtol is not None:
        raise ValueError(f"{_op(name)}: pass tol or rtol, not both")
    be = _backend(name, x)
    if len(tuple(x.shape)) < 2:
        return _rd.count_nonzero(_rd.any(x))
    be, xc, _ = _prep(name, x)
    s = _ew.abs(eigvalsh(xc)) if hermitian else svdvals(xc)
    if tol is None:
        if rtol is None:
            sh = tuple(xc.shape)
            rtol = builtins.max(sh[-2], sh[-1]) * _eps(be, xc)
        elif type(rtol) not in _PY:
            rtol = _mp.expand_dims(rtol, axis=-1)
        smax = _rd.max(s, axis=-1, keepdims=True) if s.shape[-1] else s
        cut = _ew.multiply(smax, rtol)
    else:
        cut = tol if type(tol) in _PY else _mp.expand_dims(tol, axis=-1)
    return _rd.count_nonzero(_ew.greater(s, cut), axis=-1)


@declare("linalg", needs={"linalg.inv": "n < 0"}, namespace="linalg", composite=True)
def matrix_power(x: Array, n: int, /) -> Array:
    """``x`` raised to the integer power ``n`` by repeated squaring (``n < 0``: powers of
    :func:`inv` of ``x``; ``n == 0``: identity matrices).

    Args:
        x: array of square matrices ``(..., M, M)`` of an integer, float or complex dtype (bool is
            refused: xops matmul has no bool product).
        n: a Python int.

    Returns:
        An array of ``x``'s shape: ``x``'s dtype for ``n >= 0`` (integer stays integer, as in
        NumPy), the inverse's dtype (module rule) for ``n < 0``.
    """
    name = "matrix_power"
    be = _backend(name, x)
    try:
        n = operator.index(n)
    except TypeError:
        raise TypeError(f"{_op(name)}: n must be an integer, got {type(n).__name__}") from None
    shape = _shape(name, x, 2, True)
    d = be.dtype_of(x)
    check_kind("linalg." + name, d, "iufc")
    if n == 0:
        return _mp.broadcast_to(_cr.eye(shape[-1], dtype=d, like=x), shape)
    if n < 0:
        x = inv(x)
        n = -n
    result = None
    base = x
    while True:
        if n & 1:
            result = base if result is None else _pr.matmul(result, base)
        n >>= 1
        if not n:
            return result
        base = _pr.matmul(base, base)


# --- norms ----------------------------------------------------------------------------------
def _ord_ok(name: str, ord: Any) -> None:
    if isinstance(ord, str) or isinstance(ord, builtins.bool) or not isinstance(ord, (int, float)):
        raise ValueError(f"{_op(name)}: invalid norm order {ord!r} for vectors; expected a "
                         "number, inf or -inf")


@declare("linalg", namespace="linalg")
def vector_norm(x: Array, /, *, axis: Any = None, keepdims: bool = False, ord: Any = 2) -> Array:
    """Vector ``ord``-norm over ``axis`` (None: all elements as one vector):
    ``sum(|x|**ord)**(1/ord)``; ``inf``/``-inf`` give max/min of ``|x|``, 0 counts non-zeros.

    Args:
        x: array.
        axis: None, an int or a tuple of ints.
        keepdims: keep the reduced axes as size 1.
        ord: any non-zero number, 0, ``inf`` or ``-inf``.

    Returns:
        A real array (float32 for complex64 input, float16 for float16, the default float for
        integers) of ``x``'s backend.
    """
    name = "vector_norm"
    _ord_ok(name, ord)
    be, xc, out = _prep(name, x, min_ndim=0)
    axes = None
    if axis is not None:
        axes = normalize_axes("linalg." + name, axis, len(tuple(xc.shape)))
    return _back(be, _k(be, name, xc, axes, builtins.bool(keepdims), ord), out)


_MATRIX_ORDS = ("fro", "nuc", 1, -1, 2, -2, math.inf, -math.inf)


def _matrix_norm(be: Backend, xc: Any, ord: Any) -> Any:
    """Matrix norm over the last two axes of ``xc`` (already in its compute dtype)."""
    if ord == "fro":
        return vector_norm(xc, axis=(-2, -1))
    if ord in ("nuc", 2, -2):
        s = svdvals(xc)
        if ord == "nuc":
            return _rd.sum(s, axis=-1)
        return (_rd.max if ord == 2 else _rd.min)(s, axis=-1)
    a = _ew.abs(xc)
    if ord in (1, -1):
        sums = _rd.sum(a, axis=-2)
        return (_rd.max if ord == 1 else _rd.min)(sums, axis=-1)
    sums = _rd.sum(a, axis=-1)
    return (_rd.max if ord == math.inf else _rd.min)(sums, axis=-1)


def _check_matrix_ord(name: str, ord: Any) -> None:
    if isinstance(ord, str):
        ok = ord in ("fro", "nuc")
    else:
        ok = (isinstance(ord, (int, float)) and not isinstance(ord, builtins.bool)
              and ord in (1, -1, 2, -2, math.inf, -math.inf))
    if not ok:
        raise ValueError(f"{_op(name)}: invalid norm order {ord!r} for matrices; expected one "
                         "of 'fro', 'nuc', 1, -1, 2, -2, inf, -inf")


@declare("linalg", needs={"linalg.svdvals": "ord 2, -2 or 'nuc'"}, namespace="linalg",
         composite=True)
def matrix_norm(x: Array, /, *, keepdims: bool = False, ord: Any = "fro") -> Array:
    """Matrix norm of each matrix in ``x`` (last two axes): Frobenius, nuclear (sum of singular
    values), 2/-2 (largest/smallest singular value), 1/-1 (max/min column sum of ``|x|``),
    inf/-inf (max/min row sum).

    Args:
        x: array of shape ``(..., M, N)``.
        keepdims: keep the last two axes as size 1.
        ord: ``'fro'``, ``'nuc'``, 1, -1, 2, -2, ``inf`` or ``-inf``.

    Returns:
        A real array of shape ``(...)`` (or ``(..., 1, 1)``), of the dtype described in the
        module docstring.
    """
    name = "matrix_norm"
    _check_matrix_ord(name, ord)
    be, xc, out = _prep(name, x)
    r = _matrix_norm(be, xc, ord)
    if keepdims:
        r = _mp.expand_dims(r, axis=(-2, -1))
    return _back(be, r, out)


@declare("linalg", namespace="linalg", composite=True)
def norm(x: Array, /, ord: Any = None, axis: Any = None, keepdims: bool = False) -> Array:
    """NumPy's ``norm``: a vector norm (``axis`` an int, or None with 1-d ``x``; ``ord=None``
    is the 2-norm, and with ``axis=None`` any ``x`` is flattened) or a matrix norm (``axis`` a
    pair, or None with 2-d ``x``; ``ord=None`` is Frobenius).

    Args:
        x: array.
        ord: the order (see :func:`vector_norm` / :func:`matrix_norm`).
        axis: None, an int or a 2-tuple.
        keepdims: keep the normed axes as size 1.

    Returns:
        A real array of ``x``'s backend (dtype as in the module docstring).
    """
    name = "norm"
    be, xc, out = _prep(name, x, min_ndim=0)
    nd = len(tuple(xc.shape))
    if axis is None:
        if ord is None:
            return _back(be, vector_norm(xc, axis=None, keepdims=keepdims), out)
        if nd == 1:
            axis = (0,)
        elif nd == 2:
            axis = (0, 1)
        else:
            raise ValueError(f"{_op(name)}: with ord={ord!r} and axis=None, x must be 1-d or "
                             f"2-d, got {nd}-d")
    elif not isinstance(axis, (tuple, list)):
        axis = (axis,)
    axes = tuple(normalize_axis("linalg.norm", a, nd) for a in axis)
    if len(axes) == 1:
        if ord is not None:
            _ord_ok(name, ord)
        return _back(be, vector_norm(xc, axis=axes, keepdims=keepdims,
                                     ord=2 if ord is None else ord), out)
    if len(axes) != 2 or axes[0] == axes[1]:
        raise ValueError(f"{_op(name)}: axis must be an int or a pair of distinct ints, got "
                         f"{axis!r}")
    ord = "fro" if ord is None else ord
    _check_matrix_ord(name, ord)
    r = _matrix_norm(be, _mp.moveaxis(xc, axes, (-2, -1)), ord)
    if keepdims:
        r = _mp.expand_dims(r, axis=tuple(sorted(axes)))
    return _back(be, r, out)


# --- shape-level ops (Array API: last two axes) -----------------------------------------------
@declare("linalg", namespace="linalg")
def diagonal(x: Array, /, *, offset: int = 0) -> Array:
    """The ``offset``-th diagonal of each matrix in ``x`` (last two axes; Array API, unlike the
    top-level NumPy ``diagonal`` which uses the first two). Any dtype.

    Args:
        x: array of shape ``(..., M, N)``.
        offset: 0 main diagonal, > 0 above, < 0 below.

    Returns:
        An array of shape ``(..., L)`` of ``x``'s dtype (L = 0 when the offset is outside).
    """
    be = _backend("diagonal", x)
    _shape("diagonal", x, 2, False)
    try:
        offset = operator.index(offset)
    except TypeError:
        raise TypeError(f"{_op('diagonal')}: offset must be an integer") from None
    return _k(be, "diagonal", x, offset)


@declare("linalg", namespace="linalg", composite=True)
def trace(x: Array, /, *, offset: int = 0, dtype: Any = None) -> Array:
    """Sum along the ``offset``-th diagonal of each matrix in ``x`` (last two axes); the
    accumulation dtype follows :func:`xops.numpy.sum` (bool/small integers: default integer).

    Args:
        x: array of shape ``(..., M, N)``.
        offset: diagonal offset.
        dtype: result dtype.

    Returns:
        An array of shape ``(...)`` of ``x``'s backend.
    """
    return _rd.sum(diagonal(x, offset=offset), axis=-1, dtype=dtype)


@declare("linalg", namespace="linalg", composite=True)
def outer(x1: Array, x2: Array, /) -> Array:
    """Outer product of two 1-d arrays (Array API: no flattening; dtypes promoted).

    Args:
        x1: array of shape ``(N,)``.
        x2: array of shape ``(M,)``.

    Returns:
        An array of shape ``(N, M)`` of the inputs' backend.
    """
    _backend("outer", x1, x2)
    for v in (x1, x2):
        if len(tuple(v.shape)) != 1:
            raise ValueError(f"{_op('outer')}: expects 1-d arrays, got shape {tuple(v.shape)}")
    return _ew.multiply(_mp.expand_dims(x1, axis=-1), _mp.expand_dims(x2, axis=0))


@declare("linalg", namespace="linalg", composite=True)
def cross(x1: Array, x2: Array, /, *, axis: int = -1) -> Array:
    """Cross product of 3-element vectors along ``axis``; the other axes broadcast.

    Args:
        x1: arrays (integer, float or complex; promoted) whose ``axis`` has size 3.
        x2: arrays (integer, float or complex; promoted) whose ``axis`` has size 3.
        axis: the vector axis, counted in the broadcast shape (use a negative axis when the ranks
            differ; NumPy counts a positive axis per input).

    Returns:
        An array of the broadcast shape and promoted dtype.
    """
    name = "cross"
    be = _backend(name, x1, x2)
    (a, b), _ = promote_args("linalg." + name, be, (x1, x2), kinds="iufc")
    sa, sb = tuple(a.shape), tuple(b.shape)
    shape = _mp._broadcast_shapes("linalg." + name, sa, sb)
    ax = normalize_axis("linalg." + name, axis, len(shape))
    for s in (sa, sb):
        i = ax - (len(shape) - len(s))
        if i < 0 or s[i] != 3:
            raise ValueError(f"{_op(name)}: both inputs need size 3 along axis {axis}, got "
                             f"shapes {sa} and {sb}")
    if sa != shape:
        a = _mp.broadcast_to(a, shape)
    if sb != shape:
        b = _mp.broadcast_to(b, shape)
    a = _mp.moveaxis(a, ax, -1)
    b = _mp.moveaxis(b, ax, -1)
    a0, a1, a2 = a[..., 0], a[..., 1], a[..., 2]
    b0, b1, b2 = b[..., 0], b[..., 1], b[..., 2]
    mul, sub = _ew.multiply, _ew.subtract
    c = _mp.stack([sub(mul(a1, b2), mul(a2, b1)), sub(mul(a2, b0), mul(a0, b2)),
                   sub(mul(a0, b1), mul(a1, b0))], axis=-1)
    return _mp.moveaxis(c, -1, ax)
