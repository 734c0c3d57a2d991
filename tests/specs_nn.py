"""Input strategies and NumPy references for the registered nn ops (``nn.conv``,
``nn.conv_transpose``, ``nn.max_pool``, ``nn.avg_pool``, ``nn.scaled_dot_product_attention``,
``nn.ctc_loss``); merged into tests/specs.py.

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


SPECS = {
    "nn.conv": _conv, "nn.conv_transpose": _conv_transpose,
    "nn.max_pool": _pool("max"), "nn.avg_pool": _pool("avg"),
    "nn.scaled_dot_product_attention": _attention, "nn.ctc_loss": _ctc,
}
