"""xops.nn.functional.scaled_dot_product_attention's native kernels (torch, jax) against the
generic xops composition and a float64 NumPy reference (bool and additive masks, causal, scale,
grouped-query heads), under jax.jit / torch.compile; and ctc_loss against a brute-force
enumeration of alignments."""
from __future__ import annotations

import itertools
import math

import hypothesis.extra.numpy as hnp
import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

pytest.importorskip("optree", reason="xops.nn needs optree")

import xops
from xops import numpy as xnp
from xops.nn import functional as F

from .conftest import TORCH_DEVICE, handle, needs_backend
from .tolerances import tol

NATIVE = {"torch", "jax"}


def _softmax(x):
    m = x.max(-1, keepdims=True)
    e = np.exp(x - m)
    return e / e.sum(-1, keepdims=True)


def attention_ref(q, k, v, mask, bias, causal, scale):
    """float64, jax layout (B, T, N, H); masked logits -0.7 * float32 max (jax's value)."""
    _, t, n, h = q.shape
    s, kh = k.shape[1], k.shape[2]
    k = np.repeat(k, n // kh, axis=2)
    v = np.repeat(v, n // kh, axis=2)
    logits = np.einsum("btnh,bsnh->bnts", q, k) * (1 / math.sqrt(h) if scale is None else scale)
    if bias is not None:
        logits = logits + bias
    keep = np.ones((t, s), bool) if mask is None else mask
    if causal:
        keep = keep & np.tril(np.ones((t, s), bool))
    logits = np.where(keep, logits, -0.7 * np.finfo(np.float32).max)
    return np.einsum("bnts,bsnh->btnh", _softmax(logits), v)


@st.composite
def attention_cases(draw, same_v=False, few=False):
    """``few``: two shapes only (jax eager compiles every op once per shape)."""
    if few:
        b, t, s, kh, rep, h = draw(st.sampled_from([(1, 3, 3, 1, 3, 3), (3, 1, 3, 3, 1, 3)]))
    else:
        b, t, s, kh, rep, h = (draw(st.sampled_from([1, 3])) for _ in range(6))
    rng = np.random.default_rng(draw(st.integers(0, 2 ** 32 - 1)))
    hv = h if same_v or few or draw(st.booleans()) else h + 1
    q = rng.standard_normal((b, t, kh * rep, h))
    k = rng.standard_normal((b, s, kh, h))
    v = rng.standard_normal((b, s, kh, hv))
    mshape = draw(st.sampled_from([(t, s), (b, 1, t, s), (1, kh * rep, t, s)]))
    mask = draw(st.one_of(st.none(), hnp.arrays(np.bool_, mshape)))
    bias = None
    if draw(st.booleans()):
        bias = rng.standard_normal(draw(st.sampled_from([(t, s), (b, kh * rep, t, s)])))
        bias[rng.random(bias.shape) < 0.3] = -1e4  # an additive mask
    causal = draw(st.booleans())
    scale = draw(st.sampled_from([None, 0.5]))
    return q, k, v, mask, bias, causal, scale


def _call(h, case, d, impl):
    q, k, v, mask, bias, causal, scale = case
    A = h.arr
    return F.scaled_dot_product_attention(
        A(q.astype(d)), A(k.astype(d)), A(v.astype(d)),
        mask=None if mask is None else A(mask),
        bias=None if bias is None else A(bias.astype(d)), is_causal=causal, scale=scale,
        implementation=impl)


def test_attention_native_agrees(backend):
    """Native (where the backend has it) and generic agree with the float64 reference and
    with each other, over masks, additive biases, causal, scale and grouped-query heads."""
    dts = [n for n in ("float32", "float64") if backend.holds(getattr(xnp, n))]

    @given(data=st.data())
    def run(data):
        d = data.draw(st.sampled_from(dts))
        same_v = backend.name == "jax" and data.draw(st.booleans())
        case = data.draw(attention_cases(same_v=same_v, few=backend.name == "jax"))
        q, k, v, mask, bias, causal, scale = case
        want = attention_ref(*(a.astype(d).astype(np.float64) for a in (q, k, v)), mask,
                             None if bias is None else bias.astype(d).astype(np.float64),
                             causal, scale)
        rtol, atol = tol(d, "contraction").values()
        generic = _call(backend, case, d, "xops")
        auto = _call(backend, case, d, None)
        for got in (generic, auto):
            assert backend.is_native(got)
            assert xops.dtype(got) is getattr(xnp, d)
            np.testing.assert_allclose(backend.np(got), want, rtol=10 * rtol, atol=10 * atol)
        native_ok = backend.name == "torch" or (backend.name == "jax"
                                                and v.shape[-1] == k.shape[-1])
        if native_ok:
            got = _call(backend, case, d, "native")
            np.testing.assert_allclose(backend.np(got), backend.np(generic), rtol=10 * rtol,
                                       atol=10 * atol)
        else:
            with pytest.raises(ValueError, match="native"):
                _call(backend, case, d, "native")

    run()


@pytest.mark.parametrize("name", sorted(NATIVE))
def test_attention_native_fully_masked_row(name):
    """A fully masked row averages the values on the native kernel too (torch's own bool
    masks would give NaN)."""
    needs_backend(name)
    h = handle(name)
    q = h.arr(np.ones((1, 2, 1, 2), np.float32))
    k = h.arr(np.ones((1, 3, 1, 2), np.float32))
    v = np.arange(6, dtype=np.float32).reshape(1, 3, 1, 2)
    mask = np.array([[False, False, False], [True, False, False]])
    out = h.np(F.scaled_dot_product_attention(q, k, h.arr(v), mask=h.arr(mask),
                                              implementation="native"))
    np.testing.assert_allclose(out[0, 0, 0], v[0, :, 0].mean(0), rtol=1e-6)
    np.testing.assert_allclose(out[0, 1, 0], v[0, 0, 0], rtol=1e-6)


def test_attention_implementation_errors(backend):
    q = backend.arr(np.ones((1, 2, 1, 2), np.float32))
    with pytest.raises(ValueError, match="implementation"):
        F.scaled_dot_product_attention(q, q, q, implementation="flash")
    if backend.name not in NATIVE:
        with pytest.raises(ValueError, match=f"{backend.name} backend has no native"):
            F.scaled_dot_product_attention(q, q, q, implementation="native")


def _inputs():
    rng = np.random.default_rng(3)
    q = rng.standard_normal((2, 3, 4, 8)).astype(np.float32)
    k = rng.standard_normal((2, 5, 2, 8)).astype(np.float32)
    v = rng.standard_normal((2, 5, 2, 8)).astype(np.float32)
    mask = rng.random((2, 1, 3, 5)) < 0.7
    bias = rng.standard_normal((3, 5)).astype(np.float32)
    return q, k, v, mask, bias


def _attn(q, k, v, mask, bias):
    a = F.scaled_dot_product_attention(q, k, v, mask=mask, bias=bias, is_causal=True,
                                       implementation="native")
    b = F.scaled_dot_product_attention(q, k, v, is_causal=True, scale=0.3,
                                       implementation="native")
    return a + b


@pytest.mark.parametrize("name", sorted(NATIVE))
def test_attention_native_under_jit(name):
    needs_backend(name)
    h = handle(name)
    args = _inputs()
    if name == "jax":
        import jax
        import jax.numpy as jnp
        ja = [h.arr(a) for a in args]
        eager = h.np(_attn(*ja))
        out = jax.jit(_attn)(*ja)
        g = jax.grad(lambda q, *r: jnp.sum(_attn(q, *r)))(*ja)
    else:
        import torch
        torch._dynamo.reset()
        ta = [h.arr(a) for a in args]
        eager = h.np(_attn(*ta))
        out = torch.compile(_attn, fullgraph=True, backend="eager")(*ta)
        qg = ta[0].clone().requires_grad_(True)
        _attn(qg, *ta[1:]).sum().backward()
        g = qg.grad
    assert xops.backend(out) == name
    np.testing.assert_allclose(h.np(out), eager, rtol=1e-5, atol=1e-6)
    assert np.isfinite(h.np(g)).all()
    ref = attention_ref(*(a.astype(np.float64) for a in args[:3]), args[3],
                        args[4].astype(np.float64), True, None)
    ref = ref + attention_ref(*(a.astype(np.float64) for a in args[:3]), None, None, True, 0.3)
    np.testing.assert_allclose(eager, ref, rtol=1e-5, atol=1e-5)


# --- CTC ------------------------------------------------------------------------------------

def ctc_brute(lp, labels, t_len, blank):
    """-log sum over every path of length t_len whose collapse (repeats merged, blanks
    dropped) is ``labels``: enumerates K ** t_len paths."""
    tot = -np.inf
    for path in itertools.product(range(lp.shape[1]), repeat=t_len):
        col = [c for i, c in enumerate(path) if i == 0 or c != path[i - 1]]
        if [c for c in col if c != blank] == list(labels):
            tot = np.logaddexp(tot, sum(lp[t, c] for t, c in enumerate(path)))
    return -tot


@st.composite
def ctc_cases(draw, few=False):
    if few:
        b, t, k, n_lab = 2, 4, 3, 2
    else:
        b, t, k, n_lab = (draw(st.integers(1, 2)), draw(st.integers(1, 4)),
                          draw(st.integers(2, 3)), draw(st.integers(1, 3)))
    blank = draw(st.integers(0, k - 1))
    others = [c for c in range(k) if c != blank]
    labels = np.array([[draw(st.sampled_from(others)) for _ in range(n_lab)] for _ in range(b)],
                      np.int32)
    lab_len = np.array([draw(st.integers(0, n_lab)) for _ in range(b)], np.int32)
    in_len = np.array([draw(st.integers(1, t)) for _ in range(b)], np.int32)
    rng = np.random.default_rng(draw(st.integers(0, 2 ** 32 - 1)))
    x = rng.standard_normal((b, t, k)) * draw(st.sampled_from([1.0, 5.0]))
    return x, labels, in_len, lab_len, blank


def test_ctc_loss_agrees(backend):
    dts = [n for n in ("float32", "float64") if backend.holds(getattr(xnp, n))]

    @given(data=st.data())
    def run(data):
        d = data.draw(st.sampled_from(dts))
        x, labels, in_len, lab_len, blank = data.draw(ctc_cases(few=backend.name == "jax"))
        x = x.astype(d)
        xf = x.astype(np.float64)
        lp = xf - np.log(np.exp(xf).sum(-1, keepdims=True))
        want = np.array([ctc_brute(lp[i], labels[i, :lab_len[i]], in_len[i], blank)
                         for i in range(len(x))])
        red = data.draw(st.sampled_from(["none", "sum", "mean"]))
        want = {"none": want, "sum": want.sum(), "mean": want.mean()}[red]
        impls = ["xops", None] + (["native"] if backend.name in ("torch", "tensorflow") else [])
        impl = data.draw(st.sampled_from(impls))
        if impl == "native" and backend.name == "tensorflow" and d == "float64":
            with pytest.raises(ValueError, match="float64"):  # tf.nn.ctc_loss raises there
                F.ctc_loss(backend.arr(x), backend.arr(labels), backend.arr(in_len),
                           backend.arr(lab_len), blank=blank, implementation=impl)
            impl = None
        got = F.ctc_loss(backend.arr(x), backend.arr(labels), backend.arr(in_len),
                         backend.arr(lab_len), blank=blank, reduction=red, implementation=impl)
        assert backend.is_native(got)
        assert xops.dtype(got) is getattr(xnp, d)
        np.testing.assert_allclose(backend.np(got), want, **tol(d, "accumulated"))

    run()


def test_ctc_loss_errors(backend):
    x = backend.arr(np.zeros((1, 3, 3), np.float32))
    lab = backend.arr(np.ones((1, 2), np.int32))
    n = backend.arr(np.array([3], np.int32))
    m = backend.arr(np.array([2], np.int32))
    with pytest.raises(ValueError, match="blank"):
        F.ctc_loss(x, lab, n, m, blank=3)
    with pytest.raises(TypeError, match="integers"):
        F.ctc_loss(x, backend.arr(np.ones((1, 2), np.float32)), n, m)
    with pytest.raises(ValueError, match="reduction"):
        F.ctc_loss(x, lab, n, m, reduction="avg")
    with pytest.raises(ValueError, match="implementation"):
        F.ctc_loss(x, lab, n, m, implementation="cudnn")
    if backend.name in ("numpy", "jax"):
        with pytest.raises(ValueError, match="native"):
            F.ctc_loss(x, lab, n, m, implementation="native")


def _ctc_grad(name, impl, x, labels, in_len, lab_len):
    def f(v):
        lab, il, ll = (handle(xops.backend(v)).arr(a) for a in (labels, in_len, lab_len))
        return F.ctc_loss(v, lab, il, ll, reduction="sum", implementation=impl)

    from .test_nn_conv import grad_of
    return grad_of(name, f, x)


def test_ctc_gradients_agree():
    """d loss / d logits: jax (the scan composite), torch and tf (native and composite)."""
    needs_backend("jax", "torch", "tensorflow")
    rng = np.random.default_rng(5)
    x = rng.standard_normal((2, 5, 4)).astype(np.float32)
    labels = np.array([[1, 1, 2], [3, 2, 0]], np.int32)
    in_len = np.array([5, 4], np.int32)
    lab_len = np.array([3, 2], np.int32)
    ref = _ctc_grad("jax", None, x, labels, in_len, lab_len)
    assert np.isfinite(ref).all()
    for name in ("torch", "tensorflow"):
        for impl in ("native", "xops"):
            g = _ctc_grad(name, impl, x, labels, in_len, lab_len)
            np.testing.assert_allclose(g, ref, rtol=1e-4, atol=1e-5, err_msg=f"{name} {impl}")


def test_ctc_under_jax_jit():
    needs_backend("jax")
    import jax
    import jax.numpy as jnp
    x, labels, in_len, lab_len, _ = (np.random.default_rng(1).standard_normal((2, 4, 3)),
                                     np.array([[1, 2], [2, 2]], np.int32),
                                     np.array([4, 4], np.int32), np.array([2, 2], np.int32), 0)
    args = [jnp.asarray(a) for a in (x.astype(np.float32), labels, in_len, lab_len)]
    out = jax.jit(lambda *a: F.ctc_loss(*a, reduction="none"))(*args)
    lp = x - np.log(np.exp(x).sum(-1, keepdims=True))
    want = [ctc_brute(lp[i], labels[i], 4, 0) for i in range(2)]
    np.testing.assert_allclose(np.asarray(out), want, rtol=1e-5)


@pytest.mark.needs_backend("torch")
def test_first_nn_call_inside_torch_compile_in_a_fresh_process():
    """The nn kernel module of a backend is imported with its table, not while dynamo traces
    the first nn call (an import inside the traced frame failed dynamo's guard check)."""
    import subprocess
    import sys
    code = (
        "import torch, xops\n"
        "from xops.nn import functional as F\n"
        "xops.get_backend('torch')\n"
        "f = torch.compile(lambda q: F.scaled_dot_product_attention(q, q, q, is_causal=True),"
        " backend='eager', fullgraph=True)\n"
        f"print(tuple(f(torch.ones(1, 3, 2, 4, device={TORCH_DEVICE!r})).shape))\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         timeout=600)
    assert out.returncode == 0, out.stderr[-2000:]
    assert out.stdout.strip().endswith("(1, 3, 2, 4)")


def test_jax_float16_attention_compiles_on_the_cpu():
    # jax.nn.dot_product_attention under jax.jit fails to compile for float16 on XLA's CPU
    # (no F16_F16_F32 dot_general there): the kernel declines and the composition answers.
    jax = pytest.importorskip("jax")
    import jax.numpy as jnp
    rng = np.random.default_rng(0)
    q, k, v = (jnp.asarray(rng.standard_normal((2, 3, 4, 8)), jnp.float16) for _ in range(3))
    fn = jax.jit(lambda q, k, v: F.scaled_dot_product_attention(q, k, v, is_causal=True))
    out = fn(q, k, v)
    ref = F.scaled_dot_product_attention(*(a.astype(jnp.float32) for a in (q, k, v)),
                                         is_causal=True)
    assert out.dtype == jnp.float16
    np.testing.assert_allclose(np.asarray(out, np.float32), np.asarray(ref), atol=4e-3, rtol=4e-3)
