"""xops.numpy.linalg beyond the registry-driven agreement tests: decompositions checked by
reconstruction and sign-invariant quantities (vectors' signs/phases differ between libraries),
rank-deficient least squares, errors, the dtype rules, and jax/torch/tf transforms."""
from __future__ import annotations

import math
import warnings

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import xops
from xops import _dtypes
from xops import numpy as xnp

from .conftest import handle, needs_backend
from .specs import np_dtype
from .specs_linalg import batches, general, lin_dtypes, raw, rect, sizes, to_dtype
from .tolerances import tol

L = xnp.linalg


def _prec(h, d):
    if d.kind in "iu":
        return h.be.default_float.bits
    if d.kind == "c":
        return d.bits // 2
    return 64 if d.bits == 64 else 32


def _close(h, d, got, want, k=1.0):
    # (rtol, atol) for reconstructions, by the compute precision (tests/tolerances.py)
    np.testing.assert_allclose(np.asarray(got, np.complex128), np.asarray(want, np.complex128),
                               **tol(f"float{_prec(h, d)}", "linalg", scale=k))


def _mH(a):
    return np.conj(np.swapaxes(a, -1, -2))


def _full_dtypes(h):
    # float16/bfloat16 compute in float32 but return half precision: too coarse for
    # reconstruction checks; the agreement tests cover their shapes and dtypes.
    return [d for d in lin_dtypes(h) if d.bits > 16]


def _hyp(fn):
    """Run ``fn(h, data)`` under hypothesis inside the test: the ``backend`` fixture is
    function-scoped, which ``@given`` on the test itself refuses (as in test_agreement.py)."""
    def test(backend):
        given(data=st.data())(lambda data: fn(backend, data))()
    test.__name__ = fn.__name__
    test.__doc__ = fn.__doc__
    return test


# --- decompositions by reconstruction ------------------------------------------------------
@_hyp
def test_qr_reconstructs(h, data):
    d = data.draw(st.sampled_from(_full_dtypes(h)))
    m, n = data.draw(sizes), data.draw(sizes)
    a = data.draw(rect(d, data.draw(batches), m, n))
    mode = data.draw(st.sampled_from(["reduced", "complete"]))
    res = L.qr(h.arr(a), mode=mode)
    assert type(res).__name__ == "QRResult" and h.is_native(res.Q) and h.is_native(res.R)
    q, r = h.np(res.Q), h.np(res.R)
    k = min(m, n) if mode == "reduced" else m
    assert q.shape == a.shape[:-2] + (m, k) and r.shape == a.shape[:-2] + (k, n)
    a64 = a.astype(np.complex128)
    _close(h, d, q @ r, a64, k=10)
    _close(h, d, _mH(q) @ q, np.broadcast_to(np.eye(k), q.shape[:-2] + (k, k)))
    assert np.all(np.tril(r, -1) == 0), "R is not upper triangular"
    # unique up to the signs of R's rows: |R| agrees with NumPy's
    _close(h, d, np.abs(r), np.abs(np.linalg.qr(a64, mode=mode).R), k=10)


@_hyp
def test_svd_reconstructs(h, data):
    d = data.draw(st.sampled_from(_full_dtypes(h)))
    m, n = data.draw(sizes), data.draw(sizes)
    a = to_dtype(data.draw(raw(d, data.draw(batches) + (m, n))), d)
    full = data.draw(st.booleans())
    res = L.svd(h.arr(a), full_matrices=full)
    assert type(res).__name__ == "SVDResult"
    u, s, vh = (h.np(e) for e in res)
    k = min(m, n)
    assert s.dtype.kind == "f" and s.shape == a.shape[:-2] + (k,)
    assert u.shape[-2:] == ((m, m) if full else (m, k))
    assert vh.shape[-2:] == ((n, n) if full else (k, n))
    a64 = a.astype(np.complex128)
    _close(h, d, (u[..., :, :k] * s[..., None, :]) @ vh[..., :k, :], a64, k=10)
    _close(h, d, s, np.linalg.svd(a64, compute_uv=False), k=10)
    _close(h, d, _mH(u) @ u,
           np.broadcast_to(np.eye(u.shape[-1]), u.shape[:-2] + (u.shape[-1],) * 2))
    _close(h, d, vh @ _mH(vh), np.broadcast_to(np.eye(vh.shape[-2]),
                                               vh.shape[:-2] + (vh.shape[-2],) * 2))


