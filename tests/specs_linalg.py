"""Input strategies and NumPy references for ``xops.numpy.linalg`` (merged into tests/specs.py).

Matrices are built well conditioned (diagonally dominant, ``X X^H + I``, or a rectangular ``X``
plus a dominant identity block) so that float32 results are comparable with a float64 NumPy
reference. References compute in float64/complex128 and cast to the dtype xops promises: the
backend's default float for integer input, the input dtype otherwise (real for real-valued
results, complex for eig/eigvals, the default integer for ranks). Decompositions whose vectors
are unique only up to sign/phase (qr, svd, eig, eigh) are checked for shape and dtype here and
by reconstruction in tests/test_linalg.py.
"""
from __future__ import annotations

import math

import hypothesis.extra.numpy as hnp
import numpy as np
from hypothesis import strategies as st

from xops import _dtypes

from .specs import Case, array, held, np_dtype

HALF = (_dtypes.float16, _dtypes.bfloat16)


def out_dtype(h, d):
    """The dtype xops computes ``d`` input into, as seen in float results."""
    if d.kind in "biu":
        return h.be.default_float
    return d


def cast_result(r, h, d):
    """A float64 NumPy result cast to what xops returns for input dtype ``d``."""
    if isinstance(r, tuple):
        return tuple(cast_result(e, h, d) for e in r)
    r = np.asarray(r)
    out = out_dtype(h, d)
    if r.dtype.kind == "c":
        want = _dtypes.to_complex(out) if out.kind != "c" else out
    elif r.dtype.kind == "f":
        want = _dtypes.REAL_OF.get(out, out)
    elif r.dtype.kind == "b":
        want = _dtypes.bool_
    else:
        want = h.be.default_int
    return r.astype(np_dtype(want))


def wide(a):
    a = np.asarray(a)
    return a.astype(np.complex128 if a.dtype.kind == "c" else np.float64)


def ref64(fn, h, d, complex_out=False):
    """Reference: ``fn`` on float64/complex128 copies, cast back as xops promises."""
    def ref(*args):
        args = [wide(a) if isinstance(a, np.ndarray) else a for a in args]
        r = fn(*args)
        if complex_out:
            r = tuple(np.asarray(e).astype(np.complex128) for e in r) if isinstance(r, tuple) \
                else np.asarray(r).astype(np.complex128)
        return cast_result(r, h, d)
    return ref


def scale(d, base=50):
    return 2 if d in HALF else base


# --- matrices ---------------------------------------------------------------------------------
def lin_dtypes(h, ints=True):
    return held(h, "ifc" if ints else "fc")


def _hi(d):
    return 2 if d.kind in "iu" else 1


@st.composite
def raw(draw, d, shape):
    hi = _hi(d)
    return flush(wide(draw(array(d, shape, lo=-hi if d.kind != "u" else 0, hi=hi,
                                 special=False))))


def flush(x):
    """Zero the parts near the smallest normal float (1e-38): they make torch's complex64 SVD
    return NaN (measured, torch 2.13 CPU; LAPACK underflow, not an xops matter)."""
    if x.dtype.kind not in "fc" or x.dtype.itemsize < 4:
        return x
    def f(p):
        return np.where(np.abs(p) < 1e-6, 0.0, p)
    out = f(x.real) + 1j * f(x.imag) if x.dtype.kind == "c" else f(x)
    return out.astype(x.dtype)


def to_dtype(x, d):
    if d.kind in "iu":
        return np.rint(x.real).astype(np_dtype(d))
    return x.astype(np_dtype(d))


@st.composite
def general(draw, d, batch, n):
    """Diagonally dominant square matrices (well conditioned, invertible)."""
    x = draw(raw(d, batch + (n, n)))
    return to_dtype(x + (_hi(d) * n + 1) * np.eye(n), d)


@st.composite
def hermitian_pd(draw, d, batch, n):
    """Hermitian positive-definite ``X X^H + I`` (exactly Hermitian)."""
    x = draw(raw(d, batch + (n, n)))
    s = x @ np.conj(np.swapaxes(x, -1, -2)) + np.eye(n)
    s = (s + np.conj(np.swapaxes(s, -1, -2))) / 2
    return to_dtype(s, d)


@st.composite
def rect(draw, d, batch, m, n):
    """Full-rank rectangular matrices: singular values >= 1."""
    x = draw(raw(d, batch + (m, n)))
    return to_dtype(x + (_hi(d) * max(m, n) + 1) * np.eye(m, n), d)


batches = hnp.array_shapes(min_dims=0, max_dims=2, min_side=1, max_side=2)
sizes = st.integers(1, 4)


