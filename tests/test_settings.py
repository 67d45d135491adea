"""Controls in the URL: every control round-trips exactly; a bad value falls back with a notice."""

import pytest

from linreg_viz import settings
from linreg_viz.i18n import translator
from linreg_viz.settings import FIELDS, from_query, to_query

CHANGED = {
    "lang": "zh",
    "projection": True,
    "d": 1,
    "w1": -1.25,
    "w2": 0.7,
    "b": 3.3,
    "noise": 0.5,
    "n": 2345,
    "seed": 17,
    "lr": 0.0123456789,
    "batch_size": 7,
    "epochs": 12,
    "optimizer": "adam",
    "init": "custom",
    "w0_1": -3.5,
    "w0_2": 2.25,
    "b0": 1.5,
    "landscape": "contour",
    "axis_a": "b",
    "axis_b": "w1",
    "speed": "fast",
    "arrows": False,
    "weight_decay": 0.05,
    "loss": "mse",
    "drop_last": True,
    "divide_by": "batch_size",
    "engine": "torch",
    "dtype": "float32",
    "runs": "sgd:0.03:10;adam:0.1x:n:1.0,2.0,3.0",
    # each optimizer's options, in the advanced expander
    "sgd_momentum": 0.5,
    "sgd_dampening": 0.25,
    "momentum_momentum": 0.8,
    "momentum_dampening": 0.1,
    "nesterov_momentum": 0.95,
    "adagrad_lr_decay": 0.01,
    "adagrad_initial_accumulator_value": 0.1,
    "adagrad_eps": 1e-6,
    "rmsprop_alpha": 0.9,
    "rmsprop_eps": 1e-6,
    "rmsprop_momentum": 0.5,
    "rmsprop_centered": True,
    "adam_beta1": 0.8,
    "adam_beta2": 0.99,
    "adam_eps": 1e-7,
    "adam_amsgrad": True,
    # the conditioning lesson's
    "scale": 10.0,
    "rho": -0.5,
    "lr_ratio": 0.9,
    "full_batch": False,
    "steps": 500,
}


def test_every_control_has_a_changed_value_here():
    assert set(CHANGED) == set(FIELDS)
    assert all(CHANGED[name] != field.default for name, field in FIELDS.items())


def test_every_control_round_trips_exactly():
    query = to_query(CHANGED)
    assert all(isinstance(v, str) for v in query.values())
    values, notices = from_query(query)
    assert notices == []
    assert values == CHANGED
    assert from_query(to_query(settings.defaults())) == (settings.defaults(), [])


@pytest.mark.parametrize(
    ("name", "raw"),
    [
        ("lr", "abc"),
        ("lr", "-1"),
        ("lr", "nan"),
        ("lr", "inf"),
        ("lr", "1e9"),
        ("n", "1.5"),
        ("n", "0"),
        ("n", "10000000"),
        ("epochs", "999"),
        ("d", "3"),
        ("optimizer", "lbfgs"),
        ("lang", "fr"),
        ("projection", "yes"),
        ("seed", "-1"),
        ("speed", ""),
        ("noise", "-0.1"),
        # digits Python's int() and float() take but no link of this app carries
        ("epochs", "٥"),
        ("lr", "０.０５"),
        ("epochs", "1_0"),
        ("lr", "0.0_5"),
        ("seed", "５"),
        ("n", "１００"),
        ("w1", "1_0"),
        ("b", "٣.٥"),
        ("weight_decay", "-0.1"),
        ("loss", "l1"),
        ("engine", "jax"),
        ("dtype", "float16"),
        # an optimizer's option outside the engine's interval
        ("momentum_momentum", "1"),
        ("adam_beta2", "-0.1"),
        ("adagrad_eps", "0"),
        ("rmsprop_centered", "true"),
    ],
)
def test_a_bad_url_value_falls_back_to_its_default_with_a_notice(name, raw):
    values, notices = from_query({name: raw, "epochs": "7"} if name != "epochs" else {name: raw})
    assert values[name] == FIELDS[name].default
    assert [(n.key, n.field, n.value) for n in notices] == [("url_notice", name, raw)]
    key, fields = notices[0].allowed
    for lang in ("en", "zh"):  # says what is allowed, in either language
        assert translator(lang)(key, **fields)
    if name != "epochs":
        assert values["epochs"] == 7  # the good values of the same link are kept


def test_batch_larger_than_n_and_equal_axes_are_caught():
    values, notices = from_query({"n": "50", "batch_size": "80", "axis_a": "b", "axis_b": "b"})
    assert values["batch_size"] <= 50 and values["axis_a"] != values["axis_b"]
    assert {notice.field for notice in notices} == {"batch_size", "axis_b"}


def test_ascii_numbers_in_every_form_a_link_carries_are_taken():
    query = {
        "lr": "5e-04",
        "w1": "-2.",
        "w2": ".5",
        "b": "+3",
        "noise": "1E-2",
        "seed": "007",
        "epochs": " 12 ",
        "n": "2345",
    }
    values, notices = from_query(query)
    assert notices == []
    taken = {name: values[name] for name in query}
    assert taken == {
        "lr": 5e-04,
        "w1": -2.0,
        "w2": 0.5,
        "b": 3.0,
        "noise": 0.01,
        "seed": 7,
        "epochs": 12,
        "n": 2345,
    }


