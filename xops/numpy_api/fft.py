"""``xops.numpy.fft``: the Array API fft extension with NumPy semantics.

Every transform normalises its arguments here (axis/axes, ``n``/``s``, ``norm``, the input's
compute dtype) and then calls one of four kernels, each over a tuple of axes with explicit
lengths: ``fft.fftn``, ``fft.ifftn`` (complex to complex), ``fft.rfftn`` (real to half-spectrum)
and ``fft.irfftn`` (half-spectrum to real). The 1-d functions are the n-d kernels over one axis;
``hfft``/``ihfft`` are ``irfft``/``rfft`` of the conjugate with the norm direction swapped, as in
NumPy.

Dtypes follow NumPy 2: float32 (and float16/bfloat16, computed in float32) give complex64,
float64 gives complex128, complex input keeps its dtype, bool/integers compute in the backend's
default float. ``irfft``/``hfft`` return the matching real dtype (float16 input keeps float16,
as NumPy does).
"""
from __future__ import annotations

import operator
from typing import Any, Sequence

from .. import _dtypes
from .._dispatch import (
    array,
    call,
    compute_dtype,
    dtype_arg,
    normalize_axis,
    opname_of,
    resolve,
)
from .._dtypes import REAL_OF, DType
from ..backends import Backend
from . import creation, elementwise, manipulation
from ._common import _backend
from ._registry import declare

Array = Any

_NORMS = ("backward", "ortho", "forward")
# hfft/ihfft are the inverse/forward real transforms of the conjugate, scaled the other way.
_SWAP = {"backward": "forward", "ortho": "ortho", "forward": "backward"}


def _input(name: str, x: Any, real_only: bool = False) -> tuple[Backend, Any, DType]:
    """Backend, ``x`` cast to its compute dtype, and that dtype (float32/64 or complex64/128)."""
    be = array(name, x)
    d = be.dtype_of(x)
    if d.kind == "c" and real_only:
        raise TypeError(f"{opname_of(name)}: expects real input, got {d.name} (NumPy raises "
                        "too); take xnp.real(x) first if the imaginary part is unwanted")
    c = compute_dtype("lapack", d, be)
    be.check_dtype(_dtypes.to_complex(c), name)
    if c is not d:
        x = be.astype(x, c)
    return be, x, c


def _norm(name: str, norm: Any) -> str:
    if norm is None:
        return "backward"
    if norm not in _NORMS:
        raise ValueError(f"{opname_of(name)}: norm must be one of 'backward', 'ortho', 'forward' "
                         f"(or None), got {norm!r}")
    return norm


def _length(name: str, n: Any, what: str = "n") -> int:
    try:
        n = operator.index(n)
    except TypeError:
        raise TypeError(f"{opname_of(name)}: {what} must be an integer, got "
                        f"{type(n).__name__}") from None
    if n < 1:
        raise ValueError(f"{opname_of(name)}: invalid number of FFT data points ({n}); it must "
                         "be at least 1")
    return n


def _axes_and_lengths(name: str, shape: tuple[int, ...], s: Any, axes: Any,
                      c2r: bool = False) -> tuple[tuple[int, ...], tuple[int, ...]]:
    """NumPy's rules for ``s``/``axes`` of the n-d transforms, as (axes, lengths) with
    non-negative axes in the given order. ``c2r``: the last length defaults to 2*(m-1)."""
    nd = len(shape)
    if s is not None:
        if not isinstance(s, (tuple, list)):
            raise TypeError(f"{opname_of(name)}: s must be a sequence of integers, got "
                            f"{type(s).__name__}")
        s = list(s)
    if axes is None:
        if s is None:
            ax = tuple(range(nd))
        else:
            if len(s) > nd:
                raise ValueError(f"{opname_of(name)}: s has {len(s)} entries but the input has "
                                 f"only {nd} axes")
            ax = tuple(range(nd - len(s), nd))
    else:
        if not isinstance(axes, (tuple, list)):
            axes = (axes,)
        ax = tuple(normalize_axis(name, a, nd) for a in axes)
        if len(set(ax)) != len(ax):
            raise ValueError(f"{opname_of(name)}: repeated axis in axes={tuple(axes)} (xops "
                             "transforms each axis once; NumPy would transform it repeatedly)")
        if s is not None and len(s) != len(ax):
            raise ValueError(f"{opname_of(name)}: s and axes must have the same length, got "
                             f"{len(s)} and {len(ax)}")
    lengths = []
    for i, a in enumerate(ax):
        last = c2r and i == len(ax) - 1
        v = None if s is None else s[i]
        if v is None:
            v = 2 * (shape[a] - 1) if last else shape[a]
        elif not isinstance(v, bool) and v == -1:  # NumPy 2: the whole input, even for c2r
            v = shape[a]
        lengths.append(_length(name, v, "s"))
    return ax, tuple(lengths)