def _square_op(name, kind="general", complex_out=False, values=True, kw=None):
    fn_np = getattr(np.linalg, name)

    def spec(h):
        @st.composite
        def case(draw):
            d = draw(st.sampled_from(lin_dtypes(h)))
            n = draw(sizes)
            x = draw((general if kind == "general" else hermitian_pd)(d, draw(batches), n))
            kwargs = kw(draw) if kw else {}
            return Case([x], kwargs, ref64(lambda a: fn_np(a, **kwargs), h, d, complex_out),
                        rtol_scale=scale(d), values=values)
        return case()
    return spec


def _solve(h):
    @st.composite
    def case(draw):
        d = draw(st.sampled_from(lin_dtypes(h)))
        n = draw(sizes)
        shp = draw(hnp.mutually_broadcastable_shapes(num_shapes=2, max_dims=2, max_side=2))
        a = draw(general(d, shp.input_shapes[0], n))
        if draw(st.booleans()):
            b = to_dtype(draw(raw(d, (n,))), d)
        else:
            b = to_dtype(draw(raw(d, shp.input_shapes[1] + (n, draw(st.integers(1, 3))))), d)
        return Case([a, b], {}, ref64(np.linalg.solve, h, d), rtol_scale=scale(d))
    return case()


def _pinv(h):
    @st.composite
    def case(draw):
        d = draw(st.sampled_from(lin_dtypes(h)))
        batch = draw(batches)
        herm = draw(st.booleans())
        if herm:
            n = draw(sizes)
            x = draw(hermitian_pd(d, batch, n))
        else:
            x = draw(rect(d, batch, draw(sizes), draw(sizes)))
        rtol = draw(st.sampled_from([None, 1e-3]))
        kw = {"hermitian": herm} if rtol is None else {"hermitian": herm, "rtol": rtol}
        return Case([x], kw, ref64(lambda a: np.linalg.pinv(a, rtol=rtol, hermitian=herm), h, d),
                    rtol_scale=scale(d))
    return case()


def _lstsq(h):
    @st.composite
    def case(draw):
        d = draw(st.sampled_from(lin_dtypes(h)))
        m, n = draw(sizes), draw(sizes)
        a = draw(rect(d, (), m, n))
        shape_b = (m,) if draw(st.booleans()) else (m, draw(st.integers(1, 3)))
        b = to_dtype(draw(raw(d, shape_b)), d)
        return Case([a, b], {}, ref64(lambda a, b: tuple(np.linalg.lstsq(a, b)), h, d),
                    rtol_scale=scale(d, 200))
    return case()


def _cholesky(h):
    @st.composite
    def case(draw):
        d = draw(st.sampled_from(lin_dtypes(h)))
        x = draw(hermitian_pd(d, draw(batches), draw(sizes)))
        upper = draw(st.booleans())
        return Case([x], {"upper": upper},
                    ref64(lambda a: np.linalg.cholesky(a, upper=upper), h, d),
                    rtol_scale=scale(d))
    return case()


def _qr(h):
    @st.composite
    def case(draw):
        d = draw(st.sampled_from(lin_dtypes(h)))
        x = draw(rect(d, draw(batches), draw(sizes), draw(sizes)))
        mode = draw(st.sampled_from(["reduced", "complete", "r"]))
        ref = ref64(lambda a: np.linalg.qr(a, mode=mode) if mode == "r"
                    else tuple(np.linalg.qr(a, mode=mode)), h, d)
        return Case([x], {"mode": mode}, ref, values=False)
    return case()


def _svd(h):
    @st.composite
    def case(draw):
        d = draw(st.sampled_from(lin_dtypes(h)))
        x = draw(raw(d, draw(batches) + (draw(sizes), draw(sizes))))
        x = to_dtype(x, d)
        full = draw(st.booleans())
        uv = draw(st.booleans())
        ref = ref64(lambda a: np.linalg.svd(a, full_matrices=full, compute_uv=False) if not uv
                    else tuple(np.linalg.svd(a, full_matrices=full)), h, d)
        return Case([x], {"full_matrices": full, "compute_uv": uv}, ref, values=not uv,
                    rtol_scale=scale(d))
    return case()


def _svdvals(h):
    @st.composite
    def case(draw):
        d = draw(st.sampled_from(lin_dtypes(h)))
        x = to_dtype(draw(raw(d, draw(batches) + (draw(sizes), draw(sizes)))), d)
        return Case([x], {}, ref64(np.linalg.svdvals, h, d), rtol_scale=scale(d))
    return case()


