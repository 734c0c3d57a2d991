"""``python -m xops``: small command-line entry point."""
from __future__ import annotations

import sys

USAGE = """usage: python -m xops COMMAND

commands:
  demo     run one op written once with xops.numpy on every installed backend (numpy, jax,
           torch, tensorflow), compare each result with NumPy, and take a gradient where the
           framework has autodiff
  support-table
           print the op x backend support table (markdown; docs/support.md)
  stubs    rewrite the type stubs of xops.numpy (xops/numpy/*.pyi) from the op registry
  -h, --help
           show this message
"""


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if not args or args[0] in ("-h", "--help", "help"):
        print(USAGE, end="")
        return 0
    if args[0] == "demo" and len(args) == 1:
        from ._demo import run
        return run()
    if args[0] == "support-table" and len(args) == 1:
        from ._support import markdown
        print(markdown(), end="")
        return 0
    if args[0] == "stubs" and len(args) == 1:
        from ._stubs import write
        for path in write():
            print(path)
        return 0
    print(f"python -m xops: unknown command {' '.join(args)!r}\n\n{USAGE}", end="",
          file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main())
