"""The docs stay true to the tree: every repository path (``xops/...``, ``tests/...``,
``docs/...``, ``benchmarks/...``, ``examples/...``, ``.ci/...``) and every ``xops.*`` module a
doc or the README names exists, and no doc points outside the repository."""
from __future__ import annotations

import importlib
import pathlib
import re

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[1]
DOCS = sorted([ROOT / "README.md", ROOT / "CHANGELOG.md", *(ROOT / "docs").glob("*.md")])
_PATH = re.compile(r"(?<![\w./-])((?:xops|tests|docs|benchmarks|examples|\.ci)/[\w./-]*[\w])")
_MODULE = re.compile(r"`(xops(?:\.[a-z_][a-z_0-9]*)+)")


def _ids(p: pathlib.Path) -> str:
    return str(p.relative_to(ROOT))


@pytest.mark.parametrize("doc", DOCS, ids=_ids)
def test_paths_a_doc_names_exist(doc):
    text = doc.read_text()
    missing = []
    for m in _PATH.finditer(text):
        p = m.group(1).rstrip(".")
        if text[m.end():m.end() + 1] in "<{*":  # a pattern (specs_<concern>.py), not a path
            continue
        if not (ROOT / p).exists():
            missing.append(p)
    assert not missing, f"{_ids(doc)} names paths that do not exist: {sorted(set(missing))}"
    assert "/shared/" not in text and "DESIGN.md" not in text, \
        f"{_ids(doc)} points outside the repository"


@pytest.mark.parametrize("doc", DOCS, ids=_ids)
def test_modules_a_doc_names_import(doc):
    bad = []
    for m in _MODULE.finditer(doc.read_text()):
        dotted = m.group(1)
        parts = dotted.split(".")
        # the longest importable prefix, then attributes on it
        for i in range(len(parts), 0, -1):
            try:
                obj = importlib.import_module(".".join(parts[:i]))
            except ImportError:
                continue
            try:
                for attr in parts[i:]:
                    obj = getattr(obj, attr)
            except AttributeError:
                bad.append(dotted)
            break
        else:
            bad.append(dotted)
    assert not bad, f"{_ids(doc)} names xops names that do not exist: {sorted(set(bad))}"


def test_examples_shadow_no_importable_module():
    # `python examples/x.py` puts examples/ first on sys.path: an example named like a package
    # (examples/distributed.py did) hides it from every other example (dask.distributed failed)
    import importlib.util
    clash = [p.name for p in sorted((ROOT / "examples").glob("*.py"))
             if importlib.util.find_spec(p.stem) is not None]
    assert not clash, f"examples named like importable modules: {clash}"


def test_the_jax_sharding_table_is_current():
    pytest.importorskip("jax")
    from .sharded.jax_table import OUT, markdown
    assert OUT.read_text() == markdown(), \
        "docs/distributed_jax.md is stale: python -m tests.sharded.jax_table"


def test_the_tensorflow_mirrored_table_is_current():
    """docs/distributed_tf.md has a row for every registry op and its counts are its rows'.
    The page comes from a sweep that needs 2 logical CPU devices (tests/sharded/
    test_tf_mirrored.py, which compares each op's cell with a fresh sweep); here, without
    tensorflow, it must at least name the ops the registry has now."""
    import collections
    import re

    from xops.numpy_api import REGISTRY

    from .sharded.tf_table import OUT, STATUSES, listed_ops
    from .specs import DTYPE_ONLY
    text = OUT.read_text()
    ops, want = listed_ops(text), {n for n in REGISTRY if n not in DTYPE_ONLY}
    assert len(ops) == len(set(ops)) and set(ops) == want, (
        f"docs/distributed_tf.md is stale (missing {sorted(want - set(ops))}, extra "
        f"{sorted(set(ops) - want)}): XOPS_SHARDED=tensorflow XOPS_TF_TABLE=1 python -m pytest "
        "-q tests/sharded/test_tf_mirrored.py")
    cells = collections.Counter(re.findall(r"^\| `[\w.]+` \| ([\w/]+)", text, re.M))
    counted = dict(re.findall(r"^\| ([\w/]+) \| (\d+) \|$", text, re.M))
    assert {s: int(counted[s]) for s in STATUSES} == {s: cells[s] for s in STATUSES}