def _match_multiset(got, want, tol):
    """Every eigenvalue of ``want`` has a distinct close partner in ``got`` (order-free)."""
    got = list(np.ravel(got))
    for w in np.ravel(want):
        i = int(np.argmin([abs(g - w) for g in got]))
        assert abs(got[i] - w) <= tol * (1 + abs(w)), (got, want)
        got.pop(i)


@_hyp
def test_eig_and_eigvals(h, data):
    d = data.draw(st.sampled_from(_full_dtypes(h)))
    n = data.draw(sizes)
    a = data.draw(general(d, (), n))
    res = L.eig(h.arr(a))
    assert type(res).__name__ == "EigResult"
    w, v = h.np(res.eigenvalues), h.np(res.eigenvectors)
    assert w.dtype.kind == "c" and v.dtype.kind == "c", "eig is always complex in xops"
    assert w.shape == (n,) and v.shape == (n, n)
    a64 = a.astype(np.complex128)
    _close(h, d, a64 @ v, v * w[None, :], k=50)
    _close(h, d, np.linalg.norm(v, axis=0), np.ones(n), k=10)
    tol = 1e-3 if _prec(h, d) == 32 else 1e-8
    _match_multiset(w, np.linalg.eigvals(a64), tol)
    _match_multiset(h.np(L.eigvals(h.arr(a))), np.linalg.eigvals(a64), tol)


@_hyp
def test_eigh_reconstructs_the_triangle_it_reads(h, data):
    d = data.draw(st.sampled_from(_full_dtypes(h)))
    n = data.draw(sizes)
    a = to_dtype(data.draw(raw(d, data.draw(batches) + (n, n))), d)
    uplo = data.draw(st.sampled_from(["L", "U"]))
    res = L.eigh(h.arr(a), UPLO=uplo)
    assert type(res).__name__ == "EighResult"
    w, v = h.np(res.eigenvalues), h.np(res.eigenvectors)
    assert w.dtype.kind == "f"
    a64 = a.astype(np.complex128)
    tri = np.tril(a64) if uplo == "L" else np.triu(a64)
    herm = tri + _mH(tri) - np.real(np.diagonal(tri, axis1=-2, axis2=-1))[..., None] * np.eye(n)
    _close(h, d, herm @ v, v * w[..., None, :], k=50)
    _close(h, d, _mH(v) @ v, np.broadcast_to(np.eye(n), v.shape), k=10)
    _close(h, d, w, np.linalg.eigvalsh(a64, UPLO=uplo), k=50)


# --- rank-deficient least squares, pseudo-inverse, rank --------------------------------------
def _deficient(rng, m, n, r, dtype):
    """An m x n matrix of exact rank r (r rows of a full-rank block, the rest zero rows)."""
    a = np.zeros((m, n))
    a[:r] = rng.normal(size=(r, n)) + 3 * np.eye(r, n)
    return a[rng.permutation(m)].astype(dtype)


@pytest.mark.parametrize("m,n,r", [(4, 3, 2), (5, 3, 3), (3, 3, 1), (2, 4, 2)])
def test_lstsq_matches_numpy_including_rank_deficient(backend, m, n, r):
    h = backend
    rng = np.random.default_rng(m * 100 + n * 10 + r)
    a = _deficient(rng, m, n, r, np.float32)
    b = rng.normal(size=(m, 2)).astype(np.float32)
    x, res, rank, s = L.lstsq(h.arr(a), h.arr(b))
    wx, wres, wrank, ws = np.linalg.lstsq(a.astype(np.float64), b.astype(np.float64))
    np.testing.assert_allclose(h.np(x), wx, rtol=1e-4, atol=1e-4)
    assert h.np(res).shape == wres.shape  # empty when rank < N or M <= N
    np.testing.assert_allclose(h.np(res), wres, rtol=1e-3, atol=1e-4)
    assert int(h.np(rank)) == wrank and xops.dtype(rank) is h.be.default_int
    np.testing.assert_allclose(h.np(s), ws, rtol=1e-4, atol=1e-5)
    # a vector right-hand side gives (1,)-shaped residuals, as in NumPy
    out = L.lstsq(h.arr(a), h.arr(b[:, 0]))
    want = np.linalg.lstsq(a.astype(np.float64), b[:, 0].astype(np.float64))
    assert h.np(out.x).shape == want[0].shape and h.np(out.residuals).shape == want[1].shape


