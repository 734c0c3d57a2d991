"""Input strategies and NumPy references for the registered nn ops (``nn.conv``,
``nn.conv_transpose``, ``nn.max_pool``, ``nn.avg_pool``, ``nn.scaled_dot_product_attention``,
``nn.ctc_loss``, and the fused ``nn.softmax``, ``nn.log_softmax``, ``nn.gelu``,
``nn.layer_norm``, ``nn.rms_norm``, ``nn.sparse_softmax_cross_entropy``); merged into
tests/specs.py.

The references are the float64 definitions that tests/test_nn_conv.py and
tests/test_nn_attention.py check the functions against (explicit loops over windows, the
softmax formula, an enumeration of CTC alignments), independent of the NumPy kernels; the
result is rounded to the op's dtype and compared with the per-dtype tolerances of
tests/test_agreement.py. Bias arrays of conv are keyword-only and the harness converts only
positional arrays, so conv's bias stays with tests/test_nn_conv.py.

Those two test modules import xops.nn, which needs optree: each spec imports them when it is
called, so without optree a test that asks for an nn op's cases skips (their module-level
importorskip), rather than every module importing tests/specs.py failing to collect.
"""
from __future__ import annotations

import hypothesis.extra.numpy as hnp
import numpy as np
from hypothesis import strategies as st

from xops import _dtypes

from .specs import Case, np_dtype

_FORMATS = st.sampled_from(["channels_last", "channels_first", "NHWC", "NCHW"])


def _first(fmt):
    return fmt in ("channels_first", "NCHW")


def _floats(h, low=False):
    names = ["float32", "float64"] + (["float16"] if low else [])
    return [getattr(_dtypes, n) for n in names if h.holds(getattr(_dtypes, n))]


def _dtype(h, draw, low=False):
    """A float dtype the backend holds, or (sometimes) int32, computed in the default float."""
    return draw(st.one_of(st.sampled_from(_floats(h, low)), st.just(_dtypes.int32)))


def _cast(a, d):
    """``a`` (float64) in dtype ``d``; integers are rounded from a wider spread."""
    return np.round(a * 3).astype(np.int32) if d.kind == "i" else a.astype(np_dtype(d))


def _out(h, d):
    return d if d.kind == "f" else h.be.default_float


def _layout(a, first):
    return np.moveaxis(a, -1, 1) if first else a


def _conv(h):
    from .test_nn_conv import conv_cases, ref_conv

    @st.composite
    def case(draw):
        d = _dtype(h, draw)
        x, w, _, kw, pads, _ = draw(conv_cases())
        x, w = _cast(x, d), _cast(w, d)
        fmt = draw(_FORMATS)
        want = _out(h, d)

        def ref(xa, wa):
            xl = np.moveaxis(xa, 1, -1) if _first(fmt) else xa
            y = ref_conv(xl.astype(np.float64), wa.astype(np.float64), kw["strides"], pads,
                         kw["dilation"], kw["groups"])
            return _layout(y, _first(fmt)).astype(np_dtype(want))

        return Case([_layout(x, _first(fmt)), w], dict(kw, data_format=fmt), ref, want,
                    rtol_scale=50)
    return case()


def _conv_transpose(h):
    from .test_nn_conv import conv_cases, ref_conv_transpose

    @st.composite
    def case(draw):
        d = _dtype(h, draw)
        x, w, _, kw, _, op = draw(conv_cases(transpose=True))
        x, w = _cast(x, d), _cast(w, d)
        fmt = draw(_FORMATS)
        want = _out(h, d)

        def ref(xa, wa):
            xl = np.moveaxis(xa, 1, -1) if _first(fmt) else xa
            y = ref_conv_transpose(xl.astype(np.float64), wa.astype(np.float64),
                                   kw["strides"], kw["padding"], op, kw["dilation"],
                                   kw["groups"])
            return _layout(y, _first(fmt)).astype(np_dtype(want))

        return Case([_layout(x, _first(fmt)), w],
                    dict(kw, output_padding=op, data_format=fmt), ref, want, rtol_scale=50)
    return case()


