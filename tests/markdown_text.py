"""What a Markdown message shows: its code spans (shown as typed) and the text around them."""

import re

INJECTIONS = [
    "[Log in again](https://example.org/login)",
    "![x](http://127.0.0.1:9/pixel.png)",
    "<img src=http://127.0.0.1:9/a.png onerror=alert(1)>",
    "`tick` ``two`` <b>bold</b> :red[alarm] $x^2$ https://example.org",
    "L" * 10_000,
]
LIMIT = 40  # characters of user text a message repeats


def split_code_spans(markdown: str) -> tuple[list[str], str]:
    """The contents of the code spans in one line of Markdown (CommonMark's rules), and the
    text outside them."""
    spans, outside, pos = [], "", 0
    while (opening := re.compile("`+").search(markdown, pos)) is not None:
        fence = opening.group()
        closing = re.compile(f"(?<!`){fence}(?!`)").search(markdown, opening.end())
        if closing is None:  # an unmatched fence is literal text
            outside += markdown[pos : opening.end()]
            pos = opening.end()
            continue
        outside += markdown[pos : opening.start()]
        content = markdown[opening.end() : closing.start()]
        if content.startswith(" ") and content.endswith(" ") and content.strip():
            content = content[1:-1]
        spans.append(content)
        pos = closing.end()
    return spans, outside + markdown[pos:]


def assert_shown_as_typed(text: str, markdown: str) -> None:
    """The message shows `text`, cut to 40 characters, as typed: in a code span, where Markdown
    links, images, HTML and bare URLs are not made live; and nothing of it outside one."""
    cut = text[:LIMIT] + ("…" if len(text) > LIMIT else "")
    spans, outside = split_code_spans(markdown)
    assert any(span == cut or span.endswith(f"={cut}") for span in spans), (cut, markdown)
    for active in ("[", "]", "<", ">", "!", "http", "www", "$", ":red"):
        assert active not in outside, (active, markdown)
    assert len(markdown) < 400, len(markdown)
