"""xops.random: Threefry known answers on every backend, bit-identity across backends and with
jax.random, statistical sanity, and the same bits under each backend's compiler."""
from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import xops
from xops import numpy as xnp
from xops import random as xr

from .conftest import INSTALLED, handle, needs_backend

# Random123 known-answer vectors for Threefry-2x32, 20 rounds: (key, counter) -> output.
KAT = [((0x00000000, 0x00000000), (0x00000000, 0x00000000), (0x6B200159, 0x99BA4EFE)),
       ((0xFFFFFFFF, 0xFFFFFFFF), (0xFFFFFFFF, 0xFFFFFFFF), (0x1CB996FC, 0xBB002BE7)),
       ((0x13198A2E, 0x03707344), (0x243F6A88, 0x85A308D3), (0xC4923A9C, 0x483DF7A0))]

OTHERS = [n for n in INSTALLED if n != "numpy"]


def _u32(backend, values):
    return backend.arr(np.asarray(values, np.uint32))


def _all(backend, out):
    return [np.asarray(backend.np(o)) for o in out]


# --- Threefry ---------------------------------------------------------------------------------
@pytest.mark.parametrize("k, ctr, want", KAT, ids=["zeros", "ones", "pi"])
def test_threefry_known_answers(backend, k, ctr, want):
    key = _u32(backend, k)
    c = _u32(backend, ctr)
    y0, y1 = xr.threefry2x32(key[0], key[1], c[0:1], c[1:2])
    assert backend.is_native(y0) and backend.np(y0).dtype == np.uint32
    assert (int(backend.np(y0)[0]), int(backend.np(y1)[0])) == want


def test_known_answers_match_jax_threefry():
    jax = needs_backend("jax")
    from jax._src.random.threefry2x32 import threefry_2x32
    for k, ctr, want in KAT:
        out = threefry_2x32(jax.numpy.asarray(k, dtype="uint32"),
                            jax.numpy.asarray(ctr, dtype="uint32"))
        assert tuple(int(v) for v in out) == want


# --- keys ---------------------------------------------------------------------------------------
def test_key_layout_and_backend(backend):
    k = xr.key(2 ** 40 + 7, backend=backend.name)  # backend=: its default device (torch: CPU)
    assert backend.is_native(k)
    assert backend.np(k).tolist() == [2 ** 8, 7]
    like = backend.key(1)
    k2 = xr.key(-1, like=like)
    assert backend.is_native(k2) and backend.np(k2).tolist() == [0xFFFFFFFF, 0xFFFFFFFF]
    with xops.default_backend(backend.name):  # no array input: torch's default device, the CPU
        assert backend.is_native(xr.key(3))
    assert isinstance(xr.key(3), np.ndarray)  # numpy by default


def test_key_errors():
    with pytest.raises(OverflowError):
        xr.key(2 ** 64)
    with pytest.raises(ValueError, match="one key"):
        xr.uniform(np.zeros((3,), np.uint32))
    with pytest.raises(TypeError):
        xr.normal([0, 1])


def test_split_and_fold_in_independence(backend):
    k = backend.key(0)
    ks = xr.split(k, 4)
    assert tuple(ks.shape) == (4, 2) and backend.is_native(ks)
    assert tuple(xr.split(k, (2, 3)).shape) == (2, 3, 2)
    rows = [tuple(r) for r in backend.np(ks).tolist()]
    # As in jax's partitionable scheme, split(k, n)[i] is fold_in(k, i): both hash (0, i).
    assert rows == [tuple(backend.np(xr.fold_in(k, d)).tolist()) for d in range(4)]
    assert len(set(rows)) == 4 and tuple(backend.np(k).tolist()) not in rows
    assert tuple(backend.np(xr.fold_in(k, 2 ** 32 - 1)).tolist()) not in rows
    streams = [backend.np(xr.bits(ks[i], (64,))) for i in range(4)]
    for i in range(4):
        for j in range(i):
            assert np.mean(streams[i] == streams[j]) < 0.05


