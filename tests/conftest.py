"""Shared fixtures: one ``backend`` fixture over the installed backends (``XOPS_TEST_BACKENDS``
narrows it, e.g. ``XOPS_TEST_BACKENDS=numpy,torch``), the ``needs_backend`` marker and function
(the same selection, for tests of one framework), hypothesis profiles ``ci`` and ``deep``, and the
torch test device (``XOPS_TEST_DEVICE``, e.g. ``XOPS_TEST_DEVICE=cuda``; cpu when unset)."""
from __future__ import annotations

import importlib.util
import os

import numpy as np
import pytest
from hypothesis import HealthCheck, settings

# function_scoped_fixture is suppressed: the `backend`/`dtype_backend` fixtures hold no
# per-test state (a Handle only makes and reads arrays), so @given over them is safe.
_SUPPRESS = [HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.filter_too_much,
             HealthCheck.function_scoped_fixture]
settings.register_profile("ci", max_examples=20, deadline=None, derandomize=True,
                          suppress_health_check=_SUPPRESS)
settings.register_profile("deep", max_examples=300, deadline=None,
                          suppress_health_check=_SUPPRESS)
settings.register_profile("dev", max_examples=10, deadline=None,
                          suppress_health_check=list(HealthCheck))
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))

_MODULES = {"numpy": "numpy", "jax": "jax", "torch": "torch", "tensorflow": "tensorflow"}


def _installed() -> list[str]:
    names = [n for n, m in _MODULES.items() if importlib.util.find_spec(m) is not None]
    wanted = os.environ.get("XOPS_TEST_BACKENDS")
    if wanted:
        sel = {w.strip() for w in wanted.split(",") if w.strip()}
        names = [n for n in names if n in sel]
    return names


INSTALLED = _installed()


# --- the test device ----------------------------------------------------------------------------
# Every torch tensor a test makes lives on TORCH_DEVICE: ``Handle.arr`` puts it there, and a test
# that calls a torch factory itself passes ``device=TORCH_DEVICE``. ``Handle.np`` copies a tensor
# to the host only to read it: no test moves a result to the device it expects, so a result xops
# leaves on another device fails where it meets a test-device tensor or a device check.
# jax runs on its default device, as is.
TORCH_DEVICE = os.environ.get("XOPS_TEST_DEVICE") or "cpu"

if TORCH_DEVICE != "cpu":
    # A GPU run compares with the same float32 tolerances as the CPU: full float32 matmuls and
    # convolutions, not TF32 (jax's default on GPUs; cuDNN's for torch convolutions). Set before
    # either framework loads; an explicit setting in the environment wins.
    os.environ.setdefault("NVIDIA_TF32_OVERRIDE", "0")
    os.environ.setdefault("JAX_DEFAULT_MATMUL_PRECISION", "highest")


def torch_device():
    """The torch device tests make tensors on, as ``torch.device`` (``cuda`` -> ``cuda:0``)."""
    import torch
    return torch.empty(0, device=TORCH_DEVICE).device


def pytest_report_header(config):
    return f"xops torch test device: {TORCH_DEVICE} (XOPS_TEST_DEVICE); jax: its default device"


# --- needs_backend: the one way a test says which backends it needs -----------------------------
# ``@pytest.mark.needs_backend("torch", "jax")`` on a test, class or module (``pytestmark``), or
# ``torch = needs_backend("torch")`` inside a test (or at module level). Either skips unless every
# named backend is in INSTALLED, i.e. installed and selected by XOPS_TEST_BACKENDS, exactly the
# backends the ``backend`` fixture runs over; the reason names the missing ones and why.

def _missing_reason(names) -> str | None:
    unknown = [n for n in names if n not in _MODULES]
    if unknown:
        raise ValueError(f"needs_backend: unknown backend(s) {unknown}; known: {list(_MODULES)}")
    missing = [n for n in dict.fromkeys(names) if n not in INSTALLED]
    if not missing:
        return None
    absent = [n for n in missing if importlib.util.find_spec(_MODULES[n]) is None]
    unselected = [n for n in missing if n not in absent]
    why = []
    if absent:
        why.append(f"{', '.join(absent)} not installed")
    if unselected:
        sel = os.environ.get("XOPS_TEST_BACKENDS")
        why.append(f"{', '.join(unselected)} not selected (XOPS_TEST_BACKENDS={sel})")
    return "needs backend: " + "; ".join(why)


def needs_backend(*names: str):
    """Skip the calling test (or module) unless every backend in ``names`` is installed and
    selected; return the imported framework module (a tuple of them for several names)."""
    __tracebackhide__ = True  # the skip is reported at the calling test, as importorskip's is
    if not names:
        raise ValueError("needs_backend: name at least one backend")
    reason = _missing_reason(names)
    if reason is not None:
        pytest.skip(reason, allow_module_level=True)
    mods = []
    for n in names:
        try:
            mods.append(importlib.import_module(_MODULES[n]))
        except ImportError as e:  # found but broken: skip, as pytest.importorskip did
            pytest.skip(f"could not import {n!r}: {e}", allow_module_level=True)
    return mods[0] if len(mods) == 1 else tuple(mods)


def pytest_configure(config):
    config.addinivalue_line(
        "markers", "needs_backend(*names): skip unless every named backend (numpy, jax, torch, "
                   "tensorflow) is installed and selected by XOPS_TEST_BACKENDS")


def pytest_collection_modifyitems(config, items):
    for item in items:
        names = [n for m in item.iter_markers("needs_backend") for n in m.args]
        if not names:
            continue
        reason = _missing_reason(names)
        if reason is not None:
            item.add_marker(pytest.mark.skip(reason=reason))