def _pool(kind):
    def spec(h):
        from .test_nn_conv import pool_cases, ref_pool

        @st.composite
        def case(draw):
            d = _dtype(h, draw, low=True)
            x, window, strides, padding, pads, s = draw(pool_cases())
            x = _cast(x, d)
            fmt = draw(_FORMATS)
            want = _out(h, d)

            def ref(xa, *_):
                xl = np.moveaxis(xa, 1, -1) if _first(fmt) else xa
                y = ref_pool(xl.astype(np.float64), kind, window, s, pads)
                return _layout(y, _first(fmt)).astype(np_dtype(want))

            return Case([_layout(x, _first(fmt)), window, strides, padding],
                        {"data_format": fmt}, ref, want, rtol_scale=4)
        return case()
    return spec


def _attention(h):
    from .test_nn_attention import attention_ref
    few = h.name == "jax"  # jax compiles every eager op once per shape: two shapes only

    @st.composite
    def case(draw):
        d = draw(st.sampled_from(_floats(h)))
        if few:
            b, t, s, kh, rep, hd = draw(st.sampled_from([(1, 3, 3, 1, 3, 3), (3, 1, 3, 3, 1, 3)]))
            hv = hd
        else:
            b, t, s, kh, rep, hd = (draw(st.sampled_from([1, 3])) for _ in range(6))
            hv = draw(st.sampled_from([hd, hd + 1]))
        rng = np.random.default_rng(draw(st.integers(0, 2 ** 32 - 1)))
        n = kh * rep
        q = rng.standard_normal((b, t, n, hd)).astype(np_dtype(d))
        k = rng.standard_normal((b, s, kh, hd)).astype(np_dtype(d))
        v = rng.standard_normal((b, s, kh, hv)).astype(np_dtype(d))
        mask = None
        if draw(st.booleans()):
            shape = draw(st.sampled_from([(t, s), (b, 1, t, s), (1, n, t, s)]))
            mask = rng.random(shape) < 0.7
        # a moderate additive bias: a -1e4 "mask" entry in float32 costs the logits their last
        # three digits, more than a float32 tolerance (tests/test_nn_attention.py covers it)
        bias = None
        if draw(st.booleans()):
            bias = rng.standard_normal(draw(st.sampled_from([(t, s), (b, n, t, s)]))).astype(
                np_dtype(d))
        causal = draw(st.booleans())
        scale = draw(st.sampled_from([None, 0.5]))
        impl = draw(st.sampled_from([None, "xops"]))

        def ref(q, k, v, mask, causal, scale, bias):
            f = np.float64
            out = attention_ref(q.astype(f), k.astype(f), v.astype(f), mask,
                                None if bias is None else bias.astype(f), causal, scale)
            return out.astype(np_dtype(d))

        return Case([q, k, v, mask, causal, scale, bias], {"implementation": impl}, ref, d,
                    rtol_scale=10)
    return case()


def _ctc(h):
    from .test_nn_attention import ctc_brute, ctc_cases

    @st.composite
    def case(draw):
        d = draw(st.sampled_from(_floats(h)))
        x, labels, in_len, lab_len, blank = draw(ctc_cases(few=h.name == "jax"))
        x = x.astype(np_dtype(d))
        red = draw(st.sampled_from(["none", "sum", "mean"]))
        impl = draw(st.sampled_from([None, "xops"]))

        def ref(x, labels, in_len, lab_len, blank, red, impl):
            xf = x.astype(np.float64)
            lp = xf - np.log(np.exp(xf).sum(-1, keepdims=True))
            per = np.array([ctc_brute(lp[i], labels[i, :lab_len[i]], in_len[i], blank)
                            for i in range(len(x))])
            out = {"none": per, "sum": per.sum(), "mean": per.mean()}[red]
            return np.asarray(out).astype(np_dtype(d))

        return Case([x, labels, in_len, lab_len, blank, red, impl], {}, ref, d, rtol_scale=10)
    return case()