def _eigvalsh(name):
    fn_np = getattr(np.linalg, name)

    def spec(h):
        @st.composite
        def case(draw):
            d = draw(st.sampled_from(lin_dtypes(h)))
            n = draw(sizes)
            # Not Hermitian on purpose: only the UPLO triangle may be read.
            x = to_dtype(draw(raw(d, draw(batches) + (n, n))), d)
            uplo = draw(st.sampled_from(["L", "U"]))
            ref = ref64(lambda a: fn_np(a, UPLO=uplo) if name == "eigvalsh"
                        else tuple(fn_np(a, UPLO=uplo)), h, d)
            return Case([x], {"UPLO": uplo}, ref, values=name == "eigvalsh",
                        rtol_scale=scale(d))
        return case()
    return spec


def _matrix_rank(h):
    @st.composite
    def case(draw):
        d = draw(st.sampled_from(lin_dtypes(h)))
        m, n = draw(sizes), draw(sizes)
        r = draw(st.integers(0, min(m, n)))
        batch = draw(batches)
        full = draw(rect(d, batch, r, n)) if r else np.zeros(batch + (0, n), np_dtype(d))
        x = np.concatenate([full, np.zeros(full.shape[:-2] + (m - r, n), full.dtype)], axis=-2)
        x = x[..., draw(st.permutations(range(m))), :]
        kw = draw(st.sampled_from([{}, {"tol": 0.5}, {"rtol": 1e-3}]))
        return Case([x], kw, ref64(lambda a: np.linalg.matrix_rank(a, **kw), h, d),
                    dtype=h.be.default_int, exact=True)
    return case()


def _matrix_power(h):
    @st.composite
    def case(draw):
        d = draw(st.sampled_from(lin_dtypes(h)))
        n = draw(sizes)
        p = draw(st.integers(-3, 4))
        if d.kind in "iu" and p >= 0:
            # integer powers stay integer (NumPy): keep the entries small enough not to wrap
            p = min(p, 3)
            x = draw(array(d, draw(batches) + (n, n), lo=-1 if d.kind == "i" else 0, hi=1))
            return Case([x, p], {}, lambda a, p: np.linalg.matrix_power(a, p), exact=True)
        x = draw(general(d, draw(batches), n))
        ref = ref64(lambda a, p: np.linalg.matrix_power(a, p), h, d)
        return Case([x, p], {}, ref, rtol_scale=scale(d, 100) * (4 if d in HALF else 1))
    return case()


@st.composite
def _axis_arg(draw, ndim):
    opts = [st.none()]
    if ndim:
        opts.append(st.integers(-ndim, ndim - 1))
        opts.append(st.lists(st.integers(0, ndim - 1), unique=True, min_size=1,
                             max_size=ndim).map(tuple))
    return draw(st.one_of(*opts))


VECTOR_ORDS = [2, 1, math.inf, -math.inf, 0, 3, -1, 0.5]
MATRIX_ORDS = ["fro", "nuc", 1, -1, 2, -2, math.inf, -math.inf]


def _vector_norm(h):
    @st.composite
    def case(draw):
        d = draw(st.sampled_from(held(h, "ifc")))
        x = draw(array(d, hnp.array_shapes(min_dims=0, max_dims=3, min_side=1, max_side=4),
                       lo=-5, hi=5, special=False))
        axis = draw(_axis_arg(x.ndim))
        keep = draw(st.booleans())
        o = draw(st.sampled_from(VECTOR_ORDS))
        return Case([x], {"axis": axis, "keepdims": keep, "ord": o},
                    ref64(lambda a: np.linalg.vector_norm(a, axis=axis, keepdims=keep, ord=o),
                          h, d), rtol_scale=scale(d, 8))
    return case()


def _matrix_norm(h):
    @st.composite
    def case(draw):
        d = draw(st.sampled_from(held(h, "ifc")))
        x = to_dtype(draw(raw(d, draw(batches) + (draw(sizes), draw(sizes)))), d)
        keep = draw(st.booleans())
        o = draw(st.sampled_from(MATRIX_ORDS))
        return Case([x], {"keepdims": keep, "ord": o},
                    ref64(lambda a: np.linalg.matrix_norm(a, keepdims=keep, ord=o), h, d),
                    rtol_scale=scale(d, 20))
    return case()


