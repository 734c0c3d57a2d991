"""custom_vjp validates its contract the same way on every backend: fwd returns a pair, bwd
one cotangent per differentiable argument with its shape and (floating) dtype; forward mode is a
clear TypeError; torch grad-of-grad through computed residuals is right by default."""
from __future__ import annotations

import numpy as np
import pytest

import xops
import xops.numpy as xnp
from xops import xla

from .conftest import INSTALLED, handle, needs_backend

X = np.array([0.5, -1.0, 2.0], np.float32)


def _exp_fwd(x):
    y = xnp.exp(x)
    return y, (y,)


def _grad(name, f, x):
    return xops.grad(lambda v: xnp.sum(f(v)))(x)


@pytest.mark.parametrize("name", INSTALLED)
def test_fwd_must_return_a_pair(name):
    bad = xla.custom_vjp(lambda x: xnp.exp(x), lambda res, g: (g,))
    x = handle(name).arr(X)
    with pytest.raises(TypeError, match=r"fwd must return a pair \(out, residuals\)"):
        bad(x)
    triple = xla.custom_vjp(lambda x: (x, x, x), lambda res, g: (g,))
    with pytest.raises(TypeError, match="got tuple of length 3"):
        _grad(name, triple, x)


@pytest.mark.parametrize("name", INSTALLED)
@pytest.mark.parametrize("shape", [(1,), (3, 1), ()])
def test_bwd_cotangent_of_the_wrong_shape_is_a_value_error(name, shape):
    h = handle(name)

    def bwd(res, g):
        return (xnp.ones(shape, like=g, dtype=xnp.float32),)

    f = xla.custom_vjp(_exp_fwd, bwd)
    with pytest.raises(ValueError, match=r"cotangent of shape .* argument leaf of shape \(3,\)"):
        _grad(name, f, h.arr(X))


@pytest.mark.parametrize("name", INSTALLED)
def test_bwd_cotangent_count_and_dtype(name):
    h = handle(name)
    two = xla.custom_vjp(_exp_fwd, lambda res, g: (g, g))
    with pytest.raises(ValueError, match="one cotangent per differentiable argument"):
        _grad(name, two, h.arr(X))
    if name == "jax":
        pytest.skip("float64 cotangents need x64 on jax")
    wide = xla.custom_vjp(_exp_fwd, lambda res, g: (xnp.astype(g * res[0], xnp.float64),))
    with pytest.raises(TypeError, match="bwd returned a float64 cotangent for a float32"):
        _grad(name, wide, h.arr(X))


@pytest.mark.parametrize("name", INSTALLED)
def test_right_cotangents_still_work(name):
    f = xla.custom_vjp(_exp_fwd, lambda res, g: (g * res[0],))
    h = handle(name)
    np.testing.assert_allclose(h.np(_grad(name, f, h.arr(X))), np.exp(X), rtol=1e-6)


@pytest.mark.parametrize("name", [n for n in INSTALLED if n in ("jax", "torch", "numpy")])
def test_forward_mode_is_a_type_error(name):
    f = xla.custom_vjp(_exp_fwd, lambda res, g: (g * res[0],))
    x = handle(name).arr(X)
    with pytest.raises(TypeError, match="forward-mode"):
        xops.jvp(f, (x,), (x,))


def test_torch_func_jvp_raises_not_silently():
    """torch.func called directly gives torch's own error (an autograd.Function jvp would be a
    graph break under torch.compile); never a wrong number."""
    torch = needs_backend("torch")
    f = xla.custom_vjp(_exp_fwd, lambda res, g: (g * res[0],))
    x = handle("torch").arr(X)
    with pytest.raises(RuntimeError, match="jvp"):
        torch.func.jvp(f, (x,), (x,))


def test_torch_grad_of_grad_with_computed_residuals_is_right_by_default():
    torch = needs_backend("torch")
    f = xla.custom_vjp(_exp_fwd, lambda res, g: (g * res[0],))
    t = handle("torch").arr(X)
    gg = torch.func.grad(lambda v: torch.func.grad(lambda u: xnp.sum(f(u)))(v).sum())(t)
    np.testing.assert_allclose(gg.detach().cpu().numpy(), np.exp(X), rtol=1e-6)
    t2 = t.clone().requires_grad_(True)
    (g1,) = torch.autograd.grad(xnp.sum(f(t2)), t2, create_graph=True)
    (g2,) = torch.autograd.grad(g1.sum(), t2)
    np.testing.assert_allclose(g2.detach().cpu().numpy(), np.exp(X), rtol=1e-6)
