"""Input strategies and NumPy references for xops.numpy.fft and the signal helpers (convolve,
correlate, interp, trapezoid, sinc, i0, windows); merged into tests/specs.py."""
from __future__ import annotations

import hypothesis.extra.numpy as hnp
import numpy as np
from hypothesis import strategies as st

from xops import _dtypes

from .specs import _LIKE, Case, array, held, np_dtype

NORMS = st.sampled_from([None, "backward", "ortho", "forward"])


# --- dtype rules (NumPy 2) ----------------------------------------------------------------------
def complex_of(h, d):
    """The complex result dtype of a transform of ``d``."""
    if d.kind == "c":
        return d
    if d.kind == "f":
        return _dtypes.complex64 if d.bits <= 32 else _dtypes.complex128
    return _dtypes.to_complex(h.be.default_float)


def real_out(h, d):
    """The real result dtype of irfft/hfft of ``d`` (float16 input keeps float16, as NumPy)."""
    if d.kind == "f" and d.bits == 16:
        return d
    return _dtypes.REAL_OF[complex_of(h, d)]


def compute_np(h, d):
    """The NumPy dtype the reference transform computes in."""
    return np_dtype(complex_of(h, d) if d.kind == "c" else _dtypes.REAL_OF[complex_of(h, d)])


def _fft_dtypes(h, real_only=False):
    kinds = "biuf" if real_only else "biufc"
    ds = held(h, kinds, small=True)
    # mostly floating/complex, some integers and bool (they compute in the default float)
    fl = [d for d in ds if d.kind in "fc"]
    return st.one_of(st.sampled_from(fl), st.sampled_from(ds))


def _unempty(x, axes):
    """Zero-size transformed axes padded with one zero: the same transform input (lengths come
    from n/s), which NumPy's c2r transforms mishandle when the input is empty."""
    pads = [(0, 1 if (i in axes and x.shape[i] == 0) else 0) for i in range(x.ndim)]
    return np.pad(x, pads) if any(p for _, p in pads) else x


def _tol(sizes):
    return 4.0 * max(4, int(np.prod(sizes)) if sizes else 1)


# --- 1-d transforms -----------------------------------------------------------------------------
def _fft1(name, kind):
    """kind: 'c2c', 'r2c' (rfft, ihfft) or 'c2r' (irfft, hfft)."""
    def spec(h):
        @st.composite
        def case(draw):
            d = draw(_fft_dtypes(h, real_only=kind == "r2c"))
            x = draw(array(d, hnp.array_shapes(min_dims=1, max_dims=3, min_side=0, max_side=5),
                           lo=-4, hi=4, special=False))
            axis = draw(st.integers(-x.ndim, x.ndim - 1))
            m = x.shape[axis]
            n = draw(st.one_of(st.none(), st.integers(1, 9)))
            if n is None and (m < 1 or (kind == "c2r" and m < 2)):
                n = draw(st.integers(1, 9))
            norm = draw(NORMS)
            pos = draw(st.booleans())  # NumPy's positional spelling, or the Array API keywords
            want = real_out(h, d) if kind == "c2r" else complex_of(h, d)
            cd = compute_np(h, d)
            length = n if n is not None else (2 * (m - 1) if kind == "c2r" else m)

            def ref(x, *_):
                out = getattr(np.fft, name)(_unempty(x.astype(cd), [axis % x.ndim]), n, axis,
                                            norm)
                return out.astype(np_dtype(want))

            args, kw = ([x, n, axis, norm], {}) if pos else ([x], {"n": n, "axis": axis,
                                                                   "norm": norm})
            return Case(args, kw, ref, want, rtol_scale=_tol([length]))
        return case()
    return spec