def test_every_fields_contract_is_kept():
    """Names and accepted values of the URL stay as links already shared carry them."""
    accepted = {
        name: (False, True)
        if field.kind is bool
        else field.allows or field.choices or field.interval or (field.low, field.high)
        for name, field in FIELDS.items()
    }
    assert accepted == {
        "lang": ("en", "zh"),
        "projection": (False, True),
        "d": (1, 2),
        "w1": (-10, 10),
        "w2": (-10, 10),
        "b": (-10, 10),
        "noise": (0, 10),
        "n": (2, 100_000),
        "seed": (0, 2**31 - 1),
        "lr": (1e-12, 100),  # widened from 1e-4 (raw CSV features): old links still hold
        "batch_size": (1, 100_000),
        "epochs": (1, 50),
        "optimizer": ("sgd", "momentum", "nesterov", "adagrad", "rmsprop", "adam"),
        "init": ("book", "custom"),
        "w0_1": (-20, 20),
        "w0_2": (-20, 20),
        "b0": (-20, 20),
        "landscape": ("both", "contour", "surface"),
        "axis_a": ("w1", "w2", "b"),
        "axis_b": ("w1", "w2", "b"),
        "speed": ("slow", "normal", "fast"),
        "arrows": (False, True),
        "weight_decay": (0, 10),
        "loss": ("half_mse", "mse"),
        "drop_last": (False, True),
        "divide_by": ("batch_length", "batch_size"),
        "engine": ("numpy", "torch"),
        "dtype": ("float64", "float32"),
        "runs": (
            "allowed_runs",
            {
                "presets": "batch, optimizers, limit",
                "most": 4,
                "optimizers": "sgd|momentum|nesterov|adagrad|rmsprop|adam",
            },
        ),
        "sgd_momentum": "[0, 1)",
        "sgd_dampening": "[0, 1)",
        "momentum_momentum": "[0, 1)",
        "momentum_dampening": "[0, 1)",
        "nesterov_momentum": "(0, 1)",
        "adagrad_lr_decay": "[0, inf)",
        "adagrad_initial_accumulator_value": "[0, inf)",
        "adagrad_eps": "(0, inf)",
        "rmsprop_alpha": "[0, 1)",
        "rmsprop_eps": "(0, inf)",
        "rmsprop_momentum": "[0, 1)",
        "rmsprop_centered": (False, True),
        "adam_beta1": "[0, 1)",
        "adam_beta2": "[0, 1)",
        "adam_eps": "(0, inf)",
        "adam_amsgrad": (False, True),
        "scale": (0.01, 100),
        "rho": (-0.99, 0.99),
        "lr_ratio": (0.01, 100),
        "full_batch": (False, True),
        "steps": (10, 3000),
    }
    for speed in ("slow", "normal", "fast"):
        assert from_query({"speed": speed}) == ({**settings.defaults(), "speed": speed}, [])
    ends = {name: (f.low, f.high) for name, f in FIELDS.items() if f.low is not None}
    for name, (low, high) in ends.items():
        for value in (low, high):
            query = {name: FIELDS[name].format(value)}
            if name == "batch_size":
                query["n"] = str(FIELDS["n"].high)
            assert from_query(query)[0][name] == value, (name, value)


def test_integer_ranges_are_said_in_full():
    key, fields = FIELDS["seed"].allowed()
    assert translator("en")(key, **fields) == "an integer from 0 to 2,147,483,647"
    assert translator("zh")(key, **fields) == "0 到 2,147,483,647 的整数"
    key, fields = FIELDS["lr"].allowed()
    assert translator("en")(key, **fields) == "a number from 1e-12 to 100"


def test_unknown_parameters_are_ignored_with_a_notice():
    values, notices = from_query({"utm_source": "wechat"})
    assert values == settings.defaults()
    assert [(n.key, n.field) for n in notices] == [("url_unknown", "utm_source")]


def test_a_link_with_many_unknown_parameters_gets_a_few_notices():
    values, notices = from_query({f"p{i}": "1" for i in range(1000)})
    assert values == settings.defaults()
    assert [n.field for n in notices[:-1]] == ["p0", "p1", "p2"]
    assert (notices[-1].key, notices[-1].count) == ("url_unknown_more", 997)


def test_a_repeated_parameter_uses_its_last_value_with_a_notice():
    values, notices = from_query({"epochs": ["4", "9"], "lr": ["0.1"]})
    assert (values["epochs"], values["lr"]) == (9, 0.1)
    assert [(n.key, n.field, n.value, n.count) for n in notices] == [
        ("url_repeated", "epochs", "9", 2)
    ]
    values, notices = from_query({"epochs": ["4", "banana"]})  # the last is bad: its default
    assert values["epochs"] == FIELDS["epochs"].default
    assert [n.key for n in notices] == ["url_repeated", "url_notice"]


def test_an_advanced_control_is_in_a_link_only_when_changed():
    query = to_query(settings.defaults())
    assert not any(name in query for name in settings.OPTION_FIELDS)
    assert {"lr", "speed", "optimizer"} <= set(query)  # the others always
    changed = to_query(settings.defaults() | {"adam_beta1": 0.8})
    assert changed["adam_beta1"] == "0.8"


def test_the_chosen_optimizers_options_are_the_engines_keywords():
    values = settings.defaults() | CHANGED
    assert settings.optimizer_options(values) == {
        "betas": (0.8, 0.99),
        "eps": 1e-7,
        "amsgrad": True,
    }
    values["optimizer"] = "rmsprop"
    assert settings.optimizer_options(values)["centered"] is True
