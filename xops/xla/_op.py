"""``@op``: a user op declared once as an xnp composition, with optional native kernel overrides
per backend and an optional custom VJP."""
from __future__ import annotations

import functools
from typing import Any, Callable, Sequence

from ._common import backend_name
from ._custom import custom_vjp

__all__ = ["Op", "op"]

_BACKENDS = ("numpy", "jax", "torch", "tensorflow")


class Op:
    """A user op: the generic xnp composition plus per-backend kernels and a custom VJP.

    Calling the op picks the kernel registered for the backend of the arguments, else the
    generic composition. With :meth:`defvjp` the op differentiates with that rule on every
    backend (the primal comes from the kernel on jax and numpy; torch and tensorflow run
    ``fwd``, which computes the output and the residuals together).
    """

    def __init__(self, fn: Callable, name: str | None = None) -> None:
        functools.update_wrapper(self, fn, updated=())
        self.name = name or fn.__name__
        self.generic = fn
        self.kernels: dict[str, Callable] = {}
        self._vjp: tuple[Callable, Callable, tuple[int, ...]] | None = None
        self._custom: dict[str, custom_vjp] = {}

    def kernel(self, backend: str) -> Callable[[Callable], Callable]:
        """Decorator registering a native kernel for ``backend`` (e.g. a fused torch op).

        Args:
            backend: 'numpy', 'jax', 'torch' or 'tensorflow'.

        Returns:
            A decorator that registers the kernel and returns it unchanged.
        """
        from ..backends import _canonical_name
        name = _canonical_name(backend)

        def deco(fn: Callable) -> Callable:
            self.kernels[name] = fn
            self._custom.pop(name, None)
            return fn

        return deco

    def defvjp(self, fwd: Callable, bwd: Callable, nondiff_argnums: Sequence[int] = ()) -> "Op":
        """Give the op a custom VJP (JAX semantics, see :class:`xops.xla.custom_vjp`).

        Args:
            fwd: ``fwd(*args) -> (out, residuals)``, written with xnp.
            bwd: ``bwd(*nondiff_args, residuals, g) -> tuple of cotangents``.
            nondiff_argnums: positions of non-differentiable arguments.

        Returns:
            The op itself.
        """
        self._vjp = (fwd, bwd, tuple(nondiff_argnums))
        self._custom.clear()
        return self

    def impl(self, backend: str) -> Callable:
        """The callable used on ``backend``: its kernel or the generic composition."""
        return self.kernels.get(backend, self.generic)

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        be = backend_name(self.name, args, kwargs, default="numpy")
        fn = self.kernels.get(be, self.generic)
        if self._vjp is None:
            return fn(*args, **kwargs)
        if kwargs:
            raise TypeError(f"xops op {self.name}: an op with a custom VJP takes positional "
                            "arguments only")
        cv = self._custom.get(be)
        if cv is None:
            fwd, bwd, nd = self._vjp
            cv = self._custom[be] = custom_vjp(fwd, bwd, nd, fun=fn)
        return cv(*args)

    def __repr__(self) -> str:
        return f"<xops op {self.name} kernels={sorted(self.kernels)}>"


def op(fn: Callable | None = None, *, name: str | None = None) -> Any:
    """Declare a user op from an xnp composition (usable as ``@op`` or ``@op(name=...)``).

    Args:
        fn: the generic composition, written with xnp (runs on every backend).
        name: the op's name in errors (defaults to ``fn.__name__``).

    Returns:
        An :class:`Op`; add kernels with ``@my_op.kernel("torch")`` and a custom gradient with
        ``my_op.defvjp(fwd, bwd)``; check kernels with ``xops.xla.testing.check_op``.
    """
    if fn is None:
        return lambda f: Op(f, name)
    return Op(fn, name)