def _empty_result(be: Backend, x: Any, shape: Sequence[int], d: DType) -> Any:
    # Zero-size input: every output element is a transform of zero padding (or there are none).
    # Native kernels disagree here (torch's MKL path raises on a zero-size batch), so answer
    # directly.
    return be.k.zeros(tuple(shape), be.native[d], be.k.device(x))


def _out_shape(shape: tuple[int, ...], axes: tuple[int, ...], lengths: tuple[int, ...],
               half_last: bool = False) -> list[int]:
    out = list(shape)
    for i, (a, n) in enumerate(zip(axes, lengths)):
        out[a] = n // 2 + 1 if half_last and i == len(axes) - 1 else n
    return out


def _c2c(name: str, x: Any, lengths: Any, axes: Any, norm: Any,
         inverse: bool, nd_args: bool) -> Array:
    be, x, c = _input(name, x)
    norm = _norm(name, norm)
    shape = tuple(x.shape)
    ax: tuple[int, ...]
    ls: tuple[int, ...]
    if nd_args:
        ax, ls = _axes_and_lengths(name, shape, lengths, axes)
    else:
        a = normalize_axis(name, axes, len(shape))
        ax, ls = (a,), (_length(name, shape[a] if lengths is None else lengths),)
    cd = _dtypes.to_complex(c)
    if not ax:  # a transform over no axes is the identity (NumPy returns x as it is)
        return be.astype(x, cd) if c is not cd else x
    if 0 in shape:
        return _empty_result(be, x, _out_shape(shape, ax, ls), cd)
    return call(be, "fft.ifftn" if inverse else "fft.fftn", x, ls, ax, norm, op=name)


def _r2c(name: str, x: Any, lengths: Any, axes: Any, norm: str, nd_args: bool) -> Array:
    be, x, c = _input(name, x, real_only=True)
    shape = tuple(x.shape)
    ax: tuple[int, ...]
    ls: tuple[int, ...]
    if nd_args:
        ax, ls = _axes_and_lengths(name, shape, lengths, axes)
        if not ax:
            raise ValueError(f"{opname_of(name)}: needs at least one axis to transform")
    else:
        a = normalize_axis(name, axes, len(shape))
        ax, ls = (a,), (_length(name, shape[a] if lengths is None else lengths),)
    cd = _dtypes.to_complex(c)
    if 0 in shape:
        return _empty_result(be, x, _out_shape(shape, ax, ls, half_last=True), cd)
    return call(be, "fft.rfftn", x, ls, ax, norm, op=name)


def _c2r(name: str, x: Any, lengths: Any, axes: Any, norm: str, nd_args: bool,
         conj: bool = False) -> Array:
    orig = x
    be, x, c = _input(name, x)
    shape = tuple(x.shape)
    if nd_args:
        ax, ls = _axes_and_lengths(name, shape, lengths, axes, c2r=True)
        if not ax:
            raise ValueError(f"{opname_of(name)}: needs at least one axis to transform")
    else:
        a = normalize_axis(name, axes, len(shape))
        ax, ls = (a,), (_length(name, 2 * (shape[a] - 1) if lengths is None else lengths),)
    cd = _dtypes.to_complex(c)
    rd = REAL_OF[cd]
    if 0 in shape:
        out = _empty_result(be, x, _out_shape(shape, ax, ls), rd)
    else:
        if c is not cd:
            x = be.astype(x, cd)
        elif conj:
            x = be.k.conj(x)
        out = call(be, "fft.irfftn", x, ls, ax, norm, op=name)
    # NumPy keeps a real float16 input's dtype for the real-output transforms.
    d = be.dtype_of(orig)
    if d.kind == "f" and d.bits == 16:
        out = be.astype(out, d)
    return out