class Handle:
    """How tests make and read arrays of one backend (conversions live only in tests)."""

    def __init__(self, name: str, x64: bool = False) -> None:
        self.name = name
        self.x64 = x64
        self.id = name + ("_x64" if x64 else "")
        # what a ``device=`` argument (``xops.nn.load``) takes for this backend's test arrays
        self.device = TORCH_DEVICE if name == "torch" else None
        if name == "jax":
            import jax
            jax.config.update("jax_enable_x64", x64)
        import xops.backends
        self.be = xops.backends.get_backend(name)

    def __repr__(self) -> str:
        return self.id

    def holds(self, dtype) -> bool:
        return not self.be.k.unsupported_dtype(dtype)

    def arr(self, a):
        """A native array with exactly ``a``'s dtype and values."""
        a = np.asarray(a)
        n = self.name
        if n == "numpy":
            return a.copy()
        if n == "jax":
            import jax.numpy as jnp
            return jnp.asarray(a)
        if n == "torch":
            import torch
            if a.dtype.name == "bfloat16":
                t = torch.from_numpy(a.astype(np.float32)).to(torch.bfloat16)
            elif a.dtype in (np.uint16, np.uint32, np.uint64):
                t = torch.from_numpy(a.view(a.dtype.str.replace("u", "i"))).view(
                    getattr(torch, a.dtype.name)).clone()
            else:
                t = torch.from_numpy(a.copy())
            return t.to(TORCH_DEVICE)
        if n == "tensorflow":
            import tensorflow as tf
            if a.dtype.name == "bfloat16":
                return tf.cast(tf.constant(a.astype(np.float32)), tf.bfloat16)
            return tf.constant(a)
        if n == "array_api_strict":
            import array_api_strict
            return array_api_strict.asarray(a.copy())
        if n == "dask.array":
            import dask.array as da
            # small chunks, so that every op meets several of them
            return da.from_array(a.copy(), chunks=tuple(max(1, (s + 1) // 2) for s in a.shape))
        if n == "cupy":
            import cupy
            return cupy.asarray(a)
        raise AssertionError(n)

    def np(self, x):
        """A NumPy copy of a native array (or list of arrays); a torch tensor is read on the
        host (``.detach().cpu()``) wherever it lives."""
        if isinstance(x, (list, tuple)):
            return [self.np(e) for e in x]
        n = self.name
        if n == "torch":
            import torch
            x = x.detach().cpu()
            if x.dtype == torch.bfloat16:
                import ml_dtypes
                return x.float().numpy().astype(ml_dtypes.bfloat16)
            if x.dtype in (torch.uint16, torch.uint32, torch.uint64):
                signed = {torch.uint16: torch.int16, torch.uint32: torch.int32,
                          torch.uint64: torch.int64}[x.dtype]
                return x.view(signed).numpy().view(str(x.dtype).replace("torch.", ""))
            return x.resolve_conj().numpy()
        if n == "tensorflow":
            return np.asarray(x.numpy())
        if n == "array_api_strict":
            return np.from_dlpack(x).copy()
        if n == "dask.array":
            return np.asarray(x.compute())
        if n == "cupy":
            return x.get()
        return np.asarray(x)

    def key(self, seed: int):
        """An ``xops.random`` key of this backend, on the test device."""
        import xops.random as xr
        return xr.key(seed, like=self.arr(np.zeros(0, np.float32)))

    def is_native(self, x) -> bool:
        import xops
        try:
            return xops.backend(x) == self.name
        except TypeError:
            return False


_HANDLES: dict[tuple[str, bool], Handle] = {}


def handle(name: str, x64: bool = False) -> Handle:
    key = (name, x64)
    if key not in _HANDLES:
        _HANDLES[key] = Handle(name, x64)
    h = _HANDLES[key]
    if name == "jax":
        import jax
        jax.config.update("jax_enable_x64", x64)
    return h


@pytest.fixture(params=INSTALLED, ids=INSTALLED)
def backend(request) -> Handle:
    """One installed backend (jax with x64 off: what most jax users run)."""
    h = handle(request.param)
    yield h
    if request.param == "jax":
        import jax
        jax.config.update("jax_enable_x64", False)


_DT_PARAMS = [(n, False) for n in INSTALLED] + ([("jax", True)] if "jax" in INSTALLED else [])


# Array API libraries reached through array-api-compat (xops/backends/arrayapi/): the agreement
# tests run on them (tests/test_agreement.py::test_generic_agrees_with_numpy), not the whole suite.
# cupy joins where it is installed and sees a GPU (the harness then runs on device arrays).
_GENERIC_MODULES = {"array_api_strict": "array_api_strict", "dask.array": "dask", "cupy": "cupy"}


def _usable(name: str) -> bool:
    if name != "cupy":
        return True
    try:
        import cupy
        return cupy.cuda.runtime.getDeviceCount() > 0
    except Exception:  # noqa: BLE001 - no CUDA driver or device: cupy cannot make arrays
        return False


GENERIC = [n for n, m in _GENERIC_MODULES.items() if importlib.util.find_spec(m) is not None
           and importlib.util.find_spec("array_api_compat") is not None and _usable(n)]


@pytest.fixture(params=_DT_PARAMS, ids=[n + ("_x64" if x else "") for n, x in _DT_PARAMS])
def dtype_backend(request) -> Handle:
    """Every installed backend, plus jax with x64 mode on."""
    name, x64 = request.param
    h = handle(name, x64)
    yield h
    if name == "jax":
        import jax
        jax.config.update("jax_enable_x64", False)


def other_framework(name: str) -> "Handle | None":
    """A Handle of an installed framework other than ``name`` (never numpy: NumPy data join
    any one framework's arrays as host constants, docs/semantics.md), or None."""
    for n in ("torch", "jax", "tensorflow"):
        if n != name and n in INSTALLED:
            return handle(n)
    return None
