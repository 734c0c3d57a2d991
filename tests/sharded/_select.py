"""Which engines a sharded run selects: ``XOPS_SHARDED`` is ``1``/``all`` or a comma list of
engines (``jax``, ``torch``, ``tensorflow``); unset, the main suite skips the folder."""
from __future__ import annotations

import os

import pytest


def require(engine: str) -> None:
    """Skip the calling test module unless XOPS_SHARDED selects ``engine`` (call at import)."""
    sel = os.environ.get("XOPS_SHARDED", "")
    if not sel:
        pytest.skip("the sharded suite runs in its own pytest process (make test: "
                    "XOPS_SHARDED=1)", allow_module_level=True)
    if sel not in ("1", "all") and engine not in sel.split(","):
        pytest.skip(f"XOPS_SHARDED={sel} does not select {engine}", allow_module_level=True)
