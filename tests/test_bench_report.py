"""benchmarks/report.py's pure parts: statistics, tables, the plot, skipped peers, the worker
protocol. Timings are never asserted (only numpy runs, with one short round)."""
from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path

import numpy as np
import pytest

_PATH = Path(__file__).resolve().parents[1] / "benchmarks" / "report.py"


def _load():
    if "bench_report" not in sys.modules:
        spec = importlib.util.spec_from_file_location("bench_report", _PATH)
        mod = importlib.util.module_from_spec(spec)
        sys.modules["bench_report"] = mod  # dataclasses look their module up
        spec.loader.exec_module(mod)
    return sys.modules["bench_report"]


R = _load()
import _peers  # noqa: E402 - on sys.path once report.py is loaded

TINY = R.Mode(rounds=2, budget_s=1e-5, jit_rounds=1, jit_budget_s=1e-5, jit_batch=2, jit_dim=4,
              train_repeats=1, train_steps=1, jit_backends=(), train_backends=())


def _ratio(v, lo=None, hi=None):
    lo, hi = v * 0.9 if lo is None else lo, v * 1.1 if hi is None else hi
    return R.Ratio(v, R.Stats(v, lo, hi, lo, hi, 5), v * 2.0, 2.0)


def _rows():
    rows = []
    for b, base in (("numpy", 1.5), ("torch", 1.2)):
        for case in ("add@4", "exp@4", "add@64x64"):
            rows.append(R.Row(b, case, R.Stats(2.0, 1.9, 2.1, 1.8, 2.2, 5), {
                "xops": _ratio(base), "array-api-compat": _ratio(1.0),
                "array-api-compat+ns": "not installed", "autoray": _ratio(2.0),
                "keras.ops": _ratio(20.0)}))
    return rows


def test_summarize():
    s = R.summarize([5.0, 1.0, 3.0, 2.0, 4.0])
    assert (s.median, s.q1, s.q3, s.lo, s.hi, s.n) == (3.0, 2.0, 4.0, 1.0, 5.0, 5)
    one = R.summarize([7.0])
    assert (one.median, one.q1, one.q3) == (7.0, 7.0, 7.0)
    with pytest.raises(ValueError):
        R.summarize([])


def test_ratio_is_of_medians_and_its_spread_brackets_it():
    r = R.ratio([2e-6, 3e-6, 4e-6, 9e-6], [1e-6, 1e-6, 2e-6, 1e-6])
    assert r.value == pytest.approx(3.5)
    assert r.spread.q1 <= r.value <= r.spread.q3
    assert (r.impl_us, r.native_us) == (pytest.approx(3.5), pytest.approx(1.0))
    assert R.geomean([1.0, 4.0]) == pytest.approx(2.0)


def test_interleaved_rotates_flips_and_discards_the_warmup_round():
    calls = []

    def thunk(name):
        def f():
            calls.append(name)
            return float(len(calls))
        return f
    out = R.interleaved({k: thunk(k) for k in "abc"}, rounds=3)
    assert {k: len(v) for k, v in out.items()} == {"a": 3, "b": 3, "c": 3}
    rounds = [calls[i:i + 3] for i in range(0, 12, 3)]
    assert rounds == [list("abc"), list("acb"), list("cab"), list("cba")]
    assert out["a"] == [4.0, 8.0, 12.0]  # round 0 (the warm-up) is dropped


def test_time_case_reports_failures_and_wrong_results():
    a = np.arange(4, dtype=np.float32)

    def boom(x, y):
        raise RuntimeError("nope")
    samples, errors = R.time_case({"native": np.add, "xops": np.add, "bad": boom,
                                   "wrong": np.subtract}, (a, a), R._same, R._same, 2, 1e-5)
    assert set(samples) == {"native", "xops"}
    assert all(len(v) == 2 and all(t > 0 for t in v) for v in samples.values())
    assert errors["bad"].startswith("RuntimeError") and "differs" in errors["wrong"]