# --- the fused ops: float64 definitions (the composition's special values) -------------------
# jax compiles every eager op once per shape: a few fixed shapes there
_FUSED_SHAPES = [(5,), (2, 3), (2, 3, 4)]


def _fused_shape(h, draw, min_dims=1):
    if h.name == "jax":
        return draw(st.sampled_from([s for s in _FUSED_SHAPES if len(s) >= min_dims]))
    return draw(hnp.array_shapes(min_dims=min_dims, max_dims=3, min_side=1, max_side=5))


def _fused_x(h, draw, shape, special=(), lo=-20.0, hi=20.0):
    """(x in its dtype, the float dtype of the result): float16/32/64 or int32 (computed in the
    default float), elements in [lo, hi] plus ``special`` values."""
    d = _dtype(h, draw, low=True)
    if d.kind == "i":
        return np.asarray(draw(hnp.arrays(np.int32, shape, elements=st.integers(-5, 5)))), d
    width = 16 if d.bits == 16 else d.bits
    el = st.floats(lo, hi, width=width, allow_subnormal=False)
    if special:
        el = st.one_of(el, st.sampled_from(list(special)))
    return np.asarray(draw(hnp.arrays(np_dtype(d), shape, elements=el))), d


def _logsumexp(x, axis):
    m = np.max(x, axis=axis, keepdims=True)
    m = np.where(np.isinf(m), 0, m)
    return np.log(np.sum(np.exp(x - m), axis=axis, keepdims=True)) + m


def _axes_of(draw, nd):
    return draw(st.one_of(st.integers(-nd, nd - 1),
                          st.lists(st.integers(0, nd - 1), min_size=1, max_size=nd,
                                   unique=True).map(tuple)))


def _softmax_family(log):
    def spec(h):
        @st.composite
        def case(draw):
            shape = _fused_shape(h, draw)
            x, d = _fused_x(h, draw, shape, special=(-np.inf, np.nan))
            axis = _axes_of(draw, len(shape))
            want = _out(h, d)

            def ref(xa):
                xf = xa.astype(np.float64)
                m = np.max(xf, axis=axis, keepdims=True)
                sh = xf - np.where(m == -np.inf, 0, m)
                if log:
                    out = sh - np.log(np.sum(np.exp(sh), axis=axis, keepdims=True))
                else:
                    e = np.exp(sh)
                    out = e / np.sum(e, axis=axis, keepdims=True)
                return out.astype(np_dtype(want))

            return Case([x], {"axis": axis}, ref, want, rtol_scale=4)
        return case()
    return spec


def _gelu(h):
    from math import erf, sqrt

    _erf = np.vectorize(erf, otypes=[np.float64])

    @st.composite
    def case(draw):
        x, d = _fused_x(h, draw, _fused_shape(h, draw, 0), special=(-np.inf, np.inf, np.nan))
        approximate = draw(st.sampled_from([False, True, "none", "tanh"]))
        want = _out(h, d)

        def ref(xa):
            xf = xa.astype(np.float64)
            if approximate in (True, "tanh"):
                cdf = 0.5 * (1 + np.tanh(sqrt(2 / np.pi) * (xf + 0.044715 * xf ** 3)))
            else:
                cdf = 0.5 * (1 + _erf(xf / sqrt(2)))
            return (xf * cdf).astype(np_dtype(want))

        # 1 + erf cancels for negative x: the absolute error is |x| times erf's (as torch's)
        return Case([x], {"approximate": approximate}, ref, want, rtol_scale=300)
    return case()


