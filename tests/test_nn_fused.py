"""The fused nn ops (``softmax``, ``log_softmax``, ``gelu``, ``layer_norm``, ``rms_norm``,
``sparse_softmax_cross_entropy``): registered ops that call a framework's fused kernel where it
has one (torch.nn.functional; tf.nn and jax.nn for the softmax pair) and the xops composition
elsewhere. Checked here: the fused path and the composition agree with each other and with the
float64 references of tests/specs_nn.py on every backend; their gradients agree on torch, tf and
jax; the kernel is really called on torch (one ``aten::native_layer_norm``, counted calls of
``torch.nn.functional.*``) and really not called where it would change the result (non-trailing
axes, broadcast parameters, Python scalars, empty input), mixed dtypes are promoted as the
composition does; the errors are the composition's; torch.func, torch.compile, jax.jit/vmap and
tf.function run them.
"""
from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given

pytest.importorskip("optree", reason="xops.nn needs optree")

import xops
from xops import numpy as xnp
from xops.nn import functional as F
from xops.nn._activations import gelu_composite
from xops.nn._losses import sparse_softmax_cross_entropy_composite
from xops.nn._norm import layer_norm_composite, rms_norm_composite
from xops.nn._softmax import log_softmax_composite, softmax_composite
from xops.numpy_api import REGISTRY

from .conftest import handle, needs_backend
from .specs import spec_for
from .test_agreement import _to_native, compare
from .tolerances import tol


def _gelu_composite(x, approximate=False):
    # the op maps torch's strings to a bool before its composition runs
    return gelu_composite(x, approximate in (True, "tanh"))


# op name -> (the registered op, its composition; same arguments)
FUSED = {
    "softmax": (F.softmax, softmax_composite),
    "log_softmax": (F.log_softmax, log_softmax_composite),
    "gelu": (F.gelu, _gelu_composite),
    "layer_norm": (F.layer_norm, layer_norm_composite),
    "rms_norm": (F.rms_norm, rms_norm_composite),
    "sparse_softmax_cross_entropy": (F.sparse_softmax_cross_entropy,
                                     sparse_softmax_cross_entropy_composite),
}


def test_the_fused_ops_are_registered_with_their_composition():
    for name, (op, _) in FUSED.items():
        info = REGISTRY["nn." + name]
        assert info.fn is op and info.extra.get("fallback") is not None, name


# --- agreement: fused path, composition, float64 reference -------------------------------------

@pytest.mark.parametrize("name", sorted(FUSED))
def test_fused_agrees_with_the_composition(backend, name):
    """The cases of tests/specs_nn.py (shapes, axes, float16/32/64 and integer inputs, special
    values, parameters of the normalised shape or broadcast, mixed dtypes, negative labels):
    both paths against the reference, and against each other."""
    op, comp = FUSED[name]

    @given(case=spec_for("nn." + name, backend))
    def run(case):
        args = [_to_native(backend, a) for a in case.args]
        with np.errstate(all="ignore"):
            want = case.ref(*[a.copy() if isinstance(a, np.ndarray) else a for a in case.args])
            got = op(*args, **case.kwargs)
            base = comp(*args, **case.kwargs)
        compare(backend, case, got, want)
        compare(backend, case, base, want)
        g, b = backend.np(got).astype(np.float64), backend.np(base).astype(np.float64)
        np.testing.assert_allclose(g, b, equal_nan=True,
                                   **tol(np.asarray(want).dtype.name, scale=case.rtol_scale))

    run()


# --- gradients ---------------------------------------------------------------------------------

