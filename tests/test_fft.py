"""xops.numpy.fft and the signal helpers beyond agreement with NumPy (tests/specs_fft.py):
round trips on every backend, transforms (jax.jit/grad, torch autograd/torch.compile/torch.func,
tf.function/GradientTape), creation-function backends, and clear errors."""
from __future__ import annotations

import hypothesis.extra.numpy as hnp
import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import xops
from xops import numpy as xnp

from .conftest import TORCH_DEVICE, handle, needs_backend
from .specs import array, held
from .tolerances import tol

NORMS = st.sampled_from(["backward", "ortho", "forward"])


def _float_dtypes(h):
    return [d for d in held(h, "f", small=True) if d.bits >= 32]


# --- round trips ------------------------------------------------------------------------------
def test_rfft_irfft_round_trip(backend):
    @given(data=st.data())
    def run(data):
        d = data.draw(st.sampled_from(_float_dtypes(backend)))
        x = data.draw(array(d, hnp.array_shapes(min_dims=1, max_dims=3, min_side=1, max_side=6),
                            lo=-4, hi=4, special=False))
        axis = data.draw(st.integers(-x.ndim, x.ndim - 1))
        norm = data.draw(NORMS)
        n = x.shape[axis]
        spec = xnp.fft.rfft(backend.arr(x), axis=axis, norm=norm)
        back = xnp.fft.irfft(spec, n, axis=axis, norm=norm)
        assert backend.is_native(back) and xops.dtype(back) is d
        t = tol(d, "accumulated")
        np.testing.assert_allclose(backend.np(back), x, rtol=t["rtol"], atol=t["atol"] * n)

    run()


def test_fftn_ifftn_and_rfftn_irfftn_round_trip(backend):
    @given(data=st.data())
    def run(data):
        d = data.draw(st.sampled_from(_float_dtypes(backend)))
        x = data.draw(array(d, hnp.array_shapes(min_dims=1, max_dims=3, min_side=1, max_side=5),
                            lo=-4, hi=4, special=False))
        k = data.draw(st.integers(1, x.ndim))
        axes = data.draw(st.permutations(range(x.ndim)))[:k]
        norm = data.draw(NORMS)
        s = [x.shape[a] for a in axes]
        xn = backend.arr(x)
        t = tol(d, "accumulated")
        rtol, atol = t["rtol"], t["atol"]
        c = xnp.fft.ifftn(xnp.fft.fftn(xn, axes=axes, norm=norm), axes=axes, norm=norm)
        np.testing.assert_allclose(backend.np(xnp.real(c)), x, rtol=rtol, atol=atol * x.size)
        r = xnp.fft.irfftn(xnp.fft.rfftn(xn, axes=axes, norm=norm), s=s, axes=axes, norm=norm)
        assert xops.dtype(r) is d
        np.testing.assert_allclose(backend.np(r), x, rtol=rtol, atol=atol * x.size)

    run()


def test_hfft_ihfft_and_shift_round_trip(backend):
    @given(data=st.data())
    def run(data):
        d = data.draw(st.sampled_from(_float_dtypes(backend)))
        x = data.draw(array(d, hnp.array_shapes(min_dims=1, max_dims=2, min_side=1, max_side=7),
                            lo=-4, hi=4, special=False))
        n = x.shape[-1]
        norm = data.draw(NORMS)
        back = xnp.fft.hfft(xnp.fft.ihfft(backend.arr(x), norm=norm), n, norm=norm)
        t = tol(d, "accumulated")
        np.testing.assert_allclose(backend.np(back), x, rtol=t["rtol"], atol=t["atol"] * n)
        sh = xnp.fft.ifftshift(xnp.fft.fftshift(backend.arr(x)))
        np.testing.assert_array_equal(backend.np(sh), x)

    run()


def test_fftfreq_matches_fftshift_order(backend):
    like = backend.arr(np.zeros(1, np.float32))
    for n in (1, 2, 7, 8):
        f = backend.np(xnp.fft.fftshift(xnp.fft.fftfreq(n, 0.5, like=like)))
        assert np.all(np.diff(f) > 0)
        r = backend.np(xnp.fft.rfftfreq(n, 0.5, like=like))
        np.testing.assert_allclose(r, np.abs(np.fft.rfftfreq(n, 0.5)), rtol=1e-6)


def test_irfft_ignores_imaginary_part_of_dc_and_nyquist(backend):
    x = np.array([1 + 5j, 2 - 1j, 3 + 0.5j, 4 - 7j], np.complex64)
    want = np.fft.irfft(x.real.astype(np.complex64) + 1j * np.r_[0, x.imag[1:3], 0]).astype(
        np.float32)
    got = backend.np(xnp.fft.irfft(backend.arr(x)))
    np.testing.assert_allclose(got, want, rtol=1e-5, atol=1e-5)


# --- transforms -------------------------------------------------------------------------------
def _spectrum_loss(x):
    spec = xnp.fft.rfftn(x, s=(4, 6), axes=(0, 1), norm="ortho")
    power = xnp.real(xnp.multiply(spec, xnp.conj(spec)))
    return xnp.sum(xnp.multiply(power, xnp.fft.rfftfreq(6, like=x)))