def _norm(kind):
    def spec(h):
        @st.composite
        def case(draw):
            shape = _fused_shape(h, draw)
            x, d = _fused_x(h, draw, shape, lo=-10.0, hi=10.0)
            nd = len(shape)
            axis = draw(st.sampled_from([-1, nd - 1, tuple(range(nd))] + (
                [(-2, -1), 0] if nd > 1 else [])))
            axes = tuple(sorted(a % nd for a in ((axis,) if isinstance(axis, int) else axis)))
            # parameters of the normalised axes' shape (the fused kernels when those are the
            # trailing axes), or of the last axis only (broadcast: the composition), in x's
            # dtype or another float
            norm_shape = tuple(shape[i] if i in axes else 1 for i in range(axes[0], nd))
            pshape = draw(st.sampled_from([norm_shape, shape[-1:]]))
            pd = draw(st.sampled_from([d] + _floats(h))) if d.kind == "f" else draw(
                st.sampled_from(_floats(h)))
            params = [None if draw(st.booleans()) else np.asarray(draw(hnp.arrays(
                np_dtype(pd), pshape, elements=st.floats(-3, 3, width=16 if pd.bits == 16
                                                         else pd.bits))))
                for _ in range(2 if kind == "layer" else 1)]
            want = compute = _out(h, d)
            if want.bits > 16:
                for p in params:
                    if p is not None:
                        want = _dtypes.promote_types(want, pd)
            # float32 x with float64 parameters: a float64 result normalised in float32 (the
            # composition's order); the fused kernels normalise in float64, closer
            scale = 40 * (2e5 if compute.bits < want.bits else 1)
            eps = 1e-2  # (x - mean) / sqrt(var + eps) stays well conditioned for near-constant x

            def ref(xa, *rest):
                ps = rest[:len(params)]
                xf = xa.astype(np.float64)
                if kind == "layer":
                    m = xf.mean(axis=axes, keepdims=True)
                    v = ((xf - m) ** 2).mean(axis=axes, keepdims=True)
                    y = (xf - m) / np.sqrt(v + eps)
                else:
                    y = xf / np.sqrt((xf ** 2).mean(axis=axes, keepdims=True) + eps)
                if ps[0] is not None:
                    y = y * ps[0].astype(np.float64)
                if len(ps) > 1 and ps[1] is not None:
                    y = y + ps[1].astype(np.float64)
                return y.astype(np_dtype(want))

            # |y| reaches 10 / sqrt(eps) * 3
            return Case([x, *params, axis, eps], {}, ref, want, rtol_scale=scale)
        return case()
    return spec


def _sparse_ce(h):
    @st.composite
    def case(draw):
        shape = _fused_shape(h, draw)
        x, d = _fused_x(h, draw, shape, special=(-np.inf, np.nan))
        nd = len(shape)
        axis = draw(st.sampled_from(sorted({-1, 0, nd - 1})))
        c = shape[axis]
        lshape = shape[:axis % nd] + shape[axis % nd + 1:]
        # not uint8 on jax: its take_along_axis bounds check compares uint8 indices with -n,
        # which wraps (label 0 of 5 classes is refused), a bug of the composition's kernel
        ld = draw(st.sampled_from([np.int32, np.int64] + ([np.uint8] if h.name != "jax"
                                                           else [])))
        low = 0 if ld is np.uint8 else -c
        labels = np.asarray(draw(hnp.arrays(ld, lshape, elements=st.integers(low, c - 1))))
        red = draw(st.sampled_from(["mean", "sum", "none"]))
        want = _out(h, d)

        def ref(xa, la, *_):
            xf = xa.astype(np.float64)
            idx = np.expand_dims(la.astype(np.int64), axis)
            picked = np.take_along_axis(xf, idx, axis)
            loss = np.squeeze(_logsumexp(xf, axis) - picked, axis)
            out = {"mean": np.mean, "sum": np.sum, "none": lambda v: v}[red](loss)
            return np.asarray(out).astype(np_dtype(want))

        return Case([x, labels, axis, red], {}, ref, want, rtol_scale=16)
    return case()


SPECS = {
    "nn.conv": _conv, "nn.conv_transpose": _conv_transpose,
    "nn.max_pool": _pool("max"), "nn.avg_pool": _pool("avg"),
    "nn.scaled_dot_product_attention": _attention, "nn.ctc_loss": _ctc,
    "nn.softmax": _softmax_family(False), "nn.log_softmax": _softmax_family(True),
    "nn.gelu": _gelu, "nn.layer_norm": _norm("layer"), "nn.rms_norm": _norm("rms"),
    "nn.sparse_softmax_cross_entropy": _sparse_ce,
}