def _inputs(name, d, rng):
    """Fixed arguments of each op (the differentiated ones first), float dtype ``d``."""
    x = (rng.standard_normal((3, 4, 6)) * 2).astype(d)
    w = rng.standard_normal(6).astype(d)
    b = rng.standard_normal(6).astype(d)
    if name == "layer_norm":
        return [x, w, b], {}
    if name == "rms_norm":
        return [x, w], {}
    if name == "sparse_softmax_cross_entropy":
        return [x], {"labels": rng.integers(-6, 6, (3, 4)), "reduction": "sum"}
    if name == "gelu":
        return [x], {"approximate": "tanh"} if d == np.float64 else {}
    return [x], {"axis": 1 if d == np.float64 else -1}


def _grads(fw, fn, arrays, kwargs, r):
    """Gradients of ``sum(fn(*arrays, **kwargs) * r)`` w.r.t. every array, by the framework."""
    if fw == "torch":
        h = handle("torch")
        ts = [h.arr(a).requires_grad_(True) for a in arrays]
        kw = {k: h.arr(v) if isinstance(v, np.ndarray) else v for k, v in kwargs.items()}
        out = fn(*ts, **kw)
        (out * h.arr(r.astype(arrays[0].dtype) if out.ndim else r.sum())).sum().backward()
        return [h.np(t.grad) for t in ts]
    if fw == "tensorflow":
        import tensorflow as tf
        ts = [tf.constant(a) for a in arrays]
        kw = {k: tf.constant(v) if isinstance(v, np.ndarray) else v for k, v in kwargs.items()}
        with tf.GradientTape() as tape:
            tape.watch(ts)
            out = fn(*ts, **kw)
            loss = tf.reduce_sum(out * tf.constant(r.astype(arrays[0].dtype)
                                                   if out.shape.rank else r.sum(),
                                                   dtype=out.dtype))
        return [g.numpy() for g in tape.gradient(loss, ts)]
    import jax
    import jax.numpy as jnp
    kw = {k: jnp.asarray(v) if isinstance(v, np.ndarray) else v for k, v in kwargs.items()}

    def loss(*xs):
        out = fn(*xs, **kw)
        return jnp.sum(out * (jnp.asarray(r.astype(arrays[0].dtype)) if out.ndim else r.sum()))

    gs = jax.grad(loss, argnums=tuple(range(len(arrays))))(*[jnp.asarray(a) for a in arrays])
    return [np.asarray(g) for g in gs]


@pytest.mark.parametrize("fw", ["torch", "tensorflow", "jax"])
@pytest.mark.parametrize("name", sorted(FUSED))
def test_gradients_agree_with_the_composition(fw, name):
    needs_backend(fw)
    op, comp = FUSED[name]
    rng = np.random.default_rng(7)
    dtypes = [np.float32] + ([np.float64] if handle(fw).holds(xnp.float64) else [])
    for d in dtypes:
        arrays, kw = _inputs(name, d, rng)
        r = rng.standard_normal((3, 4, 6) if name != "sparse_softmax_cross_entropy"
                                else (3, 4))
        got = _grads(fw, op, arrays, kw, r)
        want = _grads(fw, comp, arrays, kw, r)
        for g, w in zip(got, want):
            assert np.isfinite(g).all()
            rt = 2e-5 if d == np.float32 else 1e-12
            np.testing.assert_allclose(g, w, rtol=rt, atol=rt, err_msg=f"{fw} {name} {d}")


def _second(fw, fn, x, kw):
    """The gradient of ``sum(grad(sum fn)**2)`` w.r.t. ``x``: a second derivative."""
    if fw == "torch":
        h = handle("torch")
        t = h.arr(x).requires_grad_(True)
        kwn = {k: h.arr(v) if isinstance(v, np.ndarray) else v for k, v in kw.items()}
        (g,) = __import__("torch").autograd.grad(fn(t, **kwn).sum(), t, create_graph=True)
        (gg,) = __import__("torch").autograd.grad((g * g).sum(), t)
        return h.np(gg)
    import tensorflow as tf
    t = tf.constant(x)
    kwn = {k: tf.constant(v) if isinstance(v, np.ndarray) else v for k, v in kw.items()}
    with tf.GradientTape() as t2:
        t2.watch(t)
        with tf.GradientTape() as t1:
            t1.watch(t)
            y = tf.reduce_sum(fn(t, **kwn))
        g = t1.gradient(y, t)
        gg = tf.reduce_sum(g * g)
    return t2.gradient(gg, t).numpy()


