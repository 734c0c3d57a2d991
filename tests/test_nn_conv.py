"""xops.nn.functional convolutions and pooling: hypothesis agreement with float64 NumPy
references written here from the definitions (direct loops, independent of the kernels), on
every backend, over strides/padding/dilation/groups/data formats; the adjoint identity of
conv_transpose; gradients of conv w.r.t. input and kernel agreeing across jax/torch/tf; jit."""
from __future__ import annotations

import itertools
import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

pytest.importorskip("optree", reason="xops.nn needs optree")

import xops
from xops import numpy as xnp
from xops.nn import functional as F

from .conftest import handle, needs_backend
from .tolerances import tol


def _dtypes(h, low=False):
    names = ["float32", "float64"] + (["float16"] if low else [])
    return [n for n in names if h.holds(getattr(xnp, n))]


def _check(h, got, want, d, scale=1.0):
    assert h.is_native(got), type(got)
    assert xops.dtype(got) is getattr(xnp, d), (xops.dtype(got), d)
    g = h.np(got).astype(np.float64)
    assert g.shape == want.shape, (g.shape, want.shape)
    np.testing.assert_allclose(g, want, **tol(d, "contraction", scale=scale))


# --- float64 references from the definitions -------------------------------------------------

def ref_conv(x, w, strides, pads, dilation, groups):
    """Channels-last: y[n, o, c] = sum_{k, i} xpad[n, o*s + k*d, g*ci + i] w[k, i, c]."""
    nd = x.ndim - 2
    xp = np.pad(x, [(0, 0), *pads, (0, 0)])
    ks = w.shape[:nd]
    ci, co = w.shape[nd], w.shape[-1]
    cog = co // groups
    out_sp = [(xp.shape[1 + i] - (ks[i] - 1) * dilation[i] - 1) // strides[i] + 1
              for i in range(nd)]
    y = np.zeros((x.shape[0], *out_sp, co))
    for o in itertools.product(*map(range, out_sp)):
        for k in itertools.product(*map(range, ks)):
            pos = tuple(oo * s + kk * d for oo, kk, s, d in zip(o, k, strides, dilation))
            patch = xp[(slice(None),) + pos]  # (N, C_in)
            for g in range(groups):
                y[(slice(None),) + o + (slice(g * cog, (g + 1) * cog),)] += (
                    patch[:, g * ci:(g + 1) * ci] @ w[k][:, g * cog:(g + 1) * cog])
    return y


def ref_conv_transpose(x, w, strides, padding, output_padding, dilation, groups):
    """Channels-last: full[n, o*s + k*d, g*co + j] += x[n, o, g*ci + c] w[k, j, g*ci + c],
    then the documented crop: explicit (lo, hi): keep [lo, lo + (n-1)s + k_eff - lo - hi + op);
    "same": lo = max(k_eff - s, 0) // 2, length n * s."""
    nd = x.ndim - 2
    sp = x.shape[1:1 + nd]
    ks = w.shape[:nd]
    cog, cin = w.shape[nd], w.shape[-1]
    cig = cin // groups
    eff = [(k - 1) * d + 1 for k, d in zip(ks, dilation)]
    full = [(n - 1) * s + e for n, s, e in zip(sp, strides, eff)]
    out = np.zeros((x.shape[0], *[f + 2 * s for f, s in zip(full, strides)], cog * groups))
    for o in itertools.product(*map(range, sp)):
        for k in itertools.product(*map(range, ks)):
            pos = tuple(oo * s + kk * d for oo, kk, s, d in zip(o, k, strides, dilation))
            for g in range(groups):
                xin = x[(slice(None),) + o + (slice(g * cig, (g + 1) * cig),)]
                out[(slice(None),) + pos + (slice(g * cog, (g + 1) * cog),)] += (
                    xin @ w[k][:, g * cig:(g + 1) * cig].T)
    idx = [slice(None)]
    for i in range(nd):
        if padding == "same":
            lo, length = max(eff[i] - strides[i], 0) // 2, sp[i] * strides[i]
        else:
            lo, hi = padding[i]
            op = output_padding[i] if output_padding else 0
            length = full[i] - lo - hi + op
        idx.append(slice(lo, lo + length))
    return out[tuple(idx)]