def _norm(h):
    @st.composite
    def case(draw):
        d = draw(st.sampled_from(held(h, "ifc")))
        x = flush(draw(array(d, hnp.array_shapes(min_dims=1, max_dims=3, min_side=1,
                                                 max_side=4), lo=-5, hi=5, special=False)))
        form = draw(st.sampled_from(["flat", "vector", "matrix"] if x.ndim >= 2
                                    else ["flat", "vector"]))
        if form == "flat":
            axis, o = None, None
        elif form == "vector":
            axis = draw(st.one_of(st.integers(-x.ndim, x.ndim - 1),
                                  st.none() if x.ndim == 1 else st.integers(0, 0)))
            o = draw(st.sampled_from([None] + VECTOR_ORDS))
        else:
            axis = tuple(draw(st.permutations(range(x.ndim)))[:2])
            if x.ndim == 2 and draw(st.booleans()):
                axis = None
            o = draw(st.sampled_from([None] + MATRIX_ORDS))
        keep = draw(st.booleans())
        return Case([x], {"ord": o, "axis": axis, "keepdims": keep},
                    ref64(lambda a: np.linalg.norm(a, ord=o, axis=axis, keepdims=keep), h, d),
                    rtol_scale=scale(d, 20))
    return case()


def _diagonal(h):
    @st.composite
    def case(draw):
        d = draw(st.sampled_from(held(h, "biufc")))
        x = draw(array(d, hnp.array_shapes(min_dims=2, max_dims=4, min_side=0, max_side=4)))
        off = draw(st.integers(-5, 5))
        return Case([x], {"offset": off},
                    lambda a: np.linalg.diagonal(a, offset=off), exact=True)
    return case()


def _trace(h):
    @st.composite
    def case(draw):
        d = draw(st.sampled_from(held(h, "biufc")))
        x = draw(array(d, hnp.array_shapes(min_dims=2, max_dims=4, min_side=1, max_side=4),
                       lo=-5, hi=5, special=False))
        off = draw(st.integers(-3, 3))
        acc = _dtypes.sum_dtype(d, h.be.default_int)

        def ref(a):
            w = wide(a) if a.dtype.kind in "fc" or a.dtype.name == "bfloat16" else a
            return np.asarray(np.linalg.trace(w, offset=off)).astype(np_dtype(acc))
        return Case([x], {"offset": off}, ref, dtype=acc, rtol_scale=4)
    return case()


def _outer(h):
    @st.composite
    def case(draw):
        d = draw(st.sampled_from(held(h, "iufc")))
        a = draw(array(d, st.tuples(st.integers(0, 4)), lo=-5, hi=5))
        b = draw(array(d, st.tuples(st.integers(0, 4)), lo=-5, hi=5))

        def ref(a, b):
            if d in HALF:
                return np.linalg.outer(a.astype(np.float32), b.astype(np.float32)).astype(a.dtype)
            return np.linalg.outer(a, b)
        return Case([a, b], {}, ref, dtype=d)
    return case()


def _cross(h):
    @st.composite
    def case(draw):
        d = draw(st.sampled_from(held(h, "ifc")))
        shp = draw(hnp.mutually_broadcastable_shapes(num_shapes=2, max_dims=2, max_side=3))
        pos = draw(st.integers(0, min(len(shp.input_shapes[0]), len(shp.input_shapes[1]))))
        sa = list(shp.input_shapes[0])
        sb = list(shp.input_shapes[1])
        sa.insert(len(sa) - pos, 3)
        sb.insert(len(sb) - pos, 3)
        a = draw(array(d, tuple(sa), lo=-5, hi=5, special=False))
        b = draw(array(d, tuple(sb), lo=-5, hi=5, special=False))
        axis = -pos - 1

        def ref(a, b):
            if d in HALF:
                return np.linalg.cross(a.astype(np.float32), b.astype(np.float32),
                                       axis=axis).astype(a.dtype)
            return np.linalg.cross(a, b, axis=axis)
        return Case([a, b], {"axis": axis}, ref, dtype=d, exact=d.kind in "iu", rtol_scale=4)
    return case()


SPECS = {
    "linalg.inv": _square_op("inv"),
    "linalg.det": _square_op("det"),
    "linalg.slogdet": _square_op("slogdet"),
    "linalg.eig": _square_op("eig", complex_out=True, values=False),
    "linalg.eigvals": _square_op("eigvals", complex_out=True, values=False),
    "linalg.solve": _solve,
    "linalg.pinv": _pinv,
    "linalg.lstsq": _lstsq,
    "linalg.cholesky": _cholesky,
    "linalg.qr": _qr,
    "linalg.svd": _svd,
    "linalg.svdvals": _svdvals,
    "linalg.eigh": _eigvalsh("eigh"),
    "linalg.eigvalsh": _eigvalsh("eigvalsh"),
    "linalg.matrix_rank": _matrix_rank,
    "linalg.matrix_power": _matrix_power,
    "linalg.vector_norm": _vector_norm,
    "linalg.matrix_norm": _matrix_norm,
    "linalg.norm": _norm,
    "linalg.diagonal": _diagonal,
    "linalg.trace": _trace,
    "linalg.outer": _outer,
    "linalg.cross": _cross,
}
