"""Canonical dtypes and the one promotion table xops applies on every backend.

Backends disagree on promotion (int32 + float16 is float64 in NumPy, float16 in torch and jax,
an error in tf), so xops decides the result dtype itself and casts before the native call.
The lattice is the Array API one, extended like JAX's for mixed kinds: any integer with a
float gives that float, any real with a complex gives the complex of the wider precision.
"""
from __future__ import annotations

from typing import Any, Iterable

__all__ = [
    "DType", "bool_", "int8", "int16", "int32", "int64", "uint8", "uint16", "uint32", "uint64",
    "float16", "bfloat16", "float32", "float64", "complex64", "complex128",
    "ALL_DTYPES", "promote_types", "finfo", "iinfo", "canonical",
]


class DType:
    """A canonical xops dtype. Compares equal to its name and to any framework's spelling of it."""

    __slots__ = ("name", "kind", "bits", "__weakref__")

    def __init__(self, name: str, kind: str, bits: int) -> None:
        self.name = name
        self.kind = kind  # 'b' bool, 'i' signed, 'u' unsigned, 'f' float, 'c' complex
        self.bits = bits

    @property
    def itemsize(self) -> int:
        return max(1, self.bits // 8)

    def __repr__(self) -> str:
        return f"xops.{self.name}"

    __str__ = __repr__

    def __eq__(self, other: object) -> bool:
        if other is self:
            return True
        if isinstance(other, DType):
            return False
        try:
            return canonical(other) is self
        except TypeError:
            return False

    def __hash__(self) -> int:
        return hash(self.name)

    def __reduce__(self) -> Any:
        return (canonical, (self.name,))


bool_ = DType("bool", "b", 8)
int8, int16, int32, int64 = (DType(f"int{b}", "i", b) for b in (8, 16, 32, 64))
uint8, uint16, uint32, uint64 = (DType(f"uint{b}", "u", b) for b in (8, 16, 32, 64))
float16 = DType("float16", "f", 16)
bfloat16 = DType("bfloat16", "f", 16)
float32 = DType("float32", "f", 32)
float64 = DType("float64", "f", 64)
complex64 = DType("complex64", "c", 64)
complex128 = DType("complex128", "c", 128)

ALL_DTYPES: tuple[DType, ...] = (
    bool_, int8, int16, int32, int64, uint8, uint16, uint32, uint64,
    float16, bfloat16, float32, float64, complex64, complex128,
)
_BY_NAME: dict[str, DType] = {d.name: d for d in ALL_DTYPES}
_BY_NAME.update({"bool_": bool_, "float": float64, "int": int64, "complex": complex128,
                 "half": float16, "single": float32, "double": float64})
_SIGNED = {8: int8, 16: int16, 32: int32, 64: int64}
_UNSIGNED = {8: uint8, 16: uint16, 32: uint32, 64: uint64}
_FLOAT = {16: float16, 32: float32, 64: float64}
_COMPLEX_OF = {16: complex64, 32: complex64, 64: complex128}
REAL_OF = {complex64: float32, complex128: float64}

# Native dtype objects of every loaded backend register here (see backends/__init__.py), so
# canonical(torch.float32) works without xops importing torch.
_NATIVE: dict[Any, DType] = {}


def register_native(mapping: dict[Any, DType]) -> None:
    """Teach :func:`canonical` a backend's native dtype objects (first registration wins)."""
    for native, d in mapping.items():
        _NATIVE.setdefault(native, d)


# Packages whose dtype-like objects are read by their name.
_DTYPE_MODULES = ("numpy", "ml_dtypes", "torch", "tensorflow", "jax", "builtins")


def canonical(obj: Any) -> DType:
    """The canonical DType for a DType, a name, a NumPy dtype/type or a backend's native dtype."""
    if isinstance(obj, DType):
        return obj
    try:
        d = _NATIVE.get(obj)
    except TypeError:  # unhashable
        d = None
    if d is not None:
        return d
    if isinstance(obj, str):
        d = _BY_NAME.get(obj)
        if d is not None:
            return d
    elif obj is bool:
        return bool_
    elif obj is int:
        return int64
    elif obj is float:
        return float64
    elif obj is complex:
        return complex128
    else:
        name = getattr(obj, "name", None)
        if not isinstance(name, str) and isinstance(obj, type):
            name = getattr(obj, "__name__", None)
        if isinstance(name, str):
            d = _BY_NAME.get(name)
            if d is not None and type(obj).__module__.split(".")[0] in _DTYPE_MODULES:
                return d
    hint = ""
    if str(obj).startswith("key<"):  # a typed jax PRNG key (jax.random.key)
        hint = ("; this is a typed jax PRNG key: xops.random takes raw uint32 keys "
                "(xops.random.key(seed) or jax.random.key_data(key))")
    raise TypeError(f"xops: {obj!r} is not a dtype xops knows; expected one of "
                    f"{', '.join(d.name for d in ALL_DTYPES)}{hint}")


def _promote_pair(a: DType, b: DType) -> DType:
    if a is b:
        return a
    if a.kind == "b":
        return b
    if b.kind == "b":
        return a
    ka, kb = a.kind, b.kind
    if ka in "iu" and kb in "iu":
        if ka == kb:
            return a if a.bits >= b.bits else b
        s, u = (a, b) if ka == "i" else (b, a)
        if s.bits > u.bits:
            return s
        if u.bits < 64:
            return _SIGNED[u.bits * 2]
        return float64  # NumPy's answer for uint64 with a signed integer: no integer holds both
    if ka in "iu":
        return b
    if kb in "iu":
        return a
    if ka == "f" and kb == "f":
        if {a, b} == {float16, bfloat16}:
            return float32
        return a if a.bits >= b.bits else b
    # at least one complex
    pa = a.bits // 2 if ka == "c" else a.bits
    pb = b.bits // 2 if kb == "c" else b.bits
    return _COMPLEX_OF[max(pa, pb)]


PROMOTION_TABLE: dict[tuple[DType, DType], DType] = {
    (a, b): _promote_pair(a, b) for a in ALL_DTYPES for b in ALL_DTYPES
}


def promote_types(a: DType, b: DType) -> DType:
    """The xops promotion of two canonical dtypes (symmetric, associative on the lattice)."""
    return PROMOTION_TABLE[(a, b)]


def weak_scalar_dtype(value: Any, d: DType, default_int: DType, default_float: DType) -> DType:
    """Result dtype of a Python scalar meeting an array of dtype ``d``.

    Python scalars are weak: they take the array's dtype if the kinds agree; a Python float
    meeting a bool or integer array gives the backend's default float, a complex gives the
    complex of the array's precision (default float precision for integers).
    """
    if isinstance(value, bool):
        return d
    if isinstance(value, int):
        return default_int if d is bool_ else d
    if isinstance(value, float):
        return default_float if d.kind in "biu" else d
    if isinstance(value, complex):
        if d.kind == "c":
            return d
        base = default_float if d.kind in "biu" else d
        return _COMPLEX_OF[base.bits if base.bits in _COMPLEX_OF else 32]
    raise TypeError(f"xops: {type(value).__name__} is not a Python scalar")


def to_float(d: DType, default_float: DType) -> DType:
    """The floating dtype a float-valued op (exp, divide, mean, ...) computes in for input ``d``."""
    return default_float if d.kind in "biu" else d


def to_complex(d: DType) -> DType:
    if d.kind == "c":
        return d
    return _COMPLEX_OF[d.bits if d.kind == "f" and d.bits in _COMPLEX_OF else 32]


def sum_dtype(d: DType, default_int: DType) -> DType:
    """NumPy's accumulator rule: bool and integers narrower than the default int widen to it."""
    if d.kind == "b":
        return default_int
    if d.kind == "i" and d.bits < default_int.bits:
        return default_int
    if d.kind == "u" and d.bits < default_int.bits:
        return _UNSIGNED[default_int.bits]
    return d


def signed_of(bits: int) -> DType:
    return _SIGNED[bits]


def unsigned_of(bits: int) -> DType:
    return _UNSIGNED[bits]


def float_of(bits: int) -> DType:
    return _FLOAT[bits]


class finfo:
    """Machine limits of a floating or complex dtype (Array API ``finfo``)."""

    bits: int
    eps: float
    max: float
    min: float
    smallest_normal: float
    dtype: DType

    def __init__(self, type: Any) -> None:
        d = _info_dtype(type, "finfo", "fc", "a floating", "iinfo")
        real = REAL_OF.get(d, d)
        bits, eps, mx, tiny, res, sub = _FINFO[real.name]
        self.dtype = real
        self.bits = bits
        self.eps = eps
        self.max = mx
        self.min = -mx
        self.smallest_normal = tiny
        self.tiny = tiny
        self.resolution = res
        self.smallest_subnormal = sub

    def __repr__(self) -> str:
        return (f"finfo(dtype={self.dtype.name}, bits={self.bits}, eps={self.eps}, max={self.max}, "
                f"smallest_normal={self.smallest_normal})")


class iinfo:
    """Machine limits of an integer dtype (Array API ``iinfo``)."""

    bits: int
    max: int
    min: int
    dtype: DType

    def __init__(self, type: Any) -> None:
        self.dtype = d = _info_dtype(type, "iinfo", "iu", "an integer", "finfo")
        self.bits = d.bits
        if d.kind == "i":
            self.min, self.max = -(2 ** (d.bits - 1)), 2 ** (d.bits - 1) - 1
        else:
            self.min, self.max = 0, 2 ** d.bits - 1

    def __repr__(self) -> str:
        return f"iinfo(dtype={self.dtype.name}, min={self.min}, max={self.max})"


# (bits, eps, max, smallest_normal, resolution, smallest_subnormal): IEEE-754 constants, so finfo
# needs neither ml_dtypes nor a framework (NumPy has no bfloat16).
_FINFO = {
    "float16": (16, 2.0 ** -10, 65504.0, 2.0 ** -14, 1e-3, 2.0 ** -24),
    "bfloat16": (16, 2.0 ** -7, float.fromhex("0x1.fep127"), 2.0 ** -126, 1e-2, 2.0 ** -133),
    "float32": (32, 2.0 ** -23, float.fromhex("0x1.fffffep127"), 2.0 ** -126, 1e-6, 2.0 ** -149),
    "float64": (64, 2.0 ** -52, float.fromhex("0x1.fffffffffffffp1023"), 2.0 ** -1022, 1e-15,
                5e-324),
}


def _info_dtype(obj: Any, name: str, kinds: str, what: str, other: str) -> DType:
    """The dtype that ``finfo``/``iinfo`` (``name``) describes; another kind is a TypeError."""
    d = _dtype_arg(obj, name)
    if d.kind not in kinds:
        raise TypeError(f"xops.{name}: {d.name} is not {what} dtype; use {other}")
    return d


def _dtype_arg(obj: Any, opname: str) -> DType:
    """A dtype from a dtype-like or from an array of any loaded backend."""
    if not isinstance(obj, type) and hasattr(obj, "shape"):
        native = getattr(obj, "dtype", None)
        if native is not None:
            return canonical(native)
    try:
        return canonical(obj)
    except TypeError:
        pass
    raise TypeError(f"xops.{opname}: expected a dtype or an array, got {type(obj).__name__}")


def result_type_of(dtypes: Iterable[DType]) -> DType:
    it = iter(dtypes)
    out = next(it)
    for d in it:
        out = PROMOTION_TABLE[(out, d)]
    return out
