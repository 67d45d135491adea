"""The live update equation: each step's numbers, recomputed by the rule, give the engine's step."""

from __future__ import annotations

from xml.etree import ElementTree

import numpy as np
import pytest

from linreg_core import OPTIMIZERS, run
from linreg_core.dataset import describe
from linreg_core.plan import TrainSpec, keyword_plan
from linreg_viz.player import decode, payload
from linreg_viz.timeline import make_timeline
from linreg_viz.view_spec import ViewSpec
from tests import book

X, Y = book.data(205, noise=0.1, seed=4)
LR = {
    "sgd": 0.03,
    "momentum": 0.03,
    "nesterov": 0.03,
    "adagrad": 0.3,
    "rmsprop": 0.01,
    "adam": 0.05,
}


def shown(optimizer: str, batch_size: int = 10, options=None, loss="half_mse", weight_decay=0.0):
    """The run, and the columns and equation header the player gets for it."""
    options = options or {}
    lr = LR[optimizer]
    trajectory = run(
        X,
        Y,
        optimizer=optimizer,
        lr=lr,
        batch_size=batch_size,
        epochs=2,
        loss=loss,
        weight_decay=weight_decay,
        **options,
    )
    spec = TrainSpec(
        lr=lr,
        batch_size=batch_size,
        optimizer=optimizer,
        options=options,
        loss=loss,
        weight_decay=weight_decay,
    )
    tl = make_timeline(trajectory, describe(X, Y), spec)
    blob = payload(tl, spec, ViewSpec(), charts={})
    header, cols = decode(blob)
    return trajectory, header["equation"], cols


def vector(cols, group, k):
    return np.array([cols[name][k] for name in group], dtype=np.float64)


def step_by_rule(optimizer, eq, cols, k):
    """θ after update k from what the equation shows: θ before, g, the state, the constants."""
    c, groups = eq["constants"], eq["groups"]
    theta, g = vector(cols, groups["theta_prev"], k), vector(cols, groups["g"], k)
    if optimizer == "sgd":
        return theta - c["lr"] * g
    if optimizer == "momentum":
        return theta - c["lr"] * vector(cols, groups["v"], k)
    if optimizer == "nesterov":
        return theta - c["lr"] * (g + c["mu"] * vector(cols, groups["v"], k))
    s = vector(cols, groups["s"] if optimizer != "adam" else groups["v"], k)
    if optimizer in ("adagrad", "rmsprop"):
        return theta - c["lr"] * g / (np.sqrt(s) + c["eps"])
    t = cols["step"][k]
    m_hat = vector(cols, groups["m"], k) / (1 - c["beta1"] ** t)
    return theta - c["lr"] * m_hat / (np.sqrt(s / (1 - c["beta2"] ** t)) + c["eps"])


@pytest.mark.parametrize("optimizer", list(OPTIMIZERS))
def test_each_steps_numbers_give_the_engines_step(optimizer):
    trajectory, eq, cols = shown(optimizer)
    assert eq["rule"] and "{" in eq["numbers"]
    for k in (1, 2, 20, 21, 41):  # 21 updates an epoch: 41 is the second epoch's short batch
        after = vector(cols, eq["groups"]["theta"], k)
        np.testing.assert_allclose(
            step_by_rule(optimizer, eq, cols, k), after, rtol=2e-5, atol=2e-6
        )
        assert cols["bsz"][k] == (5 if k % 21 == 0 else 10)
    assert np.all(np.isnan(vector(cols, eq["groups"]["g"], 0)))  # the start: no update


def test_the_gradient_shown_is_the_minibatchs():
    """g of update k is the mean gradient over the batch the engine drew for it."""
    trajectory, eq, cols = shown("sgd")
    plan = keyword_plan(X, Y, lr=LR["sgd"], batch_size=10, epochs=2)
    rng, _ = plan.start()
    orders = list(plan.epoch_orders(rng))
    for k in (1, 7, 21, 30):
        epoch, within = divmod(k - 1, 21)
        batch = orders[epoch][within * 10 : within * 10 + 10]
        w, b = trajectory.path_w[k - 1], trajectory.path_b[k - 1]
        residual = X[batch] @ w + b - Y[batch]
        expected = np.append(X[batch].T @ residual, residual.sum()) / len(batch)
        np.testing.assert_allclose(vector(cols, eq["groups"]["g"], k), expected, rtol=1e-5)