@pytest.mark.parametrize("fw", ["torch", "tensorflow"])
@pytest.mark.parametrize("name", sorted(FUSED))
def test_second_derivatives_agree_with_the_composition(fw, name):
    needs_backend(fw)
    op, comp = FUSED[name]
    rng = np.random.default_rng(11)
    arrays, kw = _inputs(name, np.float64, rng)
    x = arrays[0]
    if name in ("layer_norm", "rms_norm"):
        kw = {"scale": arrays[1]}
    got, want = _second(fw, op, x, kw), _second(fw, comp, x, kw)
    np.testing.assert_allclose(got, want, rtol=1e-9, atol=1e-9, err_msg=f"{fw} {name}")


# --- torch: the kernel is called, and only where it computes the composition's result ---------

@pytest.fixture
def torch_calls(monkeypatch):
    """Counts of the calls of each torch.nn.functional fused kernel (wrapped, still run)."""
    torch = needs_backend("torch")
    import torch.nn.functional as TF
    counts = {}
    for n in ("softmax", "log_softmax", "gelu", "layer_norm", "rms_norm", "cross_entropy"):
        real = getattr(TF, n)

        def counting(*a, _real=real, _n=n, **k):
            counts[_n] = counts.get(_n, 0) + 1
            return _real(*a, **k)

        monkeypatch.setattr(TF, n, counting)
    return torch, counts


def _same(torch, got, want, rtol=1e-6, atol=1e-6):
    assert got.dtype == want.dtype and got.shape == want.shape, (got.dtype, want.dtype)
    np.testing.assert_allclose(got.detach().double().cpu().numpy(),
                               want.detach().double().cpu().numpy(), rtol=rtol, atol=atol,
                               equal_nan=True)


def test_torch_layer_norm_is_one_aten_kernel():
    """The issue's measurement: the composition ran about ten kernels, F.layer_norm runs one
    ``aten::native_layer_norm``. The whole xops call may add only views around it."""
    torch = needs_backend("torch")
    from torch.profiler import ProfilerActivity, profile
    x, w, b = torch.randn(8, 16, 32), torch.randn(32), torch.randn(32)
    F.layer_norm(x, w, b)
    with profile(activities=[ProfilerActivity.CPU]) as prof:
        F.layer_norm(x, w, b)
    names = [e.name for e in prof.events() if e.name.startswith("aten::")]
    assert names.count("aten::native_layer_norm") == 1, names
    heavy = [n for n in names if n not in ("aten::layer_norm", "aten::native_layer_norm",
                                           "aten::empty", "aten::view", "aten::empty_like",
                                           "aten::reshape", "aten::_reshape_alias")]
    assert not heavy, heavy


def test_torch_fused_kernels_are_called(torch_calls):
    torch, counts = torch_calls
    x = torch.randn(4, 5, 6)
    w, b = torch.randn(6), torch.randn(6)
    lab = torch.randint(0, 6, (4, 5))
    cases = [
        ("softmax", lambda: F.softmax(x, axis=1), lambda: softmax_composite(x, 1)),
        ("log_softmax", lambda: F.log_softmax(x, axis=(2,)),
         lambda: log_softmax_composite(x, (2,))),
        ("gelu", lambda: F.gelu(x, "tanh"), lambda: gelu_composite(x, True)),
        ("layer_norm", lambda: F.layer_norm(x, w, b), lambda: layer_norm_composite(x, w, b)),
        ("layer_norm", lambda: F.layer_norm(x, axis=(-1, 1)),
         lambda: layer_norm_composite(x, axis=(-1, 1))),
        ("rms_norm", lambda: F.rms_norm(x, w), lambda: rms_norm_composite(x, w)),
        ("cross_entropy", lambda: F.sparse_softmax_cross_entropy(x, lab),
         lambda: sparse_softmax_cross_entropy_composite(x, lab)),
    ]
    for kernel, fused, comp in cases:
        counts.clear()
        got = fused()
        assert counts == {kernel: 1}, (kernel, counts)
        _same(torch, got, comp())