# --- n-d transforms -----------------------------------------------------------------------------
def _fftn(name, kind):
    def spec(h):
        @st.composite
        def case(draw):
            d = draw(_fft_dtypes(h, real_only=kind == "r2c"))
            min_dims = 0 if kind == "c2c" else 1
            x = draw(array(d, hnp.array_shapes(min_dims=min_dims, max_dims=3, min_side=0,
                                               max_side=4), lo=-4, hi=4, special=False))
            nd = x.ndim
            style = draw(st.sampled_from(["none", "axes", "s", "both"]))
            axes = None
            if style in ("axes", "both"):
                perm = draw(st.permutations(range(nd)))
                k = draw(st.integers(0 if kind == "c2c" else 1, nd))
                axes = [a - nd if draw(st.booleans()) else a for a in perm[:k]]
            s = None
            if style == "s":
                k = draw(st.integers(0 if kind == "c2c" else 1, nd))
                s = [draw(st.sampled_from([-1, 1, 2, 3, 5, 6])) for _ in range(k)]
            elif style == "both":
                s = [draw(st.sampled_from([-1, 1, 2, 3, 5, 6])) for _ in axes]
            # the axes NumPy will transform, to keep every length valid
            eff = (list(range(nd)) if s is None else list(range(nd - len(s), nd))) \
                if axes is None else [a % nd for a in axes]
            if eff:
                sizes = list(s) if s is not None else [-1] * len(eff)
                for i, a in enumerate(eff):
                    m = x.shape[a]
                    last = kind == "c2r" and i == len(eff) - 1
                    if sizes[i] == -1 and (m < 1 or (last and m < 2)):
                        sizes[i] = draw(st.integers(1, 6))
                if sizes != ([-1] * len(eff) if s is None else s):
                    s = sizes
                    if axes is None:
                        axes = eff
            norm = draw(NORMS)
            want = real_out(h, d) if kind == "c2r" else complex_of(h, d)
            cd = compute_np(h, d)
            lens = [x.shape[a] if (s is None or s[i] == -1) else s[i]
                    for i, a in enumerate(eff)]

            def ref(x):
                out = getattr(np.fft, name)(_unempty(x.astype(cd), eff), s=s, axes=axes,
                                            norm=norm)
                return np.asarray(out).astype(np_dtype(want))

            return Case([x], {"s": s, "axes": axes, "norm": norm}, ref, want,
                        rtol_scale=_tol(lens))
        return case()
    return spec


# --- frequencies and shifts ---------------------------------------------------------------------
def _freq(name):
    def spec(h):
        @st.composite
        def case(draw):
            n = draw(st.integers(1, 12))
            dval = draw(st.sampled_from([1.0, 0.5, 2.0, 0.1, -1.5, 3]))
            dt = draw(st.sampled_from([None, "float32"] + (["float64"] if h.holds(
                _dtypes.float64) else [])))
            want = _dtypes.canonical(dt) if dt else h.be.default_float
            kw = {"d": dval, "dtype": dt, "like": _LIKE}
            return Case([n], kw, lambda n: getattr(np.fft, name)(n, dval).astype(
                np_dtype(want)), want, rtol_scale=4)
        return case()
    return spec


def _shift(name):
    def spec(h):
        @st.composite
        def case(draw):
            d = draw(st.sampled_from(held(h, "biufc")))
            x = draw(array(d, hnp.array_shapes(min_dims=0, max_dims=3, max_side=5), lo=-9, hi=9))
            nd = x.ndim
            axes = draw(st.one_of(
                st.none(),
                st.integers(-nd, nd - 1) if nd else st.none(),
                st.lists(st.integers(0, max(nd - 1, 0)), unique=True, max_size=nd)))
            # NumPy's roll fails on 0-d input; shifting a 0-d array is the identity
            return Case([x], {"axes": axes}, lambda x: getattr(np.fft, name)(x, axes=axes)
                        if x.ndim else x.copy(), d, exact=True)
        return case()
    return spec