# --------------------------------------------------------------------------------------------
# complex transforms
# --------------------------------------------------------------------------------------------
# The Args/Returns sections of the transforms (one template per family, filled per op).
_NORM = "'backward', 'ortho' or 'forward'."
_COMPLEX = "A complex array of ``x``'s backend."
_ONE_D = """
    Args:
        x: {x}
        n: {n}
        axis: {axis}
        norm: {norm}

    Returns:
        {returns}
"""
_N_D = """
    Args:
        x: {x}
        s: {s}
        axes: {axes}
        norm: {norm}

    Returns:
        {returns}
"""


def _one_d(x: str, n: str, axis: str = "axis to transform.", norm: str = _NORM,
           returns: str = _COMPLEX) -> str:
    return _ONE_D.format(x=x, n=n, axis=axis, norm=norm, returns=returns)


def _n_d(x: str, s: str, axes: str = "axes to transform.", norm: str = _NORM,
         returns: str = _COMPLEX) -> str:
    return _N_D.format(x=x, s=s, axes=axes, norm=norm, returns=returns)


@declare("fft", namespace="fft", kernels=("fft.fftn",),
         doc_args=_one_d(x='array (real input is transformed as complex).',
                         n='transform length (default: the axis length; at least 1).',
                         norm="'backward' (no scaling), 'ortho' (1/sqrt(n)) or 'forward' "
                              "(1/n).",
                         returns="A complex array of ``x``'s backend (complex64 for "
                                 "float32/float16 input, complex128 for\n        float64, "
                                 "the default float's complex for integers)."))
def fft(x: Array, /, n: int | None = None, axis: int = -1, norm: str | None = "backward") -> Array:
    """One-dimensional discrete Fourier transform along ``axis``, zero-padded or cropped to
    ``n`` points."""
    return _c2c("fft.fft", x, n, axis, norm, False, False)


@declare("fft", namespace="fft", kernels=("fft.ifftn",),
         doc_args=_one_d(x='array.',
                         n='transform length (default: the axis length).',
                         norm="'backward' (1/n), 'ortho' (1/sqrt(n)) or 'forward' (no scaling)."))
def ifft(x: Array, /, n: int | None = None, axis: int = -1,
         norm: str | None = "backward") -> Array:
    """One-dimensional inverse discrete Fourier transform along ``axis`` (``n`` points)."""
    return _c2c("fft.ifft", x, n, axis, norm, True, False)


@declare("fft", namespace="fft", kernels=("fft.fftn",),
         doc_args=_n_d(x='array.', s='transform lengths (inputs are zero-padded or cropped).'))
def fftn(x: Array, /, s: Sequence[int] | None = None, axes: Sequence[int] | None = None,
         norm: str | None = "backward") -> Array:
    """N-dimensional discrete Fourier transform over ``axes`` with lengths ``s``.

    Axes default to the last ``len(s)`` axes, or all axes; an ``s`` entry of -1 keeps that
    axis's input length (NumPy 2; for ``irfftn`` too, where an omitted ``s`` gives
    ``2 * (m - 1)`` instead). Repeated axes raise ValueError (NumPy would transform an axis
    twice)."""
    return _c2c("fft.fftn", x, s, axes, norm, False, True)


@declare("fft", namespace="fft", kernels=("fft.ifftn",),
         doc_args=_n_d(x='array.',
                       s='transform lengths.',
                       axes='axes to transform (default as in ``fftn``).'))
def ifftn(x: Array, /, s: Sequence[int] | None = None, axes: Sequence[int] | None = None,
          norm: str | None = "backward") -> Array:
    """N-dimensional inverse discrete Fourier transform over ``axes`` with lengths ``s``."""
    return _c2c("fft.ifftn", x, s, axes, norm, True, True)


