"""The README's engine example prints what the README shows it printing."""

import contextlib
import io
import re
from pathlib import Path

README = Path(__file__).resolve().parents[1] / "README.md"


def engine_section() -> str:
    text = README.read_text(encoding="utf-8")
    start = text.index("\n## The engine\n")
    end = text.find("\n## ", start + 1)
    return text[start : None if end == -1 else end]


def test_the_engine_example_prints_the_lines_the_readme_shows():
    section = engine_section()
    code = re.search(r"```python\n(.*?)```", section, re.DOTALL).group(1)
    shown = re.search(r"```text\n(.*?)```", section, re.DOTALL).group(1)
    printed = io.StringIO()
    with contextlib.redirect_stdout(printed):
        exec(compile(code, "README.md", "exec"), {})
    assert re.fullmatch(r"(epoch \d, loss \d+\.\d{6}\n)+", shown)
    assert printed.getvalue() == shown