def test_torch_sparse_ce_negative_labels_and_other_axis(torch_calls):
    torch, counts = torch_calls
    x = torch.randn(4, 5, 6)
    lab = torch.randint(-5, 5, (4, 6))  # class axis 1 (5 classes), negative from the end
    got = F.sparse_softmax_cross_entropy(x, lab, axis=1, reduction="none")
    assert counts == {"cross_entropy": 1}
    want = sparse_softmax_cross_entropy_composite(x, lab, 1, "none")
    _same(torch, got, want)


def test_torch_composition_where_the_kernel_would_differ(torch_calls):
    """Non-trailing axes, parameters of another (broadcast) shape, Python scalar parameters,
    several softmax axes, labels that broadcast, empty and 0-d input: the composition, with its
    result."""
    torch, counts = torch_calls
    x = torch.randn(4, 5, 6)
    cases = [
        (lambda: F.layer_norm(x, axis=0), lambda: layer_norm_composite(x, axis=0)),
        (lambda: F.layer_norm(x, axis=(0, 2)), lambda: layer_norm_composite(x, axis=(0, 2))),
        (lambda: F.layer_norm(x, torch.randn(5, 6).abs() + 1, None),  # per-position scale
         None),
        (lambda: F.layer_norm(x, torch.ones(1, 6) * 2, 0.5),
         lambda: layer_norm_composite(x, torch.ones(1, 6) * 2, 0.5)),
        (lambda: F.layer_norm(x, 2.0), lambda: layer_norm_composite(x, 2.0)),
        (lambda: F.layer_norm(x, torch.arange(6)), lambda: layer_norm_composite(
            x, torch.arange(6))),
        (lambda: F.rms_norm(x, axis=1), lambda: rms_norm_composite(x, axis=1)),
        (lambda: F.softmax(x, axis=(1, 2)), lambda: softmax_composite(x, (1, 2))),
        (lambda: F.sparse_softmax_cross_entropy(x, torch.ones(1, 5, dtype=torch.int64)),
         lambda: sparse_softmax_cross_entropy_composite(x, torch.ones(1, 5, dtype=torch.int64))),
    ]
    for fused, comp in cases:
        counts.clear()
        got = fused()
        assert counts == {}, counts
        if comp is not None:
            _same(torch, got, comp())
    counts.clear()
    assert float(F.gelu(torch.tensor(3.0))) == float(gelu_composite(torch.tensor(3.0)))
    assert counts == {"gelu": 1}  # elementwise: 0-d and empty input take the kernel too
    counts.clear()
    with pytest.raises(ValueError, match="zero-size reduction"):  # as the composition
        F.log_softmax(torch.zeros(3, 0), axis=-1)
    assert F.layer_norm(torch.zeros(0, 4)).shape == (0, 4)
    for norm in (F.rms_norm, rms_norm_composite, F.layer_norm, layer_norm_composite):
        with pytest.raises(xops.AxisError, match="axis -1 is out of bounds"):  # as NumPy's mean
            norm(torch.tensor(3.0))
    assert counts == {}


