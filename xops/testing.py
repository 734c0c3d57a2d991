"""``xops.testing``: one-line checks for user ops (re-exports ``xops.xla.testing``)."""
from __future__ import annotations

from .xla.testing import check_op

__all__ = ["check_op"]
