"""``check_op``: one line to check that every backend's kernel of an :class:`~xops.xla.Op`
agrees with its generic xnp composition, in values and gradients, over hypothesis inputs."""
from __future__ import annotations

from typing import Any, Sequence

from ._common import is_array, require_jax

__all__ = ["check_op"]


def _np(x: Any) -> Any:
    import numpy as np
    if hasattr(x, "detach"):
        x = x.detach().cpu()
    if hasattr(x, "numpy") and not isinstance(x, np.ndarray):
        return np.asarray(x.numpy())
    return np.asarray(x)


def check_op(op: Any, *shapes: Sequence[int], backends: Sequence[str] | None = None,
             grad: bool = True, dtype: str = "float32", low: float = -3.0, high: float = 3.0,
             rtol: float = 1e-4, atol: float = 1e-5, max_examples: int | None = None) -> None:
    """Check ``op``'s kernels against its generic composition on every backend.

    For hypothesis-generated float arrays of the given shapes, on each backend: the op's kernel
    (or generic composition) gives the same values as the generic composition, and the gradient
    of ``sum(op(*args))`` with respect to every argument agrees too (``grad=True``; numpy
    gradients go through jax). Every backend's generic result is also compared with numpy's.

    Args:
        op: an :class:`xops.xla.Op` (from ``@xops.op``).
        *shapes: one shape per positional argument.
        backends: backends to check (default: every installed one).
        grad: also compare gradients.
        dtype: dtype of the generated arrays.
        low, high: range of the generated values.
        rtol, atol: tolerances.
        max_examples: hypothesis examples (default: the active hypothesis profile).

    Raises:
        AssertionError: naming the backend, the argument values and what disagreed.
    """
    import numpy as np
    from hypothesis import given, settings
    from hypothesis import strategies as st
    from hypothesis.extra import numpy as hnp

    from .. import installed_backends
    from .. import numpy as xnp
    from .._convert import convert
    from ._transforms import grad as xgrad

    names = list(backends) if backends is not None else installed_backends()
    if grad and "numpy" in names:
        try:
            require_jax("check_op")  # numpy gradients are taken by jax
        except NotImplementedError:
            names.remove("numpy")
    width: Any = np.dtype(dtype).itemsize * 8  # 16, 32 or 64
    elems = st.floats(low, high, width=width, allow_nan=False)
    strat = st.tuples(*[hnp.arrays(dtype, tuple(s), elements=elems) for s in shapes])
    argnums = tuple(range(len(shapes)))

    def check(args: tuple) -> None:
        ref = _np(op.generic(*args))
        for be in names:
            a = tuple(convert(x, be) for x in args)
            kern = op.impl(be)
            out, gen = kern(*a), op.generic(*a)
            where = f"xops op {op.name} on {be}"
            assert is_array(out, be), f"{where}: kernel returned {type(out).__name__}"
            np.testing.assert_allclose(_np(out), _np(gen), rtol=rtol, atol=atol,
                                       err_msg=f"{where}: kernel vs generic values")
            np.testing.assert_allclose(_np(gen), ref, rtol=rtol, atol=atol,
                                       err_msg=f"{where}: generic vs numpy values")
            if grad:
                gk = xgrad(lambda *v: xnp.sum(op(*v)), argnums=argnums)(*a)
                gg = xgrad(lambda *v: xnp.sum(op.generic(*v)), argnums=argnums)(*a)
                for i, (x, y) in enumerate(zip(gk, gg)):
                    np.testing.assert_allclose(_np(x), _np(y), rtol=rtol, atol=atol,
                                               err_msg=f"{where}: gradient of argument {i}")

    run = given(strat)(check)
    if max_examples is not None:
        run = settings(max_examples=max_examples)(run)
    run()