X = np.random.default_rng(0).standard_normal((3, 5)).astype(np.float32)


def _spectrum_loss_np(x):
    spec = np.fft.rfftn(x.astype(np.float64), s=(4, 6), axes=(0, 1), norm="ortho")
    return float(np.sum((spec * spec.conj()).real * np.fft.rfftfreq(6)))


def _numeric_grad(f, x, eps=1e-3):
    g = np.zeros_like(x, dtype=np.float64)
    for i in np.ndindex(x.shape):
        e = np.zeros_like(x, dtype=np.float64)
        e[i] = eps
        g[i] = (f(x + e) - f(x - e)) / (2 * eps)
    return g


GRAD = _numeric_grad(_spectrum_loss_np, X.astype(np.float64))


def test_jax_jit_and_grad_through_fft():
    jax = needs_backend("jax")
    import jax.numpy as jnp
    x = jnp.asarray(X)
    f = jax.jit(lambda x: xnp.fft.fft(x, n=8, axis=0, norm="forward"))
    np.testing.assert_allclose(np.asarray(f(x)), np.fft.fft(X, n=8, axis=0, norm="forward"),
                               rtol=1e-5, atol=1e-6)
    assert abs(float(jax.jit(_spectrum_loss)(x)) - _spectrum_loss_np(X)) < 1e-4
    g = jax.jit(jax.grad(_spectrum_loss))(x)
    np.testing.assert_allclose(np.asarray(g), GRAD, rtol=1e-3, atol=1e-3)
    per_row = jax.vmap(lambda r: xnp.fft.irfft(xnp.fft.rfft(r), 5))(x)
    np.testing.assert_allclose(np.asarray(per_row), X, rtol=1e-5, atol=1e-5)


def test_torch_autograd_compile_and_func_through_rfft():
    torch = needs_backend("torch")
    import torch._dynamo as dynamo
    t = handle("torch")
    x = t.arr(X).requires_grad_()
    loss = _spectrum_loss(x)
    loss.backward()
    np.testing.assert_allclose(t.np(x.grad), GRAD, rtol=1e-3, atol=1e-3)
    g = torch.func.grad(_spectrum_loss)(t.arr(X))
    np.testing.assert_allclose(t.np(g), GRAD, rtol=1e-3, atol=1e-3)
    dynamo.reset()
    explanation = dynamo.explain(_spectrum_loss)(t.arr(X))
    assert explanation.graph_break_count == 0, explanation.break_reasons
    compiled = torch.compile(_spectrum_loss, fullgraph=True, backend="eager")
    assert abs(float(compiled(t.arr(X))) - _spectrum_loss_np(X)) < 1e-4


def test_tf_function_and_gradient_tape_through_fft():
    tf = needs_backend("tensorflow")
    x = tf.constant(X)
    f = tf.function(_spectrum_loss)
    assert abs(float(f(x)) - _spectrum_loss_np(X)) < 1e-4
    with tf.GradientTape() as tape:
        tape.watch(x)
        loss = _spectrum_loss(x)
    np.testing.assert_allclose(tape.gradient(loss, x).numpy(), GRAD, rtol=1e-3, atol=1e-3)
    # tf's innermost-axes transforms, reached through transposes for a middle axis
    y = np.random.default_rng(1).standard_normal((2, 5, 3)).astype(np.float32)
    g = tf.function(lambda v: xnp.fft.ifft(xnp.fft.fft(v, n=7, axis=1), axis=1))(tf.constant(y))
    np.testing.assert_allclose(g.numpy(), np.fft.ifft(np.fft.fft(y, 7, axis=1), axis=1),
                               rtol=1e-5, atol=1e-5)
    # more than three axes: tf's fft3d handles three, the rest go in a second pass
    z = np.random.default_rng(2).standard_normal((2, 3, 2, 3, 2)).astype(np.float32)
    np.testing.assert_allclose(xnp.fft.fftn(tf.constant(z), axes=(4, 0, 2, 1)).numpy(),
                               np.fft.fftn(z, axes=(4, 0, 2, 1)), rtol=1e-4, atol=1e-4)


def test_signal_ops_under_jit_and_compile():
    jax = needs_backend("jax")
    import jax.numpy as jnp
    torch = needs_backend("torch")
    a = np.random.default_rng(3).standard_normal(9).astype(np.float32)
    v = np.random.default_rng(4).standard_normal(4).astype(np.float32)

    def f(a, v):
        w = xnp.hanning(9, like=a)
        c = xnp.correlate(xnp.multiply(a, w), v, mode="same")
        t = xnp.trapezoid(xnp.sinc(c))
        return xnp.add(t, xnp.sum(xnp.interp(c, xnp.fft.fftfreq(9, like=a), a)))

    want = float(f(a, v))
    assert abs(float(jax.jit(f)(jnp.asarray(a), jnp.asarray(v))) - want) < 1e-4
    g = jax.grad(lambda a: xnp.sum(xnp.sinc(a)))(jnp.zeros(3))
    assert np.all(np.asarray(g) == 0)  # finite gradient at 0
    t = handle("torch")
    compiled = torch.compile(f, fullgraph=True, backend="eager")
    assert abs(float(compiled(t.arr(a), t.arr(v))) - want) < 1e-4


