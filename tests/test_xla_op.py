"""@xops.xla.op user ops: per-backend kernel overrides, custom VJP, and testing.check_op."""
from __future__ import annotations

import numpy as np
import pytest

from xops import numpy as xnp
from xops import xla
from xops.xla.testing import check_op

from .conftest import needs_backend


@xla.op
def softplus(x):
    """log(1 + exp(x)) (the max/abs stable form has a kink at 0 whose subgradient differs
    from the native kernels' 0.5: check_op catches that, so the test uses the smooth form)."""
    return xnp.log1p(xnp.exp(x))


@softplus.kernel("torch")
def _softplus_torch(x):
    import torch
    return torch.nn.functional.softplus(x)


@softplus.kernel("jax")
def _softplus_jax(x):
    import jax
    return jax.nn.softplus(x)


def test_kernels_are_used_and_native(backend):
    from tests.test_xla import arr, to_np
    x = arr(backend, np.linspace(-3, 3, 7).astype(np.float32))
    out = softplus(x)
    assert backend.is_native(out)
    np.testing.assert_allclose(to_np(out), np.logaddexp(0, np.linspace(-3, 3, 7)), rtol=1e-5)
    assert softplus.impl("torch") is _softplus_torch and softplus.impl("numpy") is softplus.generic


def test_check_op_passes():
    check_op(softplus, (3, 4), max_examples=5)


def test_check_op_catches_a_wrong_kernel():
    needs_backend("torch")

    @xla.op
    def double(x):
        return x * 2.0

    @double.kernel("torch")
    def _wrong(x):
        return x * 2.0 + 1e-2

    with pytest.raises(AssertionError, match="on torch"):
        check_op(double, (3,), backends=["torch"], max_examples=3)


def test_op_with_custom_vjp(backend):
    from tests.test_xla import arr, to_np

    @xla.op
    def clipped_identity(x):
        return x * 1.0

    clipped_identity.defvjp(lambda x: (x * 1.0, ()), lambda res, g: (xnp.clip(g, -1.0, 1.0),))
    g = xla.grad(lambda v: xnp.sum(clipped_identity(v) * 3.0))(arr(backend, np.ones(3, np.float32)))
    np.testing.assert_allclose(to_np(g), np.ones(3))