def test_keys_and_bits_match_jax_random():
    jax = needs_backend("jax")
    jr = jax.random
    for seed in (0, 1, 42, 2 ** 31 - 1):
        jk = jr.key(seed, impl="threefry2x32")
        k = xr.key(seed)
        np.testing.assert_array_equal(k, np.asarray(jr.key_data(jk)))
        np.testing.assert_array_equal(xr.split(k, 3), np.asarray(jr.key_data(jr.split(jk, 3))))
        np.testing.assert_array_equal(xr.fold_in(k, 12345),
                                      np.asarray(jr.key_data(jr.fold_in(jk, 12345))))
        for dt in ("uint8", "uint16", "uint32"):
            np.testing.assert_array_equal(xr.bits(k, (3, 5), dt),
                                          np.asarray(jr.bits(jk, (3, 5), dt)))


def test_samplers_match_jax_random():
    jax = needs_backend("jax")
    jr = jax.random
    jk = jr.key(7, impl="threefry2x32")
    k = xr.key(7)
    eq = np.testing.assert_array_equal
    eq(xr.uniform(k, (100,)), np.asarray(jr.uniform(jk, (100,))))
    # jax.random.uniform is jitted, so XLA fuses its scaling into a multiply-add: close, not equal.
    np.testing.assert_allclose(xr.uniform(k, (100,), minval=-2.0, maxval=3.0),
                               np.asarray(jr.uniform(jk, (100,), minval=-2.0, maxval=3.0)),
                               rtol=1e-6, atol=1e-6)
    eq(xr.uniform(k, (100,), dtype="float16"), np.asarray(jr.uniform(jk, (100,), "float16")))
    eq(xr.bernoulli(k, 0.3, (100,)), np.asarray(jr.bernoulli(jk, 0.3, (100,))))
    eq(xr.randint(k, (100,), -3, 1000, "int32"), np.asarray(jr.randint(jk, (100,), -3, 1000)))
    eq(xr.randint(k, (50,), 0, 256, "uint8"), np.asarray(jr.randint(jk, (50,), 0, 256, "uint8")))
    eq(xr.permutation(k, 50), np.asarray(jr.permutation(jk, 50)))
    eq(xr.choice(k, 30, (5,), replace=False), np.asarray(jr.choice(jk, 30, (5,), replace=False)))
    eq(xr.choice(k, 30, (7,)), np.asarray(jr.choice(jk, 30, (7,))))


# --- cross-backend identity ---------------------------------------------------------------------
seeds = st.integers(0, 2 ** 64 - 1)
shapes = st.lists(st.integers(0, 5), min_size=0, max_size=3).map(tuple)


@pytest.mark.skipif(not OTHERS, reason="needs a second backend")
@given(seed=seeds, shape=shapes)
def test_bits_uniform_normal_identical_across_backends(seed, shape):
    ref_key = xr.key(seed)
    ref = [xr.bits(ref_key, shape), xr.uniform(ref_key, shape), xr.normal(ref_key, shape),
           xr.gumbel(ref_key, shape)]
    for name in OTHERS:
        h = handle(name)
        k = h.key(seed)
        got = [xr.bits(k, shape), xr.uniform(k, shape), xr.normal(k, shape), xr.gumbel(k, shape)]
        for r, g in zip(ref, got):
            assert h.is_native(g)
            np.testing.assert_array_equal(h.np(g), r, err_msg=name)


SAMPLERS = {
    "uniform_ab": lambda k: xr.uniform(k, (3000,), minval=-3.0, maxval=5.5),
    "normal": lambda k: xr.normal(k, (3000,)),
    "truncated_normal": lambda k: xr.truncated_normal(k, -1.5, 0.5, (3000,)),
    "gumbel": lambda k: xr.gumbel(k, (3000,)),
    "bernoulli": lambda k: xr.bernoulli(k, 0.3, (3000,)),
    "randint": lambda k: xr.randint(k, (3000,), -5, 1000, dtype="int32"),
    "categorical": lambda k: xr.categorical(
        k, xnp.log(xnp.linspace(0.1, 1.0, 8, dtype="float32", like=k)), shape=(500,)),
    "permutation": lambda k: xr.permutation(k, 300),
    "choice": lambda k: xr.choice(k, 40, (10,), replace=False),
    "dropout_mask": lambda k: xr.dropout_mask(k, 0.25, (40, 30)),
    "split": lambda k: xr.split(k, 5),
}


