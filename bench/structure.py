"""How the code reads to a reviewer: its longest functions and the ones with the most parameters.

`python -m bench.structure [N]` prints the N (default 10) longest functions of the product
(app.py, pages/, ui/, linreg_core/, linreg_viz/), in lines, and the N taking the most
parameters, as Python's ast finds them.
"""

from __future__ import annotations

import ast
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PRODUCT = ("app.py", "pages", "ui", "linreg_core", "linreg_viz")


def functions(root: Path = ROOT) -> list[tuple[str, int, int]]:
    """(file:name, lines, parameters) of every function and method of the product."""
    found = []
    for part in PRODUCT:
        paths = [root / part] if part.endswith(".py") else sorted((root / part).rglob("*.py"))
        for path in paths:
            tree = ast.parse(path.read_text(encoding="utf-8"))
            for node in ast.walk(tree):
                if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                    a = node.args
                    count = len(a.posonlyargs) + len(a.args) + len(a.kwonlyargs)
                    count -= bool(a.args and a.args[0].arg in ("self", "cls"))
                    lines = node.end_lineno - node.lineno + 1
                    found.append((f"{path.relative_to(root)}:{node.name}", lines, count))
    return found


def main(top: int = 10) -> None:
    found = functions()
    print(f"{len(found)} functions; {sum(f[1] > 50 for f in found)} longer than 50 lines")
    print("\nlongest (lines):")
    for name, lines, _ in sorted(found, key=lambda f: -f[1])[:top]:
        print(f"  {lines:4d}  {name}")
    print("\nmost parameters:")
    for name, _, count in sorted(found, key=lambda f: -f[2])[:top]:
        print(f"  {count:4d}  {name}")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 10)