# --------------------------------------------------------------------------------------------
# real transforms
# --------------------------------------------------------------------------------------------
@declare("fft", namespace="fft", kernels=("fft.rfftn",),
         doc_args=_one_d(x='real array (complex input raises TypeError, as in NumPy).',
                         n='transform length.',
                         returns="A complex array of ``x``'s backend, length ``n // 2 + 1`` "
                                 "along ``axis``."))
def rfft(x: Array, /, n: int | None = None, axis: int = -1,
         norm: str | None = "backward") -> Array:
    """One-dimensional discrete Fourier transform of real input: the ``n // 2 + 1``
    non-negative frequency terms."""
    return _r2c("fft.rfft", x, n, axis, _norm("fft.rfft", norm), False)


@declare("fft", namespace="fft", kernels=("fft.irfftn",),
         doc_args=_one_d(x="array (the half spectrum; cropped or zero-padded to "
                           "``n // 2 + 1`` points).",
                         n="output length.",
                         returns="A real array of ``x``'s backend (float32 for complex64, "
                                 "float64 for complex128)."))
def irfft(x: Array, /, n: int | None = None, axis: int = -1,
          norm: str | None = "backward") -> Array:
    """Inverse of ``rfft``: ``n`` real points from a half spectrum (default ``n``:
    ``2 * (m - 1)`` for ``m`` input points along ``axis``).

    The imaginary parts of the zero-frequency term (and, for even ``n``, the Nyquist term) are
    ignored, as in NumPy."""
    return _c2r("fft.irfft", x, n, axis, _norm("fft.irfft", norm), False)


@declare("fft", namespace="fft", kernels=("fft.rfftn",),
         doc_args=_n_d(x='real array.',
                       s='transform lengths.',
                       axes='axes to transform (default as in ``fftn``).'))
def rfftn(x: Array, /, s: Sequence[int] | None = None, axes: Sequence[int] | None = None,
          norm: str | None = "backward") -> Array:
    """N-dimensional discrete Fourier transform of real input; the last of ``axes`` keeps
    ``s[-1] // 2 + 1`` non-negative frequencies."""
    return _r2c("fft.rfftn", x, s, axes, _norm("fft.rfftn", norm), True)


@declare("fft", namespace="fft", kernels=("fft.irfftn",),
         doc_args=_n_d(x='array (half spectrum along the last of ``axes``).',
                       s='output lengths.',
                       returns="A real array of ``x``'s backend."))
def irfftn(x: Array, /, s: Sequence[int] | None = None, axes: Sequence[int] | None = None,
           norm: str | None = "backward") -> Array:
    """Inverse of ``rfftn``: a real array with lengths ``s`` along ``axes`` (the last length
    defaults to ``2 * (m - 1)``)."""
    return _c2r("fft.irfftn", x, s, axes, _norm("fft.irfftn", norm), True)


@declare("fft", namespace="fft", kernels=("fft.irfftn",),
         doc_args=_one_d(x='array (the first half of a Hermitian signal).',
                         n='output length.',
                         returns="A real array of ``x``'s backend."))
def hfft(x: Array, /, n: int | None = None, axis: int = -1,
         norm: str | None = "backward") -> Array:
    """Discrete Fourier transform of a Hermitian-symmetric signal given by its first half:
    ``n`` real points (default ``2 * (m - 1)``)."""
    norm = _norm("fft.hfft", norm)
    return _c2r("fft.hfft", x, n, axis, _SWAP[norm], False, conj=True)


@declare("fft", namespace="fft", kernels=("fft.rfftn",),
         doc_args=_one_d(x='real array.', n='transform length.'))
def ihfft(x: Array, /, n: int | None = None, axis: int = -1,
          norm: str | None = "backward") -> Array:
    """Inverse of ``hfft``: the first ``n // 2 + 1`` points of the Hermitian spectrum of a real
    signal."""
    norm = _norm("fft.ihfft", norm)
    out = _r2c("fft.ihfft", x, n, axis, _SWAP[norm], False)
    return resolve("fft.ihfft", out).k.conj(out)


