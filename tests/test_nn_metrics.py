"""xops.nn.metrics against scikit-learn on every backend: random inputs drawn by hypothesis,
fed in several batches (which must give the state of one big batch), and one compiled
``xops.jit`` update of every metric per backend (equal to the eager one)."""
from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import xops
from xops.nn import metrics as M

sk = pytest.importorskip("sklearn.metrics", reason="the references are scikit-learn's")

# --- cases: (metric, inputs from (rng, n, c), scikit-learn reference, tolerance) ---------------


def _multiclass(rng, n, c):
    logits = rng.standard_normal((n, c)).astype(np.float32)
    labels = rng.integers(0, c, n).astype(np.int32)
    return logits, labels


def _binary(rng, n, c):
    probs = rng.random(n).astype(np.float32)
    # targets correlated with the scores, and both classes present
    labels = (rng.random(n) < probs).astype(np.int32)
    labels[:2] = [0, 1]
    return probs, labels


def _regression(rng, n, c):
    t = rng.standard_normal((n, 3)).astype(np.float32)
    return (t + rng.standard_normal((n, 3)).astype(np.float32)), t


def _prf(which, average):
    def ref(p, t, c):
        if average == "binary":
            out = sk.precision_recall_fscore_support(t, p > 0.5, average="binary",
                                                     zero_division=0)
        else:
            out = sk.precision_recall_fscore_support(t, p.argmax(-1), labels=range(c),
                                                     average=average, zero_division=0)
        return out[which]
    return ref


CASES = {
    "mean": (lambda c: M.mean(), _regression, lambda p, t, c: np.mean(p, dtype=np.float64), 1e-5),
    "accuracy": (lambda c: M.accuracy(), _multiclass,
                 lambda p, t, c: sk.accuracy_score(t, p.argmax(-1)), 1e-6),
    "sparse_categorical_accuracy": (lambda c: M.sparse_categorical_accuracy(), _multiclass,
                                    lambda p, t, c: sk.accuracy_score(t, p.argmax(-1)), 1e-6),
    # (at least 4 classes: scikit-learn reads two-column scores as a binary problem)
    "top3_accuracy": (lambda c: M.top_k_accuracy(3), lambda rng, n, c: _multiclass(rng, n, c + 2),
                      lambda p, t, c: sk.top_k_accuracy_score(t, p, k=3,
                                                              labels=range(p.shape[-1])), 1e-6),
    "binary_accuracy": (lambda c: M.binary_accuracy(), _binary,
                        lambda p, t, c: sk.accuracy_score(t, p > 0.5), 1e-6),
    "precision_binary": (lambda c: M.precision(), _binary, _prf(0, "binary"), 1e-6),
    "recall_binary": (lambda c: M.recall(), _binary, _prf(1, "binary"), 1e-6),
    "f1_binary": (lambda c: M.f1_score(), _binary, _prf(2, "binary"), 1e-6),
    "precision_macro": (lambda c: M.precision(c, "macro"), _multiclass, _prf(0, "macro"), 1e-6),
    "recall_macro": (lambda c: M.recall(c, "macro"), _multiclass, _prf(1, "macro"), 1e-6),
    "f1_macro": (lambda c: M.f1_score(c, "macro"), _multiclass, _prf(2, "macro"), 1e-6),
    "f1_micro": (lambda c: M.f1_score(c, "micro"), _multiclass, _prf(2, "micro"), 1e-6),
    # thresholded approximations (200 buckets, scores spread over [0, 1]; at least 100 samples:
    # on a handful the interpolated PR curve and scikit-learn's step-wise average precision
    # differ by more than the buckets do); keras' own AUC agrees exactly (test below)
    "auc_roc": (lambda c: M.auc(), lambda rng, n, c: _binary(rng, n + 100, c),
                lambda p, t, c: sk.roc_auc_score(t, p), 1e-2),
    "auc_pr": (lambda c: M.auc(curve="PR"), lambda rng, n, c: _binary(rng, n + 100, c),
               lambda p, t, c: sk.average_precision_score(t, p), 2e-2),
    "mse": (lambda c: M.mse(), _regression, lambda p, t, c: sk.mean_squared_error(t, p), 1e-5),
    "mae": (lambda c: M.mae(), _regression, lambda p, t, c: sk.mean_absolute_error(t, p), 1e-5),
    "mean_iou": (lambda c: M.mean_iou(c), _multiclass,
                 lambda p, t, c: sk.jaccard_score(t, p.argmax(-1), average="macro"), 1e-6),
}