# --- creation functions and errors ------------------------------------------------------------
def test_creation_functions_use_like_or_the_default_backend(backend):
    like = backend.arr(np.zeros(2, np.float32))
    for fn in (lambda **k: xnp.fft.fftfreq(4, **k), lambda **k: xnp.fft.rfftfreq(4, **k),
               lambda **k: xnp.hamming(4, **k), lambda **k: xnp.kaiser(4, 2.0, **k),
               lambda **k: xnp.bartlett(3, **k)):
        out = fn(like=like)
        assert backend.is_native(out) and xops.dtype(out) is backend.be.default_float
        assert xops.dtype(fn(like=like, dtype="float32")) is xnp.float32
        with xops.default_backend(backend.name):  # no array input: torch's default device, the CPU
            assert backend.is_native(fn())
    assert isinstance(xnp.blackman(3), np.ndarray)


def test_errors_name_the_op(backend):
    x = backend.arr(np.ones((2, 4), np.float32))
    with pytest.raises(ValueError, match=r"xops\.numpy\.fft\.fft.*norm"):
        xnp.fft.fft(x, norm="unitary")
    with pytest.raises(ValueError, match=r"xops\.numpy\.fft\.ifft.*at least 1"):
        xnp.fft.ifft(x, n=0)
    with pytest.raises(ValueError, match=r"xops\.numpy\.fft\.irfft"):
        xnp.fft.irfft(backend.arr(np.ones(1, np.complex64)))  # default n = 0
    with pytest.raises(TypeError, match=r"xops\.numpy\.fft\.rfft.*real"):
        xnp.fft.rfft(backend.arr(np.ones(3, np.complex64)))
    with pytest.raises(ValueError, match=r"xops\.numpy\.fft\.fftn.*repeated"):
        xnp.fft.fftn(x, axes=(0, -2))
    with pytest.raises(ValueError, match=r"xops\.numpy\.fft\.rfftn.*same length"):
        xnp.fft.rfftn(x, s=(2, 2, 2), axes=(0, 1))
    with pytest.raises(ValueError, match=r"xops\.numpy\.fft\.fft.*out of bounds"):
        xnp.fft.fft(x, axis=2)
    with pytest.raises(TypeError, match=r"xops\.numpy\.fft\.fftshift"):
        xnp.fft.fftshift(3.0)
    with pytest.raises(ValueError, match=r"xops\.numpy\.convolve.*empty"):
        xnp.convolve(x[0], backend.arr(np.ones(0, np.float32)))
    with pytest.raises(ValueError, match=r"xops\.numpy\.correlate.*mode"):
        xnp.correlate(x[0], x[0], mode="circular")
    with pytest.raises(ValueError, match=r"xops\.numpy\.interp.*same length"):
        xnp.interp(x, x[0], x[0, :3])
    with pytest.raises(TypeError, match=r"xops\.numpy\.i0.*complex"):
        xnp.i0(backend.arr(np.ones(2, np.complex64)))
    with pytest.raises(TypeError, match=r"xops\.numpy\.kaiser"):
        xnp.kaiser(4, 2.0, dtype="int32", like=x)


def test_mixed_backends_are_refused():
    torch = needs_backend("torch")
    jnp = needs_backend("jax").numpy
    with pytest.raises(TypeError, match=r"xops\.numpy\.convolve.*mix"):
        xnp.convolve(jnp.ones(3), torch.ones(2, device=TORCH_DEVICE))
    with pytest.raises(TypeError, match=r"xops\.numpy\.interp.*mix"):
        xnp.interp(jnp.ones(3), torch.arange(2.0, device=TORCH_DEVICE),
                   torch.ones(2, device=TORCH_DEVICE))


def test_jax_without_x64_refuses_float64_results():
    jax = needs_backend("jax")
    import jax.numpy as jnp

    from .conftest import handle
    handle("jax", False)
    x = jnp.ones(4, jnp.float32)
    assert xops.dtype(xnp.fft.fft(x)) is xnp.complex64
    with pytest.raises(TypeError, match="x64"):
        xnp.fft.fftfreq(4, dtype="float64", like=x)
    del jax


def test_integer_input_computes_in_the_default_float(backend):
    x = backend.arr(np.arange(6, dtype=np.int32))
    out = xnp.fft.fft(x)
    assert xops.dtype(out) is xops._dtypes.to_complex(backend.be.default_float)
    np.testing.assert_allclose(backend.np(out), np.fft.fft(np.arange(6)), rtol=1e-5, atol=1e-5)
    c = xnp.convolve(x, backend.arr(np.array([1, -1], np.int32)))
    assert xops.dtype(c) is xnp.int32
    np.testing.assert_array_equal(backend.np(c), np.convolve(np.arange(6), [1, -1]))
