"""Op declarations. Importing this package registers every op in ``REGISTRY``."""
from __future__ import annotations

from .. import _dtypes
from . import creation, elementwise, indexing, manipulation, reductions  # noqa: F401 - registers
from . import arrayapi, extras, signal, stats  # noqa: F401,E402 - registers (after the core ops they use)
from . import fft, linalg  # noqa: F401,E402 - registers xops.numpy.fft / xops.numpy.linalg
from . import nn  # noqa: F401,E402 - registers the nn ops (public in xops.nn.functional), last
from ._registry import ALIASES, REGISTRY, OpInfo, declare

for _cls in (_dtypes.finfo, _dtypes.iinfo):
    declare("dtype", ref=_cls.__name__)(_cls)

__all__ = ["REGISTRY", "ALIASES", "OpInfo", "public_names", "lookup"]


def lookup(name: str) -> OpInfo:
    """The declaration of an op by name or alias."""
    return REGISTRY[ALIASES.get(name, name)]


def public_names(namespace: str = "") -> list[str]:
    """Public names (ops and aliases) of ``xops.numpy`` or of one of its sub-namespaces."""
    pre = namespace + "." if namespace else ""
    out = []
    for n in [*REGISTRY, *ALIASES]:
        if namespace and n.startswith(pre):
            out.append(n[len(pre):])
        elif not namespace and "." not in n:
            out.append(n)
    return sorted(out)