@pytest.mark.parametrize("name", sorted(SAMPLERS))
def test_samplers_identical_across_backends(backend, name):
    ref = SAMPLERS[name](xr.key(99))
    got = SAMPLERS[name](backend.key(99))
    assert backend.is_native(got)
    np.testing.assert_array_equal(backend.np(got), ref)


def _ulps(a, b):
    it = {2: np.int16, 4: np.int32, 8: np.int64}[a.dtype.itemsize]

    def ordered(v):
        i = v.view(it).astype(np.int64)
        return np.where(i < 0, -(i & np.int64(np.iinfo(it).max)), i)

    return int(np.abs(ordered(a) - ordered(b)).max(initial=0))


def test_float_dtypes_across_backends(dtype_backend):
    h = dtype_backend
    for dt in ("float16", "bfloat16", "float64"):
        if not h.holds(xops.dtype(dt)):
            continue
        k = h.key(5)
        u = h.np(xr.uniform(k, (2000,), dt))
        assert u.dtype.name == dt and u.min() >= 0 and u.max() < 1
        np.testing.assert_array_equal(u, xr.uniform(xr.key(5), (2000,), dt))
        z = h.np(xr.normal(k, (2000,), dt))
        zref = xr.normal(xr.key(5), (2000,), dt)
        # float64 normals use the backend's log1p: a few ulp apart (docs/random.md; jax's
        # XLA log1p is the least accurate, measured up to 28 ulp).
        assert _ulps(z, zref) <= (64 if dt == "float64" else 0)


def test_bits_dtypes(dtype_backend):
    h = dtype_backend
    k = h.key(3)
    for dt in ("uint8", "uint16", "uint32", "uint64"):
        if not h.holds(xops.dtype(dt)):
            with pytest.raises(TypeError):
                xr.bits(k, (4,), dt)
            continue
        b = h.np(xr.bits(k, (16,), dt))
        assert b.dtype.name == dt
        np.testing.assert_array_equal(b, xr.bits(xr.key(3), (16,), dt))
    b64 = xr.bits(xr.key(3), (16,), "uint64")
    b0 = xr.bits(xr.key(3), (16,), "uint32")
    assert b64.dtype == np.uint64 and not np.array_equal(b64 & 0xFFFFFFFF, b0)


# --- statistics ----------------------------------------------------------------------------------
N = 20000


def test_uniform_and_normal_moments():
    k1, k2, k3 = xr.split(xr.key(11), 3)
    u = xr.uniform(k1, (N,), minval=2.0, maxval=4.0)
    assert u.dtype == np.float32 and u.min() >= 2 and u.max() < 4
    assert abs(u.mean() - 3) < 0.02 and abs(u.var() - 4 / 12) < 0.02
    z = xr.normal(k2, (N,))
    assert abs(z.mean()) < 0.03 and abs(z.var() - 1) < 0.04
    z64 = xr.normal(k3, (N,), "float64")
    assert z64.dtype == np.float64 and abs(z64.std() - 1) < 0.02
    t = xr.truncated_normal(k3, -1.0, 2.0, (N,))
    assert t.min() > -1 and t.max() < 2
    assert abs(t.mean() - 0.2288) < 0.02  # E[Z | -1 < Z < 2]
    tl = xr.truncated_normal(k3, np.full((3,), -0.5, np.float32), np.array([0.0, 1.0, 3.0],
                                                                            np.float32))
    assert tl.shape == (3,) and (tl > -0.5).all() and (tl < [0.0, 1.0, 3.0]).all()


def test_gumbel_bernoulli_randint():
    k1, k2, k3, k4 = xr.split(xr.key(12), 4)
    g = xr.gumbel(k1, (N,))
    assert abs(g.mean() - 0.5772) < 0.03 and abs(g.var() - math.pi ** 2 / 6) < 0.1
    b = xr.bernoulli(k2, 0.3, (N,))
    assert b.dtype == np.bool_ and abs(b.mean() - 0.3) < 0.015
    p = np.array([0.0, 1.0, 0.5], np.float32)
    assert xr.bernoulli(k2, p).tolist()[:2] == [False, True]
    r = xr.randint(k3, (N,), -3, 7)
    assert r.dtype == np.int64 and r.min() == -3 and r.max() == 6
    assert np.all(np.abs(np.bincount(r + 3) / N - 0.1) < 0.015)
    r8 = xr.randint(k4, (N,), 0, 256, "uint8")
    assert r8.dtype == np.uint8 and r8.max() == 255
    assert (xr.randint(k4, (4,), 5, 5) == 5).all()
    lo = np.array([0, 10], np.int32)
    ra = xr.randint(k4, (1000, 2), lo, lo + 3, "int32")
    assert (ra >= lo).all() and (ra < lo + 3).all()
    assert xr.randint(k4, (N,), 0, 2 ** 32, "int64").max() > 2 ** 31