def test_lstsq_batched(backend):
    h = backend
    rng = np.random.default_rng(1)
    a = (rng.normal(size=(2, 5, 3)) + 3 * np.eye(5, 3)).astype(np.float32)
    b = rng.normal(size=(2, 5, 2)).astype(np.float32)
    x, res, rank, s = L.lstsq(h.arr(a), h.arr(b))
    for i in range(2):
        wx, wres, wrank, ws = np.linalg.lstsq(a[i].astype(np.float64), b[i].astype(np.float64))
        np.testing.assert_allclose(h.np(x)[i], wx, rtol=1e-4, atol=1e-4)
        np.testing.assert_allclose(h.np(res)[i], wres, rtol=1e-3, atol=1e-4)
        assert int(h.np(rank)[i]) == wrank


@pytest.mark.parametrize("m,n,r", [(4, 3, 2), (3, 3, 1), (2, 4, 2), (3, 3, 0)])
def test_pinv_and_matrix_rank_rank_deficient(backend, m, n, r):
    h = backend
    a = _deficient(np.random.default_rng(7), m, n, r, np.float32)
    np.testing.assert_allclose(h.np(L.pinv(h.arr(a))),
                               np.linalg.pinv(a.astype(np.float64), rtol=None),
                               rtol=1e-4, atol=1e-5)
    assert int(h.np(L.matrix_rank(h.arr(a)))) == r
    # a^T a rounds in float32: its zero eigenvalues become ~eps; cut them with rtol
    sym = a.T @ a
    assert int(h.np(L.matrix_rank(h.arr(sym), hermitian=True, rtol=1e-5))) == r
    np.testing.assert_allclose(h.np(L.pinv(h.arr(sym), hermitian=True, rtol=1e-5)),
                               np.linalg.pinv(sym.astype(np.float64), hermitian=True, rtol=1e-5),
                               rtol=1e-3, atol=1e-4)


def test_matrix_rank_of_vectors_and_pinv_rcond(backend):
    h = backend
    assert int(h.np(L.matrix_rank(h.arr(np.zeros(3, np.float32))))) == 0
    assert int(h.np(L.matrix_rank(h.arr(np.array([0, 2.0], np.float32))))) == 1
    a = np.diag([1.0, 1e-2]).astype(np.float32)
    # rcond (NumPy's older name) and rtol are the same cutoff
    np.testing.assert_allclose(h.np(L.pinv(h.arr(a), rcond=0.1)), np.diag([1.0, 0.0]), atol=1e-6)
    np.testing.assert_allclose(h.np(L.pinv(h.arr(a), rtol=0.1)), np.diag([1.0, 0.0]), atol=1e-6)
    with pytest.raises(ValueError, match="linalg.pinv"):
        L.pinv(h.arr(a), rcond=0.1, rtol=0.1)
    with pytest.raises(ValueError, match="linalg.matrix_rank"):
        L.matrix_rank(h.arr(a), tol=0.1, rtol=0.1)


# --- dtype rules -------------------------------------------------------------------------------
def test_integer_input_computes_in_the_default_float(backend):
    h = backend
    a = h.arr(np.array([[2, 1], [1, 3]], np.int32))
    f = h.be.default_float
    for fn in (L.inv, L.det, L.cholesky, L.svdvals, L.eigvalsh, L.pinv):
        assert xops.dtype(fn(a)) is f, fn.__name__
    assert xops.dtype(L.eigvals(a)) is _dtypes.to_complex(f)
    assert xops.dtype(L.norm(a)) is f
    # matrix_power keeps integers for n >= 0 (NumPy), inverts into the default float for n < 0
    assert xops.dtype(L.matrix_power(a, 2)) is xnp.int32
    assert xops.dtype(L.matrix_power(a, -1)) is f