# --------------------------------------------------------------------------------------------
# frequencies and shifts (compositions of xops ops)
# --------------------------------------------------------------------------------------------
def _freq_args(name: str, n: Any, d: Any, dtype: Any, like: Any) -> tuple[int, float, DType]:
    be = resolve(name, like=like)
    n = _length(name, n)
    if type(d) not in (int, float) or isinstance(d, bool):
        raise TypeError(f"{opname_of(name)}: d must be a real Python number, got "
                        f"{type(d).__name__}")
    if d == 0:
        raise ValueError(f"{opname_of(name)}: d (the sample spacing) must not be zero")
    dt = dtype_arg(name, dtype) or be.default_float
    if dt.kind != "f":
        raise TypeError(f"{opname_of(name)}: dtype must be a real floating dtype, got {dt.name}")
    be.check_dtype(dt, name)
    return n, 1.0 / (n * d), dt


@declare("fft", namespace="fft", composite=True)
def fftfreq(n: int, /, d: float = 1.0, *, dtype: Any = None, device: Any = None,
            like: Array | None = None) -> Array:
    """Sample frequencies of an ``n``-point ``fft`` with sample spacing ``d``:
    ``[0, 1, ..., (n-1)//2, -(n//2), ..., -1] / (d * n)``.

    A creation function: the backend is ``like``'s, else the default backend.

    Args:
        n: window length (at least 1).
        d: sample spacing.
        dtype: real floating result dtype (default: the backend's default float).
        device: backend device.
        like: array whose backend and device to use.

    Returns:
        A 1-d native array of length ``n``.
    """
    n, val, dt = _freq_args("fft.fftfreq", n, d, dtype, like)
    pos = creation.arange(0, (n - 1) // 2 + 1, dtype=dt, device=device, like=like)
    neg = creation.arange(-(n // 2), 0, dtype=dt, device=device, like=like)
    return elementwise.multiply(manipulation.concatenate([pos, neg]), val)


@declare("fft", namespace="fft", composite=True)
def rfftfreq(n: int, /, d: float = 1.0, *, dtype: Any = None, device: Any = None,
             like: Array | None = None) -> Array:
    """Sample frequencies of an ``n``-point ``rfft`` with sample spacing ``d``:
    ``[0, 1, ..., n//2] / (d * n)``.

    Args:
        n: window length (at least 1).
        d: sample spacing.
        dtype: real floating result dtype.
        device: backend device.
        like: array whose backend and device to use.

    Returns:
        A 1-d native array of length ``n // 2 + 1``.
    """
    n, val, dt = _freq_args("fft.rfftfreq", n, d, dtype, like)
    return elementwise.multiply(creation.arange(0, n // 2 + 1, dtype=dt, device=device,
                                                like=like), val)


def _shift(name: str, x: Any, axes: Any, sign: int) -> Array:
    _backend(name, x)
    shape = tuple(x.shape)
    if axes is None:
        ax: tuple[int, ...] = tuple(range(len(shape)))
    else:
        ax = tuple(normalize_axis(name, a, len(shape))
                   for a in (axes if isinstance(axes, (tuple, list)) else (axes,)))
    if not ax:
        return x
    return manipulation.roll(x, tuple(sign * (shape[a] // 2) for a in ax), ax)


_SHIFT_ARGS = """
    Args:
        x: array.
        axes: int or sequence of ints.

    Returns:
        An array of ``x``'s backend, shape and dtype.
"""


@declare("fft", namespace="fft", composite=True, doc_args=_SHIFT_ARGS)
def fftshift(x: Array, /, axes: int | Sequence[int] | None = None) -> Array:
    """Move the zero-frequency term to the centre of ``axes`` (default: all axes)."""
    return _shift("fft.fftshift", x, axes, 1)


@declare("fft", namespace="fft", composite=True, doc_args=_SHIFT_ARGS)
def ifftshift(x: Array, /, axes: int | Sequence[int] | None = None) -> Array:
    """Inverse of ``fftshift`` (they differ for odd lengths)."""
    return _shift("fft.ifftshift", x, axes, -1)


__all__ = ["fft", "ifft", "fftn", "ifftn", "rfft", "irfft", "rfftn", "irfftn", "hfft", "ihfft",
           "fftfreq", "rfftfreq", "fftshift", "ifftshift"]
