"""Op declarations. Importing this package registers every op in ``REGISTRY``."""
from __future__ import annotations

from .. import _dtypes
from . import creation, elementwise, indexing, manipulation, reductions  # noqa: F401 - registers
from ._registry import ALIASES, REGISTRY, OpInfo, declare

for _cls in (_dtypes.finfo, _dtypes.iinfo):
    declare("dtype", ref=_cls.__name__)(_cls)

__all__ = ["REGISTRY", "ALIASES", "OpInfo", "public_names", "lookup"]


def lookup(name: str) -> OpInfo:
    """The declaration of an op by name or alias."""
    return REGISTRY[ALIASES.get(name, name)]


def public_names() -> list[str]:
    return sorted([*REGISTRY, *ALIASES])
