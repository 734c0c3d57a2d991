"""custom_vjp: one custom gradient, JAX semantics, native on every backend.

jax: ``jax.custom_vjp``. torch: a new-style ``torch.autograd.Function`` (forward without ctx,
``setup_context``, ``generate_vmap_rule = True``), the only form that composes with
``torch.func`` and ``torch.compile(fullgraph=True)``. tensorflow: ``tf.custom_gradient``.
numpy: the forward only (numpy gradients are taken by jax, which then uses the jax path).

Arguments are flattened into leaves once per call. Array leaves (of every argument, including
the ``nondiff_argnums`` ones) become the inputs of the native primitive; everything else (Python
scalars, strings, None, callables) is a static value, rebuilt into the arguments inside. So
Python scalars are always non-differentiable, and array arguments in ``nondiff_argnums`` get a
zero gradient (passing them as real inputs rather than closing over them is what keeps jax
tracers and torch tensors legal inside the primitive).
"""
from __future__ import annotations

import functools
import weakref
from typing import Any, Callable, Sequence

from ..backends import on_load
from ._common import LOADED, backend_name, transforms

__all__ = ["custom_vjp"]


class custom_vjp:
    """A function with a custom vector-Jacobian product, JAX semantics, on every backend.

    ``fwd(*args) -> (out, residuals)`` computes the output and whatever the backward pass needs;
    ``bwd(*nondiff_args, residuals, g) -> grads`` returns a tuple with one cotangent per
    differentiable argument (each with that argument's structure; ``None`` means zero). Both
    are written with xnp, so they run on every backend. Outputs, residuals and arguments may be
    pytrees; Python scalars are non-differentiable arguments (their cotangents are ignored).

    Composes with: jax grad / jit / vmap / grad-of-grad; torch eager backward,
    ``torch.func.grad``, ``vmap(grad)``, ``torch.compile(fullgraph=True)`` forward and backward,
    ``nn.Parameter`` inputs; tf ``GradientTape``, ``tf.function(jit_compile=True)``,
    ``tf.Variable`` inputs.

    Args:
        fwd: ``fwd(*args) -> (out, residuals)``.
        bwd: ``bwd(*nondiff_args, residuals, g) -> tuple of cotangents``.
        nondiff_argnums: positions of arguments that get no cotangent (passed first to ``bwd``).
        fun: optional primal ``fun(*args) -> out``, used where no gradient is being taken (jax
            and numpy) to skip computing residuals; defaults to ``fwd(*args)[0]``.
        recompute_residuals: torch only (default True). Residuals leave torch's Function as
            non-differentiable outputs, so a derivative of the backward pass (grad of grad)
            would see computed residuals as constants and be silently wrong. By default the
            backward recomputes ``fwd`` from the inputs whenever it is itself being
            differentiated (grad mode on in backward, which includes every ``torch.func.grad``),
            giving jax's grad-of-grad at the cost of a second forward there. ``False`` skips
            the recomputation: right for first derivatives, and for higher ones only when every
            residual is an input.

    Raises:
        TypeError: ``fwd`` does not return a pair ``(out, residuals)``, or (on every backend)
            forward-mode differentiation (``xops.jvp``, ``torch.func.jvp``/``hessian``) of the
            function, as jax does.
        ValueError: ``bwd`` returns the wrong number of cotangents, or one whose structure or
            shape differs from its argument's.
        TypeError: a cotangent's dtype differs from its floating argument's dtype.

    Example:
        >>> from xops import numpy as xnp
        >>> import numpy as np
        >>> def fwd(x):
        ...     y = xnp.exp(x)
        ...     return y, (y,)
        >>> def bwd(res, g):
        ...     return (g * res[0],)
        >>> my_exp = custom_vjp(fwd, bwd)
        >>> float(my_exp(np.float64(0.0)))
        1.0
    """

    def __init__(self, fwd: Callable, bwd: Callable, nondiff_argnums: Sequence[int] = (),
                 *, fun: Callable | None = None, recompute_residuals: bool = True) -> None:
        self.fwd = _checked_fwd(fwd, getattr(fun if fun is not None else fwd, "__name__", "fn"))
        self.recompute_residuals = recompute_residuals
        self.bwd = bwd
        self.nondiff_argnums = tuple(sorted(nondiff_argnums))
        self.fun = fun
        functools.update_wrapper(self, fun if fun is not None else fwd, updated=())
        self._impl: dict[str, Callable] = {}
        # Each loaded backend makes its native primitive now, and a backend that loads later
        # makes it then (_on_load), never on the first call, which may be traced: torch's is an
        # autograd.Function class, and defining a class is a graph break under torch.compile.
        for name, tr in list(LOADED.items()):
            self._build(name, tr)
        _LIVE.add(self)

    def _build(self, name: str, tr: Any) -> Callable:
        impl = self._impl[name] = tr.custom_vjp(
            self.fwd, self.bwd, self.nondiff_argnums, self.fun, self.recompute_residuals,
            getattr(self, "__name__", "fn"))
        return impl

    def __call__(self, *args: Any) -> Any:
        be = backend_name("custom_vjp", args, default="numpy")
        impl = self._impl.get(be)
        if impl is None:  # the numpy default, before the numpy backend loaded
            tr = transforms(be)  # loading the backend builds it (_on_load)
            impl = self._impl.get(be) or self._build(be, tr)
        return impl(*args)


def _checked_fwd(fwd: Callable, name: str) -> Callable:
    """``fwd`` with its contract checked on every call: it returns a pair (out, residuals).
    Without the check jax and numpy would silently take ``out[0]`` as the output."""

    @functools.wraps(fwd)
    def checked(*args: Any) -> Any:
        r = fwd(*args)
        if not isinstance(r, (tuple, list)) or len(r) != 2:
            got = type(r).__name__ + (f" of length {len(r)}" if isinstance(r, (tuple, list))
                                      else "")
            raise TypeError(f"xops.custom_vjp({name}): fwd must return a pair "
                            f"(out, residuals), got {got}")
        return r

    return checked


# Every custom_vjp alive has its native primitive for every loaded backend.
_LIVE: "weakref.WeakSet[custom_vjp]" = weakref.WeakSet()


def _on_load(be: Any) -> None:
    tr = be.transforms
    for cv in list(_LIVE):
        if be.name not in cv._impl:
            cv._build(be.name, tr)


on_load(_on_load)