def test_half_precision_computes_in_float32_and_casts_back(backend):
    h = backend
    for d in (xnp.float16, xnp.bfloat16):
        if not h.holds(d):
            continue
        a64 = np.array([[4.0, 1.0], [1.0, 3.0]])
        a = h.arr(a64.astype(np_dtype(d)))
        for fn, want in ((L.inv, np.linalg.inv(a64)), (L.det, np.linalg.det(a64)),
                         (L.cholesky, np.linalg.cholesky(a64)),
                         (L.eigvalsh, np.linalg.eigvalsh(a64))):
            out = fn(a)
            assert xops.dtype(out) is d, (fn.__name__, d)
            np.testing.assert_allclose(h.np(out).astype(np.float64), want, rtol=2e-2)
        # eig has no half-precision complex dtype: complex64
        assert xops.dtype(L.eigvals(a)) is xnp.complex64


def test_complex_input_gives_real_norms_and_spectra(backend):
    h = backend
    if not h.holds(xnp.complex64):
        pytest.skip("no complex64")
    a = h.arr(np.array([[2 + 1j, 1j], [-1j, 3]], np.complex64))
    for fn in (L.svdvals, L.eigvalsh, L.norm, L.matrix_norm, L.vector_norm):
        assert xops.dtype(fn(a)) is xnp.float32, fn.__name__
    sign, logabsdet = L.slogdet(a)
    assert xops.dtype(sign) is xnp.complex64 and xops.dtype(logabsdet) is xnp.float32
    want = np.linalg.slogdet(np.array([[2 + 1j, 1j], [-1j, 3]]))
    np.testing.assert_allclose(h.np(sign), want.sign, rtol=1e-5)
    np.testing.assert_allclose(h.np(logabsdet), want.logabsdet, rtol=1e-5)


def test_float64_on_every_backend_including_jax_x64(dtype_backend):
    h = dtype_backend
    if not h.holds(xnp.float64):
        pytest.skip("jax without x64 holds no float64 (refused by dispatch, tested there)")
    rng = np.random.default_rng(3)
    a = rng.normal(size=(3, 3)) + 4 * np.eye(3)
    np.testing.assert_allclose(h.np(L.inv(h.arr(a))), np.linalg.inv(a), rtol=1e-12)
    assert xops.dtype(L.eigvals(h.arr(a))) is xnp.complex128
    assert xops.dtype(L.matrix_rank(h.arr(a))) is xnp.int64


# --- errors ------------------------------------------------------------------------------------
def test_shape_and_argument_errors_name_the_op(backend):
    h = backend
    sq = h.arr(np.eye(3, dtype=np.float32))
    rect_ = h.arr(np.ones((2, 3), np.float32))
    vec = h.arr(np.ones(3, np.float32))
    for fn in (L.inv, L.det, L.slogdet, L.cholesky, L.eig, L.eigvals, L.eigh, L.eigvalsh):
        with pytest.raises(ValueError, match=f"xops.numpy.linalg.{fn.__name__}: expects square"):
            fn(rect_)
        with pytest.raises(ValueError, match=f"xops.numpy.linalg.{fn.__name__}: expects an array"):
            fn(vec)
    with pytest.raises(ValueError, match="linalg.solve"):
        L.solve(sq, h.arr(np.ones(2, np.float32)))
    with pytest.raises(ValueError, match="linalg.qr: mode"):
        L.qr(sq, mode="raw")
    with pytest.raises(ValueError, match="linalg.eigh: UPLO"):
        L.eigh(sq, UPLO="X")
    with pytest.raises(ValueError, match="linalg.matrix_norm: invalid norm order"):
        L.matrix_norm(sq, ord=3)
    with pytest.raises(ValueError, match="linalg.vector_norm: invalid norm order"):
        L.vector_norm(vec, ord="fro")
    with pytest.raises(ValueError, match="linalg.norm"):
        L.norm(h.arr(np.ones((2, 2, 2), np.float32)), ord=2)
    with pytest.raises(TypeError, match="linalg.matrix_power"):
        L.matrix_power(h.arr(np.eye(2, dtype=bool)), 2)
    with pytest.raises(TypeError, match="linalg.matrix_power: n must be an integer"):
        L.matrix_power(sq, 1.5)
    with pytest.raises(ValueError, match="linalg.cross"):
        L.cross(vec, h.arr(np.ones(2, np.float32)))
    with pytest.raises(ValueError, match="linalg.outer"):
        L.outer(sq, vec)
    with pytest.raises(TypeError, match="linalg.inv"):
        L.inv(3.0)