def test_categorical_and_choice_frequencies():
    k1, k2, k3 = xr.split(xr.key(13), 3)
    probs = np.array([0.1, 0.2, 0.7], np.float32)
    c = xr.categorical(k1, np.log(probs), shape=(N,))
    assert np.all(np.abs(np.bincount(c, minlength=3) / N - probs) < 0.015)
    c2 = xr.categorical(k1, np.log(np.stack([probs, probs[::-1]])), axis=1)
    assert c2.shape == (2,)
    d = xr.choice(k2, 3, (N,), p=probs)
    assert np.all(np.abs(np.bincount(d, minlength=3) / N - probs) < 0.015)
    w = xr.choice(k3, 10, (4,), replace=False, p=np.full((10,), 0.1, np.float32))
    assert len(set(w.tolist())) == 4
    a = np.arange(20.0).reshape(10, 2)
    s = xr.choice(k3, a, (3,), replace=False)
    assert s.shape == (3, 2) and len({tuple(r) for r in s.tolist()}) == 3


def test_permutation_shuffle(backend):
    k = backend.key(14)
    p = backend.np(xr.permutation(k, 2000))  # two sort rounds above ~1600 elements
    assert sorted(p.tolist()) == list(range(2000)) and (p != np.arange(2000)).mean() > 0.99
    x = backend.arr(np.arange(12, dtype=np.float32).reshape(4, 3))
    s = backend.np(xr.shuffle(k, x))
    assert sorted(s[:, 0].tolist()) == [0, 3, 6, 9] and (s[:, 1] == s[:, 0] + 1).all()
    s1 = backend.np(xr.permutation(k, x, axis=1))
    assert (np.sort(s1, axis=1) == backend.np(x)).all()


def test_dropout(backend):
    k = backend.key(15)
    x = backend.arr(np.ones((100, 100), np.float32))
    y = backend.np(xr.dropout(k, 0.25, x))
    kept = y != 0
    assert abs(kept.mean() - 0.75) < 0.02 and np.allclose(y[kept], 1 / 0.75)
    np.testing.assert_array_equal(kept, backend.np(xr.dropout_mask(k, 0.25, (100, 100))))
    assert (backend.np(xr.dropout(k, 0.0, x)) == 1).all()
    assert (backend.np(xr.dropout(k, 1.0, x)) == 0).all()


# --- compilers ---------------------------------------------------------------------------------
# Integer-valued outputs and uniform [0, 1) are exact under every compiler. XLA (jax.jit,
# tf.function(jit_compile=True)) contracts a*b + c into fused multiply-adds, so float outputs
# that scale or evaluate polynomials may move by an ulp or so there (docs/random.md).
def _exact_program(k):
    return (xr.bits(k, (64,)), xr.uniform(k, (64,)), xr.split(k, 3), xr.fold_in(k, 5),
            xr.randint(k, (64,), 0, 77, "int32"), xr.permutation(k, 16),
            xr.dropout(k, 0.5, xr.uniform(k, (64,))))


def _float_program(k):
    return xr.normal(k, (256,)), xr.uniform(k, (256,), minval=-2.0, maxval=3.0)


def _check(h, fn, out, exact=True):
    for i, (r, o) in enumerate(zip(fn(xr.key(7)), out)):
        if exact:
            np.testing.assert_array_equal(h.np(o), r, err_msg=f"output {i}")
        else:
            np.testing.assert_allclose(h.np(o), r, rtol=2e-6, atol=2e-7, err_msg=f"output {i}")