def test_torch_mixed_dtypes_are_promoted_as_the_composition(torch_calls):
    """F.layer_norm refuses mixed dtypes: the op casts first, to the composition's dtypes
    (16-bit input normalised in float32 and rounded back; float32 with float64 parameters
    gives float64), then calls the kernel once."""
    torch, counts = torch_calls
    x = torch.randn(4, 6)
    for xd, pd, want_d in [(torch.bfloat16, torch.float32, torch.bfloat16),
                           (torch.float16, torch.bfloat16, torch.float16),
                           (torch.float32, torch.float64, torch.float64),
                           (torch.float64, torch.float32, torch.float64),
                           (torch.int32, torch.float64, torch.float64)]:
        xi = (x * 3).to(xd)
        w, b = torch.randn(6, dtype=pd), torch.randn(6, dtype=pd)
        for fused, comp, args in [(F.layer_norm, layer_norm_composite, (xi, w, b)),
                                  (F.rms_norm, rms_norm_composite, (xi, w))]:
            counts.clear()
            got = fused(*args)
            assert sum(counts.values()) == 1, counts
            assert got.dtype == want_d, (xd, pd, got.dtype)
            want = comp(*args)
            # float32 normalisation in the composition, float64 in the kernel
            t = 3e-3 if want_d in (torch.bfloat16, torch.float16) else 2e-6
            _same(torch, got, want, rtol=t, atol=t)


def test_torch_16_bit_inputs_round_once(torch_calls):
    """float16/bfloat16 through the fused kernels: within half an ulp of the float64 result,
    as the composition (torch's own 16-bit log_softmax is not; it runs in float32 here)."""
    torch, _ = torch_calls
    g = torch.Generator().manual_seed(0)
    for d in (torch.float16, torch.bfloat16):
        x = (torch.randn(64, 32, generator=g) * 3).to(d)
        w = torch.randn(32, generator=g).to(d)
        x64, w64 = x.double(), w.double()
        for got, e in [(F.softmax(x), torch.softmax(x64, -1)),
                       (F.log_softmax(x), torch.log_softmax(x64, -1)),
                       (F.layer_norm(x, w), layer_norm_composite(x64, w64)),
                       (F.rms_norm(x, w), rms_norm_composite(x64, w64))]:
            assert got.dtype == d
            ulp = torch.finfo(d).eps * e.abs() + torch.finfo(d).tiny
            assert ((got.double() - e).abs() / ulp).max() <= 0.51


def _raised(fn, *args, **kw):
    try:
        fn(*args, **kw)
    except Exception as e:  # noqa: BLE001 - the error itself is the result
        return type(e), str(e).splitlines()[0]
    raise AssertionError(f"{fn} did not raise")


def test_errors_are_the_compositions(backend):
    """The same exception type and message from the op as from its composition (the checks
    the op runs first word them as the composition does)."""
    x = backend.arr(np.ones((2, 4), np.float32))
    i32 = np.int32
    cases = [
        ("sparse_softmax_cross_entropy", (x, backend.arr(np.zeros(2, i32))),
         {"reduction": "avg"}, ValueError),
        ("gelu", (x,), {"approximate": "fast"}, ValueError),
        ("layer_norm", (x,), {"axis": (1, -1)}, ValueError),
        ("rms_norm", (x,), {"axis": (0, 0)}, ValueError),
        ("softmax", (backend.arr(np.ones(3, np.complex64)),), {}, TypeError),
        ("log_softmax", ([1.0, 2.0],), {}, TypeError),
        ("sparse_softmax_cross_entropy", (x, backend.arr(np.zeros(2, np.float32))), {},
         TypeError),
        ("sparse_softmax_cross_entropy", (x, backend.arr(np.array([0, 4], i32))), {},
         IndexError),
        ("sparse_softmax_cross_entropy", (x, backend.arr(np.array([-5, 0], np.int64))), {},
         IndexError),
        ("softmax", (x,), {"axis": 2}, None),
    ]
    for name, args, kw, kind in cases:
        op, comp = FUSED[name]
        if name == "gelu":
            comp = gelu_composite  # the string check is the op's own
            want = (ValueError, "xops.nn.gelu: approximate must be a bool, 'none' or 'tanh', "
                                "got 'fast'")
        elif name == "sparse_softmax_cross_entropy" and kw.get("reduction") == "avg":
            want = (ValueError, "xops.nn.sparse_softmax_cross_entropy: reduction must be one "
                                "of ('mean', 'sum', 'none'), got 'avg'")
        else:
            want = _raised(comp, *args, **kw)
        got = _raised(op, *args, **kw)
        assert got == want, (name, got, want)
        assert kind is None or issubclass(got[0], kind), (name, got)
    with pytest.raises(TypeError, match="None"):
        F.layer_norm(None)