def test_mixing_backends_is_an_error(backend):
    from .conftest import other_framework
    other = other_framework(backend.name)
    if other is None or backend.name == "numpy":  # NumPy data joins the other framework
        pytest.skip("needs two frameworks")
    with pytest.raises(TypeError, match="mix"):
        L.solve(backend.arr(np.eye(2, dtype=np.float32)), other.arr(np.ones(2, np.float32)))


def test_singular_input(backend):
    """Eager numpy/torch/tensorflow raise their own error (annotated with the op), except tf's
    cholesky which fills NaN; jax returns inf/nan (documented: an error that depends on the data
    cannot exist under jit)."""
    h = backend
    z = h.arr(np.zeros((2, 2), np.float32))
    notpd = h.arr(np.array([[1.0, 2.0], [2.0, 1.0]], np.float32))
    if h.name == "jax":
        assert not np.all(np.isfinite(h.np(L.inv(z))))
        assert np.any(np.isnan(h.np(L.cholesky(notpd))))
        return
    raising = [(L.inv, z), (L.cholesky, notpd)]
    if h.name == "tensorflow":
        assert np.any(np.isnan(h.np(L.cholesky(notpd))))
        raising = raising[:1]
    for fn, x in raising:
        with pytest.raises(Exception) as info:
            fn(x)
        if h.name == "numpy":
            assert isinstance(info.value, np.linalg.LinAlgError)
        assert any(f"xops.numpy.linalg.{fn.__name__}" in n
                   for n in getattr(info.value, "__notes__", ())), info.value
    # det and slogdet of a singular matrix are fine everywhere
    assert float(h.np(L.det(z))) == 0.0
    sign, logabsdet = L.slogdet(z)
    assert float(h.np(sign)) == 0.0 and h.np(logabsdet) == -np.inf


# --- outputs are native, inputs untouched ------------------------------------------------------
def test_solve_broadcasting_follows_numpy2(backend):
    h = backend
    rng = np.random.default_rng(5)
    a = (rng.normal(size=(2, 1, 3, 3)) + 4 * np.eye(3)).astype(np.float32)
    for b in (rng.normal(size=(3,)), rng.normal(size=(4, 3, 2)), rng.normal(size=(3, 3))):
        b = b.astype(np.float32)
        got = h.np(L.solve(h.arr(a), h.arr(b)))
        want = np.linalg.solve(a.astype(np.float64), b.astype(np.float64))
        assert got.shape == want.shape
        np.testing.assert_allclose(got, want, rtol=1e-4, atol=1e-5)


# --- transforms --------------------------------------------------------------------------------
def _spd(n=3, seed=0):
    x = np.random.default_rng(seed).normal(size=(n, n))
    return (x @ x.T + n * np.eye(n)).astype(np.float32)


def test_jax_jit_grad_vmap():
    jax = needs_backend("jax")
    import jax.numpy as jnp
    a = _spd()
    b = np.arange(3, dtype=np.float32)
    ja, jb = jnp.asarray(a), jnp.asarray(b)
    # d det(A) / dA = det(A) A^{-T}
    g = jax.jit(jax.grad(lambda m: L.det(m)))(ja)
    np.testing.assert_allclose(g, np.linalg.det(a) * np.linalg.inv(a).T, rtol=1e-4)
    # d sum(inv(A)) / dA = -(A^{-T} 1 1^T A^{-T})
    ai = np.linalg.inv(a.astype(np.float64))
    g = jax.grad(lambda m: xnp.sum(L.inv(m)))(ja)
    np.testing.assert_allclose(g, -(ai.T @ np.ones((3, 3)) @ ai.T), rtol=1e-4, atol=1e-6)
    g = jax.jit(jax.grad(lambda v: xnp.sum(L.solve(ja, v))))(jb)
    np.testing.assert_allclose(g, ai.T @ np.ones(3), rtol=1e-4)
    # d logdet via cholesky: 2 sum(log(diag(L))) = logdet A; gradient A^{-1} (symmetric)
    g = jax.grad(lambda m: 2 * xnp.sum(xnp.log(L.diagonal(L.cholesky(m)))))(ja)
    np.testing.assert_allclose(np.tril(g) + np.triu(g, 1).T, np.tril(2 * ai - np.diag(np.diag(ai))),
                               rtol=1e-3, atol=1e-5)
    out = jax.jit(lambda m: L.eigvalsh(m))(ja)
    np.testing.assert_allclose(out, np.linalg.eigvalsh(a), rtol=1e-5)
    batch = jnp.stack([ja, 2 * ja])
    np.testing.assert_allclose(jax.vmap(L.inv)(batch), np.linalg.inv(np.stack([a, 2 * a])),
                               rtol=1e-4, atol=1e-6)
    # under jit, lstsq cannot see the rank: residuals are returned whenever M > N
    deficient = jnp.asarray(_deficient(np.random.default_rng(0), 4, 3, 2, np.float32))
    res = jax.jit(lambda m, v: L.lstsq(m, v).residuals)(deficient, jnp.ones(4, jnp.float32))
    assert res.shape == (1,)
    assert L.lstsq(deficient, jnp.ones(4, jnp.float32)).residuals.shape == (0,)