def test_tables():
    assert R.fmt_ratio(_ratio(1.5, 1.25, 1.75)) == "1.50× (1.25–1.75)"
    assert R.fmt_ratio("not installed") == "not installed"
    text = R.eager_table(_rows(), ["xops", "array-api-compat+ns", "keras.ops"])
    lines = text.splitlines()
    assert [c.strip() for c in lines[0].strip("|").split("|")] == [
        "backend", "op@shape", "native µs", "xops", "array-api-compat+ns", "keras.ops"]
    assert set(lines[1]) <= {"|", "-"}
    assert len(lines) == 2 + len(_rows())
    assert len({len(ln) for ln in lines}) == 1  # padded columns
    assert "| numpy " in lines[2] and "1.50×" in lines[2] and "not installed" in lines[2]
    c = R.Compiled("jax", "f", "jax.jit", _ratio(1.02))
    t = R.compiled_table([c, R.Compiled("torch", "f", "-", None, "timed out")],
                         lambda b: "≤ 1.02×", "µs")
    assert "1.02×" in t and "timed out" in t


def test_headline_uses_the_small_shape():
    rows = _rows()
    h = R.headline(rows)
    assert ("numpy: xops 1.5x, array-api-compat 1x (namespace cached), autoray 2x, "
            "keras.ops 20x; torch: xops 1.2x") in h
    for r in rows:
        r.cells["array-api-compat+ns"] = _ratio(3.0)
    assert "array-api-compat 3x (1x with the namespace cached)" in R.headline(rows)
    for r in rows:
        r.cells["array-api-compat"] = "n/a"
    assert "xops 1.5x, array-api-compat 3x, autoray" in R.headline(rows)


def test_plot_on_synthetic_data(tmp_path):
    pytest.importorskip("matplotlib")
    rows = _rows() + [R.Row("jax", "add@4", None, {"xops": "native call failed: x"})]
    path = R.write_plot(rows, tmp_path / "sub" / "overhead.png")
    assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_missing_peers_are_skipped_with_a_note(monkeypatch):
    for mod in ("array_api_compat", "autoray", "keras"):
        monkeypatch.setitem(sys.modules, mod, None)  # import fails, find_spec finds nothing
    for peer in [*_peers.PEERS, _peers.KERAS]:
        assert not _peers.installed(peer)
        assert "not installed" in _peers.missing_note(peer)
    assert _peers.peer_ops("autoray", ["add"], np.zeros(2)) == "not installed"
    notes: list[str] = []
    rows = R.bench_eager("numpy", TINY, notes)
    assert len(rows) == len(R.OPS) * len(R.SHAPES) and notes == []
    for row in rows:
        assert isinstance(row.cells["xops"], R.Ratio)
        assert all(row.cells[p] == "not installed" for p in _peers.PEERS)
    text = R.render("h", [], rows, [], [], ["autoray: not installed", "autoray: not installed"],
                    None)
    assert "| xops " in text and "autoray |" not in text  # no column of a missing peer
    assert text.count("autoray: not installed") == 1


def test_unsupported_arrays_are_a_reason():
    pytest.importorskip("array_api_compat")
    got = _peers.peer_ops("array-api-compat", ["add"], object())
    assert isinstance(got, str) and got.startswith("unsupported")


def test_worker_protocol_and_keras_merge():
    payload = {"keras": "3", "keras_backend": "numpy", "cases": {
        "add@4": {"samples": {"native": [1e-6, 1e-6], "keras.ops": [5e-6, 7e-6]}, "errors": {}},
        "exp@4": {"samples": {"native": [1e-6]}, "errors": {"keras.ops": "TypeError: x"}}}}
    out = "noise\n" + R.WORKER_TAG + json.dumps(payload) + "\n"
    assert R.parse_worker_output(out, "", 0) == payload
    failed = R.parse_worker_output("", "Traceback\nImportError: no keras\n", 1)
    assert failed == "worker failed (exit 1): ImportError: no keras"
    rows = [R.Row("numpy", "add@4", None), R.Row("numpy", "exp@4", None),
            R.Row("torch", "add@4", None)]
    notes: list[str] = []
    R.merge_keras(rows, "numpy", payload, notes)
    assert rows[0].cells["keras.ops"].value == pytest.approx(6.0)
    assert rows[1].cells["keras.ops"] == "TypeError: x" and "keras.ops" not in rows[2].cells
    R.merge_keras(rows, "torch", "timed out after 300 s", notes)
    assert rows[2].cells["keras.ops"] == "n/a" and notes == ["keras.ops on torch: timed out "
                                                             "after 300 s"]


def test_a_worker_that_fails_is_a_reason():
    with R.Workers([R.Job("no-such-worker", "numpy")], timeout_s=60) as w:
        got = w.results()
    assert len(got) == 1 and got[0].startswith("worker failed (exit 2)")
    assert "invalid choice" in got[0]