def test_host_data_beside_a_framework_array(backend):
    """NumPy parameters and label lists beside one framework's arrays join its backend (the
    composition's rule), and the result is that backend's."""
    x = np.random.default_rng(0).standard_normal((3, 4)).astype(np.float32)
    got = F.layer_norm(backend.arr(x), np.ones(4, np.float32), np.zeros(4, np.float32))
    assert backend.is_native(got)
    np.testing.assert_allclose(backend.np(got), backend.np(layer_norm_composite(
        backend.arr(x))), rtol=1e-5, atol=1e-6)
    loss = F.sparse_softmax_cross_entropy(backend.arr(x), [0, 1, 3], reduction="none")
    assert backend.is_native(loss)
    lse = np.log(np.exp(x.astype(np.float64)).sum(-1))
    np.testing.assert_allclose(backend.np(loss), lse - x[[0, 1, 2], [0, 1, 3]], rtol=1e-5)


def test_python_scalars_keep_the_compositions_answer():
    assert float(F.gelu(0.0)) == 0.0
    assert math.isclose(float(F.gelu(1.0)), 0.8413447460685429, rel_tol=1e-12)


# --- transforms ----------------------------------------------------------------------------------

def _all_six(x, w, b, lab):
    h = F.layer_norm(x, w, b) + F.rms_norm(x, w)
    h = F.gelu(h) + F.gelu(h, approximate=True)
    h = F.softmax(h) + F.log_softmax(h, axis=-1)
    return F.sparse_softmax_cross_entropy(h, lab)


def _args(rng, lead=(3, 4)):
    return (rng.standard_normal((*lead, 6)).astype(np.float32),
            rng.standard_normal(6).astype(np.float32),
            rng.standard_normal(6).astype(np.float32),
            rng.integers(0, 6, lead))