def test_torch_autograd_and_func():
    torch = needs_backend("torch")
    t = handle("torch")
    a = t.arr(_spd()).requires_grad_()
    L.det(a).backward()
    np.testing.assert_allclose(t.np(a.grad), np.linalg.det(_spd()) * np.linalg.inv(_spd()).T,
                               rtol=1e-4)
    ai = np.linalg.inv(_spd().astype(np.float64))
    g = torch.func.grad(lambda m: L.slogdet(m).logabsdet)(t.arr(_spd()))
    np.testing.assert_allclose(t.np(g), ai.T, rtol=1e-4, atol=1e-6)
    g = torch.func.grad(lambda m: xnp.sum(L.solve(m, t.arr(np.ones(3, np.float32)))))(
        t.arr(_spd()))
    x = ai @ np.ones(3)
    np.testing.assert_allclose(t.np(g), -np.outer(ai.T @ np.ones(3), x), rtol=1e-4, atol=1e-6)
    v = torch.func.vmap(L.inv)(t.arr(np.stack([_spd(), _spd(seed=1)])))
    np.testing.assert_allclose(t.np(v), np.linalg.inv(np.stack([_spd(), _spd(seed=1)])),
                               rtol=1e-4, atol=1e-6)


def test_tensorflow_tape_and_function():
    tf = needs_backend("tensorflow")
    a = tf.Variable(_spd())
    with tf.GradientTape() as tape:
        y = L.det(a)
    np.testing.assert_allclose(tape.gradient(y, a).numpy(),
                               np.linalg.det(_spd()) * np.linalg.inv(_spd()).T, rtol=1e-4)
    ai = np.linalg.inv(_spd().astype(np.float64))
    b = tf.constant(np.ones(3, np.float32))
    with tf.GradientTape() as tape:
        tape.watch(b)
        y = xnp.sum(L.solve(tf.constant(_spd()), b))
    np.testing.assert_allclose(tape.gradient(y, b).numpy(), ai.T @ np.ones(3), rtol=1e-4)
    f = tf.function(lambda m: (L.inv(m), L.matrix_norm(m, ord=2), L.lstsq(m, b).x))
    inv_, n2, x = f(tf.constant(_spd()))
    np.testing.assert_allclose(inv_.numpy(), ai, rtol=1e-4, atol=1e-6)
    np.testing.assert_allclose(n2.numpy(), np.linalg.norm(_spd(), 2), rtol=1e-5)
    np.testing.assert_allclose(x.numpy(), ai @ np.ones(3), rtol=1e-4)


def test_namespace_reuses_the_top_level_products():
    for n in ("matmul", "tensordot", "vecdot", "matrix_transpose"):
        assert getattr(L, n) is getattr(xnp, n), n
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        # linalg.outer is the Array API's (1-d only), not the flattening top-level one
        assert L.outer is not xnp.outer
    assert math.isfinite(float(L.norm(np.ones(4))))


def test_torch_compile_fullgraph():
    torch = needs_backend("torch")
    t = handle("torch")
    a = t.arr(_spd())
    b = t.arr(np.ones(3, np.float32))
    L.inv(a), L.solve(a, b)  # first sight of the type happens eagerly (as in real use)

    def f(m, v):
        return (L.inv(m), L.det(m), L.matrix_norm(m, ord="nuc"), L.solve(m, v), L.eigvalsh(m),
                L.lstsq(m[:, :2], v).residuals)

    got = torch.compile(f, fullgraph=True, backend="eager")(a, b)
    want = f(a, b)
    for g, w in zip(got, want):
        np.testing.assert_allclose(t.np(g), t.np(w), rtol=1e-5, atol=1e-6)