def _accumulate(backend, metric, p, t, cuts):
    state = metric.init(like=backend.arr(p[:1]))
    for lo, hi in zip([0, *cuts], [*cuts, len(p)]):
        state = metric.update(state, backend.arr(p[lo:hi]), backend.arr(t[lo:hi]))
    return state, float(backend.np(metric.compute(state)))


N, C = 96, 5  # fixed shapes: jax compiles each eager op once per shape


@pytest.mark.parametrize("case", list(CASES))
@settings(max_examples=4)
@given(seed=st.integers(0, 2 ** 31))
def test_agrees_with_sklearn_in_any_batching(backend, case, seed):
    make, data, ref, tol = CASES[case]
    rng = np.random.default_rng(seed)
    p, t = data(rng, N, C)
    metric = make(C)
    state, value = _accumulate(backend, metric, p, t, [32, 64])
    assert value == pytest.approx(ref(p, t, C), abs=tol, rel=tol)
    # several batches give the state of one
    whole, _ = _accumulate(backend, metric, p, t, [])
    for k in state:
        a, b = backend.np(state[k]), backend.np(whole[k])
        assert a.dtype == b.dtype and a.shape == b.shape, k
        np.testing.assert_allclose(a, b, rtol=1e-5, atol=1e-4, err_msg=k)  # float sums: rounding
        assert backend.is_native(state[k])


def test_states_are_arrays_on_the_like_backend(backend):
    x = backend.arr(np.zeros(3, np.float32))
    for name, (make, *_rest) in CASES.items():
        state = make(4).init(like=x)
        assert isinstance(state, dict) and state, name
        assert all(backend.is_native(v) for v in state.values()), name


def test_auc_extremes(backend):
    """Perfect and reversed rankings; a constant score (ROC 0.5); from_logits."""
    t = np.array([0, 0, 1, 1, 0, 1], np.int32)
    good = np.array([0.1, 0.2, 0.8, 0.9, 0.3, 0.7], np.float32)
    for scores, roc in ((good, 1.0), (1 - good, 0.0), (np.full(6, 0.5, np.float32), 0.5)):
        m = M.auc()
        s = m.update(m.init(like=backend.arr(t)), backend.arr(scores), backend.arr(t))
        assert float(backend.np(m.compute(s))) == pytest.approx(roc, abs=1e-6)
    m = M.auc(from_logits=True)
    logits = np.log(good / (1 - good))
    s = m.update(m.init(like=backend.arr(t)), backend.arr(logits), backend.arr(t))
    assert float(backend.np(m.compute(s))) == pytest.approx(1.0)
    m = M.auc(curve="PR")
    s = m.update(m.init(like=backend.arr(t)), backend.arr(good), backend.arr(t))
    assert float(backend.np(m.compute(s))) == pytest.approx(1.0, abs=1e-6)


@pytest.mark.parametrize("curve", ["ROC", "PR"])
def test_auc_equals_keras(backend, curve):
    """The same thresholds and interpolation as keras.metrics.AUC: equal to float32 rounding."""
    keras = pytest.importorskip("keras")
    rng = np.random.default_rng(11)
    p, t = _binary(rng, 257, 2)
    m = M.auc(curve=curve)
    state = m.init(like=backend.arr(p))
    for lo in range(0, 257, 64):
        state = m.update(state, backend.arr(p[lo:lo + 64]), backend.arr(t[lo:lo + 64]))
    ref = keras.metrics.AUC(curve=curve)
    ref.update_state(t, p)
    assert float(backend.np(m.compute(state))) == pytest.approx(float(ref.result()), abs=2e-6)


