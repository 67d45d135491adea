"""The optimizers' update rules in the book's notation, as MathML: maths the browser typesets
itself (MathML Core), in the app and in an exported file alike, with no maths library to load."""

from __future__ import annotations


def _tag(name: str, *parts: str) -> str:
    return f"<{name}>{''.join(parts)}</{name}>"


def mi(name: str) -> str:
    return _tag("mi", name)


def mo(op: str) -> str:
    return _tag("mo", op)


def mn(number: str) -> str:
    return _tag("mn", number)


def row(*parts: str) -> str:
    return _tag("mrow", *parts)


def frac(top: str, bottom: str) -> str:
    return _tag("mfrac", row(top), row(bottom))


def sub(base: str, index: str) -> str:
    return _tag("msub", base, index)


def sup(base: str, power: str) -> str:
    return _tag("msup", base, power)


def sqrt(*parts: str) -> str:
    return _tag("msqrt", *parts)


def paren(*parts: str) -> str:
    return row(mo("("), *parts, mo(")"))


# The pieces the rules share: an example's index, a batch's size, the batch mean of a gradient.
EXAMPLE = paren(mi("i"))
BATCH = row(mo("|"), mi("B"), mo("|"))
SUM = _tag("munder", mo("∑"), row(mi("i"), mo("∈"), mi("B")))
RESIDUAL = paren(
    sup(mi("w"), mi("⊤")), sup(mi("x"), EXAMPLE), mo("+"), mi("b"), mo("−"), sup(mi("y"), EXAMPLE)
)
MEAN_GRADIENT = row(
    mi("g"),
    mo("="),
    frac(mn("1"), BATCH),
    SUM,
    sup(mi("∇ℓ"), EXAMPLE),
    paren(mi("θ")),
)
STEP_SCALED = row(mo("−"), frac(row(mi("η"), mi("g")), row(sqrt(mi("s")), mo("+"), mi("ε"))))


def _beta(k: int) -> str:
    return sub(mi("β"), mn(str(k)))


def _update(target: str, *value: str) -> str:
    return row(mi(target), mo("←"), *value)


RULES: dict[str, list[str]] = {
    "sgd": [
        _update("w", mi("w"), mo("−"), frac(mi("η"), BATCH), SUM, sup(mi("x"), EXAMPLE), RESIDUAL),
        _update("b", mi("b"), mo("−"), frac(mi("η"), BATCH), SUM, RESIDUAL),
    ],
    "momentum": [
        MEAN_GRADIENT,
        _update("v", mi("μ"), mi("v"), mo("+"), mi("g")),
        row(
            mi("θ"),
            mo("="),
            paren(mi("w"), mo(","), mi("b")),
            mo("←"),
            mi("θ"),
            mo("−"),
            mi("η"),
            mi("v"),
        ),
    ],
    "nesterov": [
        MEAN_GRADIENT,
        _update("v", mi("μ"), mi("v"), mo("+"), mi("g")),
        _update("θ", mi("θ"), mo("−"), mi("η"), paren(mi("g"), mo("+"), mi("μ"), mi("v"))),
    ],
    "adagrad": [
        MEAN_GRADIENT,
        _update("s", mi("s"), mo("+"), sup(mi("g"), mn("2"))),
        _update("θ", mi("θ"), STEP_SCALED),
    ],
    "rmsprop": [
        MEAN_GRADIENT,
        _update(
            "s",
            mi("α"),
            mi("s"),
            mo("+"),
            paren(mn("1"), mo("−"), mi("α")),
            sup(mi("g"), mn("2")),
        ),
        _update("θ", mi("θ"), STEP_SCALED),
    ],
    "adam": [
        MEAN_GRADIENT,
        _update("m", _beta(1), mi("m"), mo("+"), paren(mn("1"), mo("−"), _beta(1)), mi("g")),
        _update(
            "v",
            _beta(2),
            mi("v"),
            mo("+"),
            paren(mn("1"), mo("−"), _beta(2)),
            sup(mi("g"), mn("2")),
        ),
        _update(
            "θ",
            mi("θ"),
            mo("−"),
            frac(
                row(mi("η"), frac(mi("m"), row(mn("1"), mo("−"), sup(_beta(1), mi("t"))))),
                row(
                    sqrt(frac(mi("v"), row(mn("1"), mo("−"), sup(_beta(2), mi("t"))))),
                    mo("+"),
                    mi("ε"),
                ),
            ),
        ),
    ],
}


def rule_mathml(rule: str) -> str:
    """The rule's formulas, each its own <math> element (a line may break between them)."""
    return "".join(f'<math display="inline">{formula}</math>' for formula in RULES[rule])