# --- signal helpers -----------------------------------------------------------------------------
def _two_dtypes(draw, h, kinds):
    ds = held(h, kinds, small=True)
    d1 = draw(st.sampled_from(ds))
    d2 = draw(st.sampled_from([d1, d1] + ds))
    dd = _dtypes.promote_types(d1, d2)
    if not h.holds(dd) or (h.name == "torch" and dd is _dtypes.uint64):
        d2, dd = d1, d1
    return d1, d2, dd


def _conv(name):
    def spec(h):
        @st.composite
        def case(draw):
            d1, d2, dd = _two_dtypes(draw, h, "biufc")
            a = draw(array(d1, st.tuples(st.integers(1, 9)), lo=-5, hi=5, special=False))
            v = draw(array(d2, st.tuples(st.integers(1, 9)), lo=-5, hi=5, special=False))
            mode = draw(st.sampled_from(["full", "same", "valid", None]))
            kw = {} if mode is None else {"mode": mode}
            nd = np_dtype(dd)

            def ref(a, v):
                return getattr(np, name)(a.astype(nd), v.astype(nd), **kw).astype(nd)

            return Case([a, v], kw, ref, dd, rtol_scale=4 * min(a.size, v.size) + 4)
        return case()
    return spec


def _interp(h):
    @st.composite
    def case(draw):
        fds = [d for d in held(h, "fc", small=True) if d.bits >= 32]
        rd = draw(st.sampled_from([d for d in fds if d.kind == "f"]))
        fd = draw(st.sampled_from([d for d in fds if d.bits == rd.bits * (2 if d.kind == "c"
                                                                          else 1)]))
        xd = draw(st.sampled_from([rd] + held(h, "i", small=True)))
        # distinct sample points on a grid of quarters (exact in every float dtype)
        pts = draw(st.lists(st.integers(-32, 32), min_size=1, max_size=7, unique=True))
        x = draw(array(xd, hnp.array_shapes(min_dims=0, max_dims=2, max_side=5), lo=-10, hi=10,
                       special=False))
        left = draw(st.one_of(st.none(), st.floats(-9, 9, width=32)))
        right = draw(st.one_of(st.none(), st.floats(-9, 9, width=32)))
        period = draw(st.one_of(st.none(), st.none(), st.sampled_from([2.5, 4.0, -3.0, 17.0])))
        if period is not None:  # sample points must stay distinct modulo the period
            keep = {}
            for p in sorted(pts):
                keep.setdefault((p / 4) % abs(period), p)
            pts = list(keep.values())
        xp = np.asarray(sorted(pts), np_dtype(rd)) / 4
        fp = draw(array(fd, st.just(xp.shape), lo=-5, hi=5, special=False))
        real = _dtypes.to_float(_dtypes.result_type_of([xd, rd]), h.be.default_float)
        want = _dtypes.to_complex(real) if fd.kind == "c" else real
        if not h.holds(want):
            x, want = x.astype(np_dtype(rd)), (fd if fd.kind == "c" else rd)
        kw = {"left": left, "right": right, "period": period}

        def ref(x, xp, fp):
            out = np.interp(x.astype(np.float64), xp, fp, **kw)
            return np.asarray(out).astype(np_dtype(want))

        return Case([x, xp, fp], kw, ref, want, rtol_scale=16)
    return case()