def test_jax_jit_and_vmap():
    jax = needs_backend("jax")
    h = handle("jax")
    _check(h, _exact_program, jax.jit(_exact_program)(xr.key(7, backend="jax")))
    _check(h, _float_program, jax.jit(_float_program)(xr.key(7, backend="jax")), exact=False)
    keys = xr.split(xr.key(8, backend="jax"), 3)
    v = jax.vmap(lambda kk: xr.normal(kk, (5,)))(keys)
    ref = xr.split(xr.key(8), 3)
    for i in range(3):
        np.testing.assert_array_equal(np.asarray(v[i]), xr.normal(ref[i], (5,)))


def test_torch_compile_fullgraph():
    # backend="eager": dynamo's graph capture without codegen. Inductor gives the same bits
    # (checked by hand, no FMA contraction) but compiles the unrolled rounds for minutes.
    torch = needs_backend("torch")
    import torch._dynamo as dynamo
    dynamo.reset()
    h = handle("torch")

    def f(k):
        return xr.bits(k, (64,)), xr.normal(k, (64,))

    _check(h, f, torch.compile(f, fullgraph=True, backend="eager")(h.key(7)))


def test_tf_function_jit_compile():
    tf = needs_backend("tensorflow")
    h = handle("tensorflow")

    def f(k):
        return xr.bits(k, (64,)), xr.split(k, 3), xr.randint(k, (64,), 0, 77, "int32")

    _check(h, f, tf.function(f, jit_compile=True)(xr.key(7, backend="tensorflow")))
    _check(h, _float_program,
           tf.function(_float_program, jit_compile=True)(xr.key(7, backend="tensorflow")),
           exact=False)


def test_import_xops_random_imports_no_framework():
    import subprocess
    import sys
    code = ("import sys, xops.random as r; r.uniform(r.key(0), (3,)); "
            "print([m for m in ('jax', 'torch', 'tensorflow') if m in sys.modules])")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


# --- xops.random.sharded: a block of the index space -------------------------------------------
_SHARDED_ARGS = {"bits": lambda s: (s,), "uniform": lambda s: (s,), "normal": lambda s: (s,),
                 "gumbel": lambda s: (s,), "randint": lambda s: (s, -3, 9),
                 "truncated_normal": lambda s: (-1.0, 1.5, s), "bernoulli": lambda s: (0.3, s),
                 "dropout_mask": lambda s: (0.5, s)}


@pytest.mark.parametrize("name", sorted(_SHARDED_ARGS))
def test_a_block_of_a_draw_is_that_slice_of_the_whole_draw(backend, name):
    # what each rank of xops.random.sharded computes (the 2-rank DTensor run is in
    # tests/sharded/test_torch_random.py): counters of its block only, the same values
    from xops.random._keys import ACTIVE, BLOCK
    from xops.random._sharded import ELEMENTWISE
    assert set(ELEMENTWISE) == set(_SHARDED_ARGS)
    fn = ELEMENTWISE[name]
    shape = (5, 7)
    key = backend.key(3)
    whole = backend.np(fn(key, *_SHARDED_ARGS[name](shape)))
    for offsets, local in [((0, 0), (3, 7)), ((3, 0), (2, 7)), ((0, 4), (5, 3)),
                           ((2, 3), (2, 2)), ((5, 0), (0, 7))]:
        token = BLOCK.set((shape, offsets, local))
        ACTIVE.append(1)
        try:
            part = backend.np(fn(key, *_SHARDED_ARGS[name](shape)))
        finally:
            ACTIVE.pop()
            BLOCK.reset(token)
        want = whole[offsets[0]:offsets[0] + local[0], offsets[1]:offsets[1] + local[1]]
        assert part.shape == want.shape, (offsets, local)
        np.testing.assert_array_equal(part, want, err_msg=str((offsets, local)))
    # keys derived inside a draw (randint splits its key) are never blocked: a (2,) draw
    token = BLOCK.set(((2,), (1,), (1,)))
    ACTIVE.append(1)
    try:
        part = backend.np(fn(key, *_SHARDED_ARGS[name]((2,))))
    finally:
        ACTIVE.pop()
        BLOCK.reset(token)
    np.testing.assert_array_equal(part, backend.np(fn(key, *_SHARDED_ARGS[name]((2,))))[1:])


def test_sharded_refuses_what_it_cannot_shard():
    from xops import random as xr
    with pytest.raises(TypeError, match="categorical is not an elementwise sampler"):
        xr.sharded(xr.categorical, None, [])