def ref_pool(x, kind, window, strides, pads):
    """Channels-last: max / mean over each window's elements inside the input."""
    nd = x.ndim - 2
    sp = x.shape[1:1 + nd]
    out_sp = [(n + lo + hi - k) // s + 1 for n, (lo, hi), k, s in zip(sp, pads, window, strides)]
    y = np.zeros((x.shape[0], *out_sp, x.shape[-1]))
    for o in itertools.product(*map(range, out_sp)):
        sl = tuple(slice(max(oo * s - lo, 0), min(oo * s - lo + k, n)) for oo, s, (lo, _), k, n
                   in zip(o, strides, pads, window, sp))
        win = x[(slice(None),) + sl].reshape(x.shape[0], -1, x.shape[-1])
        y[(slice(None),) + o] = win.max(1) if kind == "max" else win.mean(1)
    return y


def same_pads(sp, eff, strides):
    out = []
    for n, e, s in zip(sp, eff, strides):
        total = max((math.ceil(n / s) - 1) * s + e - n, 0)
        out.append((total // 2, total - total // 2))
    return out


def _to_first(a):
    return np.moveaxis(a, -1, 1)


# --- strategies -------------------------------------------------------------------------------

@st.composite
def conv_cases(draw, transpose=False):
    """(x, w, kwargs, pads-or-"same", output_padding) with channels-last x (float64)."""
    nd = draw(st.sampled_from([1, 2, 3]))
    maxn = {1: 7, 2: 5, 3: 3}[nd]
    groups = draw(st.sampled_from([1, 2]))
    cig, cog = draw(st.integers(1, 2)), draw(st.integers(1, 2))
    n = draw(st.integers(1, 2))
    ks = tuple(draw(st.integers(1, 3)) for _ in range(nd))
    strides = tuple(draw(st.integers(1, 2)) for _ in range(nd))
    dilation = tuple(draw(st.integers(1, 2)) for _ in range(nd))
    eff = [(k - 1) * d + 1 for k, d in zip(ks, dilation)]
    kind = draw(st.sampled_from(["valid", "same", "int", "pairs"]))
    if kind == "int":
        p = draw(st.integers(0, 2))
        padding, pads = p, [(p, p)] * nd
    elif kind == "pairs":
        pads = [(draw(st.integers(0, 2)), draw(st.integers(0, 2))) for _ in range(nd)]
        padding = pads
    else:
        padding, pads = kind, None
    sp = []
    for i in range(nd):
        lo_hi = 0 if pads is None else sum(pads[i])
        least = max(eff[i] - lo_hi, 1) if not transpose else 1
        sp.append(draw(st.integers(min(least, maxn), maxn + (0 if least <= maxn else least))))
    if not transpose:
        if pads is None:
            pads = [(0, 0)] * nd if padding == "valid" else same_pads(sp, eff, strides)
        for i in range(nd):
            if sp[i] + sum(pads[i]) < eff[i]:
                sp[i] = eff[i] - sum(pads[i])
    seed = draw(st.integers(0, 2 ** 32 - 1))
    rng = np.random.default_rng(seed)
    op = None
    if transpose:
        x = rng.standard_normal((n, *sp, cog * groups))
        w = rng.standard_normal((*ks, cig, cog * groups))
        if padding != "same":
            pads = pads or [(0, 0)] * nd
            # keep the output non-empty
            pads = [(min(lo, (sp[i] - 1) * strides[i] + eff[i] - 1), 0) if
                    (sp[i] - 1) * strides[i] + eff[i] - lo - hi < 1 else (lo, hi)
                    for i, (lo, hi) in enumerate(pads)]
            padding = pads
            if draw(st.booleans()):
                op = tuple(draw(st.integers(0, s - 1)) for s in strides)
    else:
        x = rng.standard_normal((n, *sp, cig * groups))
        w = rng.standard_normal((*ks, cig, cog * groups))
    bias = rng.standard_normal(w.shape[-1] if not transpose else cig * groups) if draw(
        st.booleans()) else None
    kw = dict(strides=strides, padding=padding, dilation=dilation, groups=groups)
    return x, w, bias, kw, pads, op


def _fmt(data):
    return data.draw(st.sampled_from(["channels_last", "channels_first", "NHWC", "NCHW"]))


def _first(fmt):
    return fmt in ("channels_first", "NCHW")


# --- agreement --------------------------------------------------------------------------------

def test_conv_agrees(backend):
    @given(data=st.data())
    def run(data):
        d = data.draw(st.sampled_from(_dtypes(backend)))
        x, w, bias, kw, pads, _ = data.draw(conv_cases())
        x, w = x.astype(d), w.astype(d)
        fmt = _fmt(data)
        want = ref_conv(x.astype(np.float64), w.astype(np.float64), kw["strides"], pads,
                        kw["dilation"], kw["groups"])
        if bias is not None:
            bias = bias.astype(d)
            want = want + bias
        xin = _to_first(x) if _first(fmt) else x
        got = F.conv(backend.arr(xin), backend.arr(w), data_format=fmt,
                     bias=None if bias is None else backend.arr(bias), **kw)
        _check(backend, got, _to_first(want) if _first(fmt) else want, d, scale=10)

    run()


def test_conv_transpose_agrees(backend):
    @given(data=st.data())
    def run(data):
        d = data.draw(st.sampled_from(_dtypes(backend)))
        x, w, bias, kw, pads, op = data.draw(conv_cases(transpose=True))
        x, w = x.astype(d), w.astype(d)
        fmt = _fmt(data)
        want = ref_conv_transpose(x.astype(np.float64), w.astype(np.float64), kw["strides"],
                                  kw["padding"], op, kw["dilation"], kw["groups"])
        if bias is not None:
            bias = bias.astype(d)
            want = want + bias
        xin = _to_first(x) if _first(fmt) else x
        got = F.conv_transpose(backend.arr(xin), backend.arr(w), data_format=fmt,
                               output_padding=op, bias=None if bias is None else
                               backend.arr(bias), **kw)
        _check(backend, got, _to_first(want) if _first(fmt) else want, d, scale=10)

    run()


def test_conv_transpose_is_the_adjoint_of_conv():
    """<conv(a, w), b> == <a, conv_transpose(b, w)> with the same arguments (float64 NumPy
    backend), for every padding form, output_padding, stride, dilation and groups."""

    @given(case=conv_cases(transpose=True))
    def run(case):
        b, w, _, kw, _, op = case
        a_shape = F.conv_transpose(b, w, output_padding=op, **kw).shape
        a = np.random.default_rng(0).standard_normal(a_shape)
        ca = F.conv(a, w, **kw)
        assert ca.shape == b.shape, (ca.shape, b.shape)
        lhs = float(np.sum(ca * b))
        rhs = float(np.sum(a * F.conv_transpose(b, w, output_padding=op, **kw)))
        assert math.isclose(lhs, rhs, rel_tol=1e-9, abs_tol=1e-9), (lhs, rhs)

    run()


@st.composite
def pool_cases(draw):
    nd = draw(st.sampled_from([1, 2, 3]))
    maxn = {1: 7, 2: 5, 3: 4}[nd]
    window = tuple(draw(st.integers(1, 3)) for _ in range(nd))
    strides = draw(st.one_of(st.none(), st.tuples(*[st.integers(1, 3)] * nd)))
    s = strides or window
    kind = draw(st.sampled_from(["valid", "same", "pairs"]))
    if kind == "pairs":
        padding = [(draw(st.integers(0, k - 1)), draw(st.integers(0, k - 1))) for k in window]
    else:
        padding = kind
    sp = [draw(st.integers(k, maxn + 1)) for k in window]
    pads = (padding if kind == "pairs" else [(0, 0)] * nd if kind == "valid"
            else same_pads(sp, window, s))
    x = np.random.default_rng(draw(st.integers(0, 2 ** 32 - 1))).standard_normal(
        (draw(st.integers(1, 2)), *sp, draw(st.integers(1, 3))))
    if draw(st.booleans()):
        x = np.round(x)  # ties
    return x, window, strides, padding, pads, s


@pytest.mark.parametrize("kind", ["max", "avg"])
def test_pool_agrees(backend, kind):
    @given(data=st.data())
    def run(data):
        d = data.draw(st.sampled_from(_dtypes(backend, low=True)))
        x, window, strides, padding, pads, s = data.draw(pool_cases())
        x = x.astype(d)
        fmt = _fmt(data)
        want = ref_pool(x.astype(np.float64), kind, window, s, pads)
        fn = F.max_pool if kind == "max" else F.avg_pool
        xin = _to_first(x) if _first(fmt) else x
        got = fn(backend.arr(xin), window, strides, padding, data_format=fmt)
        _check(backend, got, _to_first(want) if _first(fmt) else want, d, scale=2)

    run()


def test_global_pools(backend):
    rng = np.random.default_rng(0)
    x = rng.standard_normal((2, 3, 4, 5)).astype(np.float32)
    _check(backend, F.global_avg_pool(backend.arr(x)), x.astype(np.float64).mean((1, 2)),
           "float32")
    _check(backend, F.global_max_pool(backend.arr(x), data_format="NCHW"),
           x.astype(np.float64).max((2, 3)), "float32")
    got = F.global_avg_pool(backend.arr(x), keepdims=True)
    assert tuple(got.shape) == (2, 1, 1, 5)


# --- gradients and jit ------------------------------------------------------------------------

def grad_of(name, fn, *args, argnums=(0,)):
    """Gradients of the scalar ``fn(*args)`` w.r.t. ``args[i]`` for i in argnums, with the
    framework's own autodiff, as NumPy arrays."""
    if name == "jax":
        import jax
        import jax.numpy as jnp
        g = jax.grad(fn, argnums=argnums)(*[jnp.asarray(a) for a in args])
        return [np.asarray(v) for v in g] if len(argnums) > 1 else np.asarray(g[0])
    if name == "torch":
        h = handle("torch")
        t = [h.arr(a) for a in args]
        for i in argnums:
            t[i].requires_grad_(True)
        fn(*t).backward()
        g = [h.np(t[i].grad) for i in argnums]
        return g if len(argnums) > 1 else g[0]
    import tensorflow as tf
    t = [tf.constant(a) for a in args]
    with tf.GradientTape() as tape:
        for i in argnums:
            tape.watch(t[i])
        y = fn(*t)
    g = [v.numpy() for v in tape.gradient(y, [t[i] for i in argnums])]
    return g if len(argnums) > 1 else g[0]


CONV_GRAD_CASES = [
    # (nd, strides, padding, dilation, groups, data_format)
    (1, 2, "same", 1, 1, "channels_last"),
    (2, (2, 1), [(1, 0), (0, 2)], (1, 2), 2, "channels_first"),
    (2, 2, "same", 2, 1, "NHWC"),
    (3, 1, 1, 1, 2, "channels_last"),
]


@pytest.mark.parametrize("case", CONV_GRAD_CASES)
def test_conv_gradients_agree(case):
    """d/dx and d/dw of sum(conv(x, w) * g) agree across jax, torch and tf; d/dx equals
    conv_transpose(g, w) (the float64 reference)."""
    needs_backend("jax", "torch", "tensorflow")
    nd, strides, padding, dilation, groups, fmt = case
    rng = np.random.default_rng(nd)
    x = rng.standard_normal((2, *([5] * nd), 2 * groups)).astype(np.float32)
    w = rng.standard_normal((*([3] * nd), 2, 2 * groups)).astype(np.float32)
    first = fmt in ("channels_first", "NCHW")
    kw = dict(strides=strides, padding=padding, dilation=dilation, groups=groups)
    y = F.conv(x.astype(np.float64), w.astype(np.float64), **kw)
    g = rng.standard_normal(y.shape).astype(np.float32)
    if first:
        x, g = _to_first(x), _to_first(g)

    def loss(x, w, g):
        return xnp.sum(xnp.multiply(F.conv(x, w, data_format=fmt, **kw), g))

    grads = {n: grad_of(n, loss, x, w, g, argnums=(0, 1)) for n in ("jax", "torch",
                                                                      "tensorflow")}
    for n, (gx, gw) in grads.items():
        np.testing.assert_allclose(gx, grads["jax"][0], rtol=1e-4, atol=1e-4, err_msg=n)
        np.testing.assert_allclose(gw, grads["jax"][1], rtol=1e-4, atol=1e-4, err_msg=n)
    gl = np.moveaxis(g, 1, -1) if first else g
    # the explicit padding and output_padding that give conv_transpose x's size
    st_, dl = (strides,) * nd if isinstance(strides, int) else strides, (
        (dilation,) * nd if isinstance(dilation, int) else dilation)
    eff = [2 * d + 1 for d in dl]
    pads = (same_pads([5] * nd, eff, st_) if padding == "same" else [(padding, padding)] * nd
            if isinstance(padding, int) else padding)
    op = tuple(5 - ((m - 1) * s_ + e - lo - hi) for m, s_, e, (lo, hi) in
               zip(gl.shape[1:-1], st_, eff, pads))
    kt = dict(kw, padding=pads)
    want = F.conv_transpose(gl.astype(np.float64), w.astype(np.float64), output_padding=op,
                            **kt)
    got = grads["torch"][0]
    np.testing.assert_allclose(np.moveaxis(got, 1, -1) if first else got, want, rtol=1e-4,
                               atol=1e-4)


@pytest.mark.parametrize("name", ["jax", "torch", "tensorflow"])
def test_transpose_and_pool_gradients(name):
    """conv_transpose's input gradient is conv (the adjoint's adjoint); avg/max pool
    gradients are the float64 references'."""
    needs_backend(name)
    rng = np.random.default_rng(7)
    x = rng.standard_normal((1, 4, 3, 2)).astype(np.float32)
    w = rng.standard_normal((3, 2, 3, 2)).astype(np.float32)
    kw = dict(strides=(2, 1), padding=[(1, 1), (0, 1)], dilation=1, groups=1)
    y = F.conv_transpose(x.astype(np.float64), w.astype(np.float64), output_padding=(1, 0), **kw)
    g = rng.standard_normal(y.shape).astype(np.float32)
    gx = grad_of(name, lambda a, gg: xnp.sum(xnp.multiply(
        F.conv_transpose(a, w_n(a, w), output_padding=(1, 0), **kw), gg)), x, g)
    np.testing.assert_allclose(gx, F.conv(g.astype(np.float64), w.astype(np.float64), **kw),
                               rtol=1e-4, atol=1e-4)
    xp = rng.permutation(40).astype(np.float32).reshape(1, 5, 4, 2)  # no ties
    gm = grad_of(name, lambda a: xnp.sum(F.max_pool(a, 2, 1, "same")), xp)
    want = np.zeros(xp.shape)
    pads = same_pads((5, 4), (2, 2), (1, 1))
    for i in range(5):
        for j in range(4):
            lo = [i - pads[0][0], j - pads[1][0]]
            win = xp[0, max(lo[0], 0):lo[0] + 2, max(lo[1], 0):lo[1] + 2]
            for c in range(2):
                a, b = np.unravel_index(np.argmax(win[..., c]), win.shape[:2])
                want[0, max(lo[0], 0) + a, max(lo[1], 0) + b, c] += 1
    np.testing.assert_allclose(gm, want)
    ga = grad_of(name, lambda a: xnp.sum(F.avg_pool(a, (2, 3), 1, "same")), xp)
    # each window spreads 1 / count over its valid elements
    cnt = ref_pool(np.ones((1, 5, 4, 1)), "avg", (2, 3), (1, 1), same_pads((5, 4), (2, 3),
                                                                             (1, 1)))
    assert cnt.shape[1:3] == (5, 4)
    want = np.zeros((5, 4))
    p = same_pads((5, 4), (2, 3), (1, 1))
    for i in range(5):
        for j in range(4):
            r0, c0 = i - p[0][0], j - p[1][0]
            rs, cs = slice(max(r0, 0), min(r0 + 2, 5)), slice(max(c0, 0), min(c0 + 3, 4))
            want[rs, cs] += 1 / ((rs.stop - rs.start) * (cs.stop - cs.start))
    np.testing.assert_allclose(ga[0, ..., 0], want, rtol=1e-6)
    np.testing.assert_allclose(ga[0, ..., 1], want, rtol=1e-6)


def w_n(like, a):
    return handle(xops.backend(like)).arr(a)  # a test array of like's backend


def _net(x, w, wt):
    h = F.conv2d(x, w, strides=2, padding="same", groups=2)
    h = F.max_pool(h, 2, 1, "same") + F.avg_pool(h, (2, 2), 1, [(1, 0), (0, 1)])
    h = F.conv_transpose(h, wt, strides=2, padding="same")
    return xnp.sum(F.global_avg_pool(h)) + xnp.sum(F.conv1d(x[:, 0], w[0], padding=1,
                                                            dilation=2, groups=2))


@pytest.mark.parametrize("name", ["jax", "torch", "tensorflow"])
def test_conv_under_jit(name):
    needs_backend(name)
    rng = np.random.default_rng(2)
    args = (rng.standard_normal((2, 6, 6, 4)).astype(np.float32),
            rng.standard_normal((3, 3, 2, 4)).astype(np.float32),
            rng.standard_normal((3, 3, 3, 4)).astype(np.float32))
    want = float(_net(*(a.astype(np.float64) for a in args)))
    if name == "jax":
        import jax
        import jax.numpy as jnp
        out = jax.jit(_net)(*[jnp.asarray(a) for a in args])
    elif name == "torch":
        import torch
        t = handle("torch")
        torch._dynamo.reset()
        out = torch.compile(_net, fullgraph=True, backend="eager")(*[t.arr(a) for a in args])
    else:
        import tensorflow as tf
        out = tf.function(_net, jit_compile=True)(*[tf.constant(a) for a in args])
    assert xops.backend(out) == name
    np.testing.assert_allclose(float(out), want, rtol=1e-4)


def test_conv_errors(backend):
    x = backend.arr(np.ones((1, 5, 4), np.float32))
    w = backend.arr(np.ones((3, 4, 2), np.float32))
    with pytest.raises(ValueError, match="data_format"):
        F.conv(x, w, data_format="NHCW")
    with pytest.raises(ValueError, match="channels"):
        F.conv(x, w, groups=2)
    with pytest.raises(ValueError, match="padding"):
        F.conv(x, w, padding="full")
    with pytest.raises(ValueError, match="strides"):
        F.conv(x, w, strides=0)
    with pytest.raises(ValueError, match="smaller than the dilated kernel"):
        F.conv(x, w, dilation=3)
    with pytest.raises(ValueError, match="spatial"):
        F.conv(backend.arr(np.ones((5, 4), np.float32)), w)
    with pytest.raises(ValueError, match="output_padding"):
        F.conv_transpose(x, backend.arr(np.ones((3, 2, 4), np.float32)), strides=2,
                         output_padding=2)
    with pytest.raises(ValueError, match="window"):
        F.max_pool(x, 2, padding=[(2, 0)])
    from .conftest import other_framework
    other = other_framework(backend.name)
    if other is not None and backend.name != "numpy":  # two frameworks: no silent conversion
        with pytest.raises(TypeError, match="mix"):
            F.conv(x, other.arr(np.ones((3, 4, 2), np.float32)))


def test_public_names():
    for n in ("conv", "conv1d", "conv2d", "conv3d", "conv_transpose", "max_pool", "avg_pool",
              "global_avg_pool", "global_max_pool", "ctc_loss"):
        assert n in F.__all__
        assert getattr(F, n).__doc__.strip()