def _trapezoid(h):
    @st.composite
    def case(draw):
        d = draw(st.sampled_from(held(h, "iufc", small=True)))
        y = draw(array(d, hnp.array_shapes(min_dims=1, max_dims=3, min_side=0, max_side=5),
                       lo=-5, hi=5, special=False))
        axis = draw(st.integers(-y.ndim, y.ndim - 1))
        how = draw(st.sampled_from(["dx", "x1", "xn", "none"]))
        kw: dict = {"axis": axis}
        args = [y]
        xd = None
        if how == "dx":
            kw["dx"] = draw(st.sampled_from([0.5, 2.0, 1.0, -0.25]))
        elif how in ("x1", "xn"):
            xd = draw(st.sampled_from(held(h, "if", small=True)))
            if not h.holds(_dtypes.promote_types(d, xd)):
                xd = d if d.kind != "c" else _dtypes.REAL_OF[d]
            shape = (y.shape[axis],) if how == "x1" else y.shape
            args.append(draw(array(xd, st.just(shape), lo=-5, hi=5, special=False)))
        if xd is None:
            want = _dtypes.to_float(d, h.be.default_float)
        else:
            want = _dtypes.to_float(_dtypes.promote_types(d, xd), h.be.default_float)
        nd = np_dtype(want)
        rkw = dict(kw)

        def ref(y, x=None):
            # integers as the result float (exact here); floats keep their own precision, so
            # float16 + float16 sums round as they do in xops
            def f(a):
                return a if a is None or a.dtype.kind in "fc" else a.astype(nd)
            return np.asarray(np.trapezoid(f(y), f(x), **rkw)).astype(nd)

        return Case(args, kw, ref, want, rtol_scale=4 * max(1, y.shape[axis]))
    return case()


def _sinc(h):
    @st.composite
    def case(draw):
        d = draw(st.sampled_from(held(h, "biufc", small=True)))
        x = draw(array(d, hnp.array_shapes(min_dims=0, max_dims=2, max_side=5), lo=-4, hi=4))
        want = _dtypes.to_float(d, h.be.default_float)
        nd = np_dtype(want)
        return Case([x], {}, lambda x: np.sinc(x.astype(nd)).astype(nd), want, rtol_scale=8)
    return case()


def _i0(h):
    @st.composite
    def case(draw):
        d = draw(st.sampled_from(held(h, "biuf", small=True)))
        x = draw(array(d, hnp.array_shapes(min_dims=0, max_dims=2, max_side=5), lo=-25, hi=25))
        want = _dtypes.to_float(d, h.be.default_float)
        nd = np_dtype(want)
        return Case([x], {}, lambda x: np.i0(x.astype(np.float64)).astype(nd), want,
                    rtol_scale=8)
    return case()


def _window(name):
    def spec(h):
        @st.composite
        def case(draw):
            M = draw(st.integers(-2, 14))
            dt = draw(st.sampled_from([None, "float32"] + (["float64"] if h.holds(
                _dtypes.float64) else [])))
            want = _dtypes.canonical(dt) if dt else h.be.default_float
            args = [M]
            if name == "kaiser":
                args.append(draw(st.sampled_from([0.0, 0.5, 3.0, 5.0, 8.6, 14.0, -2.0])))
            return Case(args, {"dtype": dt, "like": _LIKE},
                        lambda *a: getattr(np, name)(*a).astype(np_dtype(want)), want,
                        rtol_scale=16)
        return case()
    return spec


SPECS = {
    "fft.fft": _fft1("fft", "c2c"), "fft.ifft": _fft1("ifft", "c2c"),
    "fft.rfft": _fft1("rfft", "r2c"), "fft.ihfft": _fft1("ihfft", "r2c"),
    "fft.irfft": _fft1("irfft", "c2r"), "fft.hfft": _fft1("hfft", "c2r"),
    "fft.fftn": _fftn("fftn", "c2c"), "fft.ifftn": _fftn("ifftn", "c2c"),
    "fft.rfftn": _fftn("rfftn", "r2c"), "fft.irfftn": _fftn("irfftn", "c2r"),
    "fft.fftfreq": _freq("fftfreq"), "fft.rfftfreq": _freq("rfftfreq"),
    "fft.fftshift": _shift("fftshift"), "fft.ifftshift": _shift("ifftshift"),
    "convolve": _conv("convolve"), "correlate": _conv("correlate"),
    "interp": _interp, "trapezoid": _trapezoid, "sinc": _sinc, "i0": _i0,
    "bartlett": _window("bartlett"), "blackman": _window("blackman"),
    "hamming": _window("hamming"), "hanning": _window("hanning"), "kaiser": _window("kaiser"),
}
