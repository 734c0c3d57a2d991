"""Checks for user ops: ``check_op(op, *shapes)`` (re-exported; see ``xops.xla._testing``)."""
from __future__ import annotations

from ._testing import check_op

__all__ = ["check_op"]
