"""Explicit conversion of an array between backends (xops never converts implicitly between
frameworks), and the one implicit rule: host data (NumPy arrays and scalars, Python sequences)
become constants of the call's framework (:func:`host_constant`, docs/semantics.md).

DLPack is tried first, so data is shared rather than copied where both sides allow it (CPU
numpy <-> torch <-> jax, and tf through its dlpack capsules); otherwise the data goes through a
NumPy array on the host. The dtype is kept exactly or the call raises: no silent narrowing.
"""
from __future__ import annotations

import sys
from typing import Any, Callable

from ._dtypes import DType, bfloat16
from .backends import Backend, backend_of, default_backend, get_backend

__all__ = ["convert"]


def convert(x: Any, backend: str) -> Any:
    """``x`` as a native array of ``backend`` ('numpy', 'jax', 'torch', 'tensorflow'; 'np' and
    'tf' are aliases; or an Array API library's name such as 'array_api_strict' or
    'dask.array'), with the same dtype, sharing memory through DLPack where possible.

    Gradients do not flow across frameworks: a torch tensor that requires grad is detached.
    A lazy array (dask) is never computed here: compute it first.

    Raises:
        TypeError: ``x`` is not an array of a supported backend, ``backend`` cannot hold its
            dtype (jax without x64 mode cannot hold 64-bit types; NumPy needs ``ml_dtypes`` for
            bfloat16), or ``x`` is lazy.
    """
    dst = get_backend(backend)
    src = backend_of(x)
    if src is None:
        raise TypeError(f"xops.convert: {type(x).__module__}.{type(x).__qualname__} is not an "
                        "array of numpy, jax, torch or tensorflow; use xops.numpy.asarray(obj, "
                        "like=...) to create one")
    if src is dst:
        return x
    d = src.dtype_of(x)
    reason = dst.k.unsupported_dtype(d) if d in dst.native else f"it has no {d.name} dtype"
    if reason:
        raise TypeError(f"xops.convert: cannot convert a {d.name} {src.name} array to "
                        f"{dst.name}: {reason}. xops.convert never changes the dtype; cast "
                        "first with xops.numpy.astype if a narrower dtype is acceptable")
    if _xp(src) is not None or _xp(dst) is not None:
        out = _generic(x, src, dst, d)
    else:
        out = _direct(x, src.name, dst.name)
        if out is None:
            out = _from_host(_to_host(x, src.name, d), dst, d)
    got = dst.dtype_of(out)
    if got is not d:  # a framework changed it on the way: refuse rather than hand it back
        raise TypeError(f"xops.convert: {src.name} -> {dst.name} turned {d.name} into "
                        f"{got.name}; this conversion is not supported for {d.name}")
    return out


# --- Array API libraries (the generic backend, xops/backends/arrayapi/) -----------------------
def _xp(be: Backend) -> Any:
    """The standard namespace of a generic backend; None for the four native backends."""
    return getattr(be.package, "XP", None)


def _generic(x: Any, src: Backend, dst: Backend, d: DType) -> Any:
    """To or from an Array API library: through DLPack (the standard's exchange protocol), else
    through a NumPy array on the host; a lazy source refuses (the host path would compute it)."""
    from .backends.arrayapi import is_lazy
    if _xp(src) is not None and is_lazy(src.name):
        raise TypeError(f"xops.convert: a {src.name} array is lazy; converting it to "
                        f"{dst.name} would compute it: call .compute() (or persist) first, then "
                        "convert the result")
    xp = _xp(dst)
    if xp is not None:  # into a library: its from_dlpack, else its asarray of host data
        out = _try(xp.from_dlpack, x) if hasattr(xp, "from_dlpack") else None
        if out is None:
            host = x if src.name == "numpy" else _to_host_any(x, src, d)
            out = xp.asarray(host, dtype=dst.native[d])
        return out
    # out of a library: the native side's DLPack import, else via NumPy
    out = _try(_FROM_DLPACK[dst.name], x)
    return out if out is not None else _from_host(_to_host_any(x, src, d), dst, d)


def _to_host_any(x: Any, src: Backend, d: DType) -> Any:
    import numpy as np
    if _xp(src) is None:
        return _to_host(x, src.name, d)
    out = _try(np.from_dlpack, x)
    return out if out is not None else np.asarray(x)  # no DLPack: the array's own export


def _try(from_dlpack: Callable[[Any], Any], x: Any) -> Any | None:
    """``from_dlpack(x)``, or None where ``x`` has no DLPack or the pair is refused."""
    if not hasattr(x, "__dlpack__"):
        return None
    try:
        return from_dlpack(x)
    except Exception:  # noqa: BLE001 - unsupported layout/dtype/device pair: copy via host
        return None


def _tf_capsule(x: Any) -> Any:
    return sys.modules["tensorflow"].experimental.dlpack.to_dlpack(x)