def test_one_hot_targets_and_ignored_labels(backend):
    rng = np.random.default_rng(0)
    logits, labels = _multiclass(rng, 50, 4)
    onehot = np.eye(4, dtype=np.float32)[labels]
    m = M.accuracy()
    a = m.compute(m.update(m.init(like=backend.arr(logits)), backend.arr(logits),
                           backend.arr(onehot)))
    assert float(backend.np(a)) == pytest.approx(sk.accuracy_score(labels, logits.argmax(-1)))
    # label -1 counts nowhere in the per-class metrics (an ignore label)
    masked = labels.copy()
    masked[:10] = -1
    m = M.mean_iou(4)
    v = m.compute(m.update(m.init(like=backend.arr(logits)), backend.arr(logits[10:]),
                           backend.arr(masked[10:])))
    s = m.init(like=backend.arr(logits))
    s = m.update(s, backend.arr(logits), backend.arr(masked))
    # predictions of ignored samples still count as predictions, so compare the tp counts only
    assert backend.np(s["tp"]).sum() == (logits[10:].argmax(-1) == labels[10:]).sum()
    assert 0 <= float(backend.np(v)) <= 1


def test_every_metric_under_jit(backend):
    """One compiled function updates and computes every metric (one compile per backend);
    equal to the eager result."""
    rng = np.random.default_rng(3)
    logits, labels = _multiclass(rng, 64, 5)
    probs, blabels = _binary(rng, 64, 5)
    reg_p, reg_t = _regression(rng, 64, 5)
    names = list(CASES)
    if backend.name == "torch":  # dynamo's tracing is slow: one metric of each update path
        names = ["mse", "top3_accuracy", "f1_binary", "auc_pr", "mean_iou"]
    metrics = {name: CASES[name][0](5) for name in names}
    kinds = {name: ("reg" if CASES[name][1] is _regression else
                    "bin" if CASES[name][1] is _binary or name.startswith("auc") else "multi")
             for name in names}
    inputs = {"multi": (logits, labels), "bin": (probs, blabels), "reg": (reg_p, reg_t)}

    def step(states, lg, lb, pr, bl, rp, rt):
        args = {"multi": (lg, lb), "bin": (pr, bl), "reg": (rp, rt)}
        new = {k: m.update(states[k], *args[kinds[k]]) for k, m in metrics.items()}
        return new, {k: m.compute(new[k]) for k, m in metrics.items()}

    flat = [backend.arr(a) for pair in inputs.values() for a in pair]
    states = M.init_all(metrics, flat[0])
    eager_states, eager = step(states, *flat)
    # torch: dynamo traces the whole function as one graph (fullgraph); the "eager" backend
    # skips inductor's code generation, which takes over a minute on a 2-core CI machine
    jitted = xops.jit(step, options={"torch": {"backend": "eager", "fullgraph": True}})
    jit_states, compiled = jitted(states, *flat)
    jit_states, compiled = jitted(jit_states, *flat)  # fed its own state (no retrace needed)
    eager_states, eager = step(eager_states, *flat)
    for k in metrics:
        assert backend.is_native(compiled[k])
        np.testing.assert_allclose(backend.np(compiled[k]), backend.np(eager[k]), rtol=1e-5,
                                   atol=1e-6, err_msg=k)
        p, t = inputs[kinds[k]]
        twice_p, twice_t = np.concatenate([p, p]), np.concatenate([t, t])
        ref = CASES[k][2](twice_p, twice_t, 5)
        assert float(backend.np(compiled[k])) == pytest.approx(ref, abs=CASES[k][3],
                                                               rel=CASES[k][3]), k


def test_bad_arguments():
    with pytest.raises(ValueError, match="num_classes"):
        M.precision(average="macro")
    with pytest.raises(ValueError, match="average"):
        M.recall(3, average="weighted")
    with pytest.raises(ValueError, match="curve"):
        M.auc(curve="DET")
    with pytest.raises(ValueError, match="k must"):
        M.accuracy(0)
    with pytest.raises(ValueError, match="like="):
        M.mean().init()
