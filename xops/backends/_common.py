"""Small helpers shared by the kernel tables (kept here so each table stays a flat list)."""
from __future__ import annotations

from typing import Any, Callable

from .._dtypes import DType

# Array API: rounding an integer returns it unchanged, in its own dtype; the real part of a real
# array is itself. Backends differ (NumPy's floor of an int is a float, torch's errors), so the
# tables route these cases to the identity.
IDENTITY_FOR_INTS = frozenset({"floor", "ceil", "trunc", "rint", "positive"})
IDENTITY_FOR_REALS = frozenset({"real", "conj"})


def identity(x: Any) -> Any:
    return x


def adapt_common(name: str, fn: Callable, d: DType) -> Callable:
    if d.kind in "biu" and name in IDENTITY_FOR_INTS:
        return identity
    if d.kind != "c" and name in IDENTITY_FOR_REALS:
        return identity
    return fn


def pad_widths_flat_last_first(pw: tuple[tuple[int, int], ...]) -> list[int]:
    """torch-style pad list: last axis first, (before, after) pairs."""
    out: list[int] = []
    for a, b in reversed(pw):
        out += [a, b]
    return out