def test_torch_func_and_compile():
    torch = needs_backend("torch")
    x, w, b, lab = (torch.from_numpy(a) for a in _args(np.random.default_rng(1)))
    eager = torch.autograd.grad(_all_six(x.requires_grad_(True), w, b, lab), x)[0]
    x = x.detach()
    g = torch.func.grad(_all_six)(x, w, b, lab)
    np.testing.assert_allclose(g.numpy(), eager.numpy(), rtol=1e-5, atol=1e-6)
    per = torch.func.vmap(_all_six, in_dims=(0, None, None, 0))(x, w, b, lab)
    want = torch.stack([_all_six(x[i], w, b, lab[i]) for i in range(len(x))])
    np.testing.assert_allclose(per.numpy(), want.numpy(), rtol=1e-5, atol=1e-6)
    handle("torch")
    torch._dynamo.reset()
    try:
        step = torch.compile(torch.func.grad_and_value(_all_six), fullgraph=True,
                             backend="eager")
        gc, vc = step(x, w, b, lab)
    finally:
        torch._dynamo.reset()
    np.testing.assert_allclose(gc.numpy(), eager.numpy(), rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(float(vc), float(_all_six(x, w, b, lab)), rtol=1e-6)


def test_jax_jit_grad_vmap():
    needs_backend("jax")
    import jax
    import jax.numpy as jnp
    x, w, b, lab = (jnp.asarray(a) for a in _args(np.random.default_rng(2)))
    eager = _all_six(x, w, b, lab)
    np.testing.assert_allclose(float(jax.jit(_all_six)(x, w, b, lab)), float(eager),
                               rtol=1e-6)
    g = jax.jit(jax.grad(_all_six))(x, w, b, lab)
    np.testing.assert_allclose(np.asarray(g), np.asarray(jax.grad(_all_six)(x, w, b, lab)),
                               rtol=1e-5, atol=1e-6)
    per = jax.vmap(_all_six, in_axes=(0, None, None, 0))(x, w, b, lab)
    want = [float(_all_six(x[i], w, b, lab[i])) for i in range(len(x))]
    np.testing.assert_allclose(np.asarray(per), want, rtol=1e-5)


def test_tensorflow_function_and_tape(monkeypatch):
    tf = needs_backend("tensorflow")
    calls = []
    for n in ("softmax", "log_softmax", "sparse_softmax_cross_entropy_with_logits"):
        real = getattr(tf.nn, n)
        monkeypatch.setattr(tf.nn, n, lambda *a, _r=real, _n=n, **k: calls.append(_n)
                            or _r(*a, **k))
    x, w, b, lab = (tf.constant(a) for a in _args(np.random.default_rng(3)))
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = _all_six(x, w, b, lab)
    g = tape.gradient(y, x)
    assert sorted(set(calls)) == ["log_softmax", "softmax",
                                  "sparse_softmax_cross_entropy_with_logits"], calls
    with tf.GradientTape() as tape:
        tape.watch(x)
        h = log_softmax_composite(softmax_composite(x))
        y2 = tf.reduce_sum(h * tf.constant(np.arange(6, dtype=np.float32)))
    with tf.GradientTape() as tape2:
        tape2.watch(x)
        y3 = tf.reduce_sum(F.log_softmax(F.softmax(x))
                           * tf.constant(np.arange(6, dtype=np.float32)))
    np.testing.assert_allclose(tape.gradient(y2, x).numpy(), tape2.gradient(y3, x).numpy(),
                               rtol=1e-5, atol=1e-6)
    fn = tf.function(_all_six, jit_compile=True)
    np.testing.assert_allclose(float(fn(x, w, b, lab)), float(y), rtol=1e-5)
    assert xops.backend(g) == "tensorflow" and np.isfinite(g.numpy()).all()


def test_torch_gelu_keeps_inf_where_the_kernel_loses_it(monkeypatch):
    # torch's vectorised CPU gelu answers nan for +inf on AVX512 machines (probed at import);
    # the repair path runs here whatever this machine's CPU, and changes nothing else
    torch = needs_backend("torch")
    from xops.backends.torch import nn as tnn
    monkeypatch.setattr(tnn, "_GELU_LOSES_INF", frozenset({torch.float32, torch.bfloat16}))
    x = torch.tensor([math.inf] * 70 + [-math.inf, -20.0, 0.0, 1.5, 3e38])
    for approximate in (False, True):
        got = F.gelu(x, approximate=approximate)
        assert bool(torch.isinf(got[:70]).all()) and bool((got[:70] > 0).all())
        assert math.isnan(got[70]) and got[71] == 0 and got[72] == 0
        want = torch.nn.functional.gelu(x[71:], approximate="tanh" if approximate else "none")
        assert torch.equal(got[71:], want)


def test_tf_softmax_spreads_a_nan_to_its_row_where_the_kernel_does_not(monkeypatch):
    # tf's oneDNN softmax answers [0, nan] for [0, nan] (probed at import); the repair path
    # runs here whatever this machine's CPU, and leaves other rows exactly as the kernel gave
    tf = needs_backend("tensorflow")
    from xops.backends.tensorflow import nn as fnn
    monkeypatch.setattr(fnn, "_SOFTMAX_KEEPS_NAN_ROWS", False)
    x = tf.constant([[0.0, math.nan, 1.0], [0.5, -1.0, 2.0], [-math.inf, 0.0, 1.0]])
    got = F.softmax(x, axis=-1).numpy()
    assert np.isnan(got[0]).all()
    np.testing.assert_array_equal(got[1:], tf.nn.softmax(x[1:], axis=-1).numpy())