def _direct(x: Any, src: str, dst: str) -> Any | None:
    """Zero-copy DLPack exchange between frameworks, or None to take the host path."""
    fn = _DIRECT.get((src, dst))
    if fn is None:
        return None
    if src == "torch":
        x = x.detach().resolve_conj().resolve_neg()
    try:
        return fn(x)
    except Exception:  # noqa: BLE001 - unsupported layout/dtype/device pair: copy via host
        return None


def _mod(name: str) -> Any:
    return sys.modules[name]  # imported by get_backend / present since x is such an array


# Each framework's DLPack import (of an object with __dlpack__; tf takes the capsule).
_FROM_DLPACK: dict[str, Callable[[Any], Any]] = {
    "numpy": lambda x: _mod("numpy").from_dlpack(x),
    "torch": lambda x: _mod("torch").from_dlpack(x),
    "jax": lambda x: _mod("jax").dlpack.from_dlpack(x),
    "tensorflow": lambda x: _mod("tensorflow").experimental.dlpack.from_dlpack(x.__dlpack__()),
}
_DIRECT: dict[tuple[str, str], Callable[[Any], Any]] = {
    ("jax", "torch"): _FROM_DLPACK["torch"],
    ("tensorflow", "torch"): lambda x: _FROM_DLPACK["torch"](_tf_capsule(x)),
    ("torch", "jax"): _FROM_DLPACK["jax"],
    ("torch", "tensorflow"): _FROM_DLPACK["tensorflow"],
    ("jax", "tensorflow"): _FROM_DLPACK["tensorflow"],
}


def _to_host(x: Any, src: str, d: DType) -> Any:
    """A NumPy array holding ``x``'s data (a view where the framework allows one)."""
    import numpy as np
    if src == "numpy":
        return np.asarray(x)
    if src == "torch":
        x = x.detach().resolve_conj().resolve_neg().cpu()
        if d is bfloat16:  # torch's .numpy() has no bfloat16: reinterpret the bits
            import ml_dtypes
            return x.view(_mod("torch").int16).numpy().view(ml_dtypes.bfloat16)
        return x.numpy()
    if src == "tensorflow":
        return x.numpy()
    return np.asarray(x)  # jax


def _from_host(a: Any, be: Backend, d: DType) -> Any:
    import numpy as np
    a, dst = np.asarray(a), be.name
    if dst == "numpy":
        return a
    if dst == "torch":
        torch = _mod("torch")
        if not a.flags.writeable:  # torch.from_numpy warns on read-only memory; try DLPack
            try:
                return torch.from_dlpack(a)
            except Exception:  # noqa: BLE001 - DLPack refused this array: copy it instead
                a = a.copy()
        if d is bfloat16:
            return torch.from_numpy(a.view(np.int16)).view(torch.bfloat16)
        return torch.from_numpy(a)
    if dst == "jax":
        return _mod("jax").numpy.asarray(a)
    return _mod("tensorflow").convert_to_tensor(a, dtype=be.native[d])


def host_constant(name: str, obj: Any, be: Backend, like: Any) -> Any:
    """NumPy data (array or scalar) or a Python sequence of numbers as a constant array of
    backend ``be`` on ``like``'s device (the mixing rule of docs/semantics.md): NumPy data keep
    their dtype, sequences take the dtype NumPy infers with ``be``'s defaults."""
    import numpy as np
    if isinstance(obj, (list, tuple)):
        from .numpy_api.creation import asarray
        try:
            return asarray(obj, like=like) if like is not None else _seq(obj, be)
        except (TypeError, ValueError) as e:
            raise type(e)(f"{_opname(name)}: a list/tuple argument must be a (rectangular) "
                          f"sequence of numbers: {e}") from None
    a = np.asarray(obj)
    d = backend_of(a).dtype_of(a)  # type: ignore[union-attr]
    if be.name == "jax" and d.bits == 64 and be.k.unsupported_dtype(d):
        # jax without x64 mode takes 64-bit NumPy data as 32-bit (jnp.asarray's own rule, which
        # jax users rely on: np.array([1.0]) is float64); docs/semantics.md says so.
        return _mod("jax").numpy.asarray(a)
    reason = be.k.unsupported_dtype(d) if d in be.native else f"it has no {d.name} dtype"
    if reason:
        raise TypeError(f"{_opname(name)}: a NumPy {d.name} constant cannot join {be.name} "
                        f"arrays: {reason}; cast it first")
    out = _from_host(a, be, d)
    if be.name == "torch" and like is not None and out.device != like.device:
        out = out.to(like.device)  # the constant's one upload, beside the call's arrays
    return out


def _seq(obj: Any, be: Backend) -> Any:
    from .numpy_api.creation import asarray
    with default_backend(be.name):
        return asarray(obj)


def _opname(name: str) -> str:
    from ._dispatch import opname_of
    return opname_of(name)