def test_the_equation_speaks_both_languages():
    for lang in ("en", "zh"):
        trajectory = run(X, Y, optimizer="adam", lr=0.05)
        spec = TrainSpec(optimizer="adam", lr=0.05)
        tl = make_timeline(trajectory, describe(X, Y), spec)
        header, _ = decode(payload(tl, spec, ViewSpec(lang=lang), charts={}))
        eq = header["equation"]
        assert "<msub><mi>β</mi><mn>1</mn></msub>" in eq["rule"] and eq["start"]


@pytest.mark.parametrize(
    ("optimizer", "rule", "options", "loss", "weight_decay", "notes"),
    [
        ("sgd", "sgd", {}, "mse", 0.0, ["twice the book's"]),
        ("sgd", "sgd", {}, "half_mse", 0.3, ["λ = 0.3"]),
        ("sgd", "momentum", {"momentum": 0.5}, "half_mse", 0.0, []),
        ("momentum", "momentum", {"momentum": 0.6, "dampening": 0.3}, "mse", 0.2, ["dampening"]),
        ("nesterov", "nesterov", {"momentum": 0.5}, "half_mse", 0.1, ["λ = 0.1"]),
        ("adagrad", "adagrad", {"eps": 1e-3}, "half_mse", 0.0, []),
        ("rmsprop", "rmsprop", {"alpha": 0.9, "centered": True}, "half_mse", 0.0, ["centered"]),
        ("adam", "adam", {"betas": (0.8, 0.99), "eps": 1e-6}, "mse", 0.1, ["twice", "λ = 0.1"]),
    ],
)
def test_options_weight_decay_and_mse_keep_the_numbers_the_engines(
    optimizer, rule, options, loss, weight_decay, notes
):
    """With the options the user set, the MSE loss or weight decay, the constants shown are the
    ones used, and each step recomputed from what is shown is the engine's step."""
    trajectory, eq, cols = shown(optimizer, 10, options, loss, weight_decay)
    for note in notes:
        assert any(note in text for text in eq["notes"])
    if "betas" in options:
        assert (eq["constants"]["beta1"], eq["constants"]["beta2"]) == options["betas"]
    if "momentum" in options:
        assert eq["constants"]["mu"] == options["momentum"]
    if rule == "momentum":
        assert "<mi>v</mi><mo>←</mo>" in eq["rule"] and "v" in eq["groups"]
    for k in (1, 2, 20, 21, 41):
        after = vector(cols, eq["groups"]["theta"], k)
        engine = np.append(trajectory.path_w[k], trajectory.path_b[k])
        np.testing.assert_allclose(after, engine, rtol=2e-6, atol=1e-7)
        if not options.get("centered"):  # centred RMSProp's rule is named, not written
            np.testing.assert_allclose(step_by_rule(rule, eq, cols, k), after, rtol=2e-5, atol=2e-6)


def test_a_short_last_batch_divided_by_batch_size_shows_batch_size():
    """d2l.sgd divides every batch's sum by batch_size: |B| shown is batch_size, and the step
    recomputed from the numbers shown is still the engine's."""
    trajectory = run(X, Y, lr=0.03, batch_size=10, epochs=2, divide_by="batch_size")
    spec = TrainSpec(divide_by="batch_size")
    tl = make_timeline(trajectory, describe(X, Y), spec)
    header, cols = decode(payload(tl, spec, ViewSpec(), charts={}))
    assert cols["bsz"][21] == 10  # the first epoch's short batch of 5
    np.testing.assert_allclose(
        step_by_rule("sgd", header["equation"], cols, 21),
        vector(cols, header["equation"]["groups"]["theta"], 21),
        rtol=2e-5,
        atol=2e-6,
    )


@pytest.mark.parametrize("optimizer", sorted(LR))
@pytest.mark.parametrize("lang", ["en", "zh"])
def test_each_rule_is_maths_the_browser_typesets_not_raw_latex(optimizer, lang):
    """The rule is MathML, one <math> element a formula: no TeX source such as Σ_{i∈B} shows."""
    trajectory = run(X, Y, optimizer=optimizer, lr=LR[optimizer], epochs=1)
    spec = TrainSpec(optimizer=optimizer, lr=LR[optimizer])
    tl = make_timeline(trajectory, describe(X, Y), spec)
    blob = payload(tl, spec, ViewSpec(lang=lang), charts={})
    rule = decode(blob)[0]["equation"]["rule"]
    formulas = ElementTree.fromstring(f"<rule>{rule}</rule>")
    assert len(formulas) >= 2 and all(f.tag == "math" for f in formulas), rule
    assert not (formulas.text or "").strip()
    text = "".join(formulas.itertext())
    assert "_{" not in text and "^{" not in text and "\\" not in text, text
