"""The player's payload: a run's timeline as compact binary, and the browser code that plays it.

Layout of the bytes: a little-endian uint32 n, n bytes of JSON (the header: columns, point
count, labels, where the charts are), then every column as float32, one after the other.
The same bytes and the same script drive the app page and the exported HTML file.
"""

from __future__ import annotations

import hashlib
import json
import struct
from importlib import resources

import numpy as np

from linreg_core.limits import MAX_REPLAY
from linreg_core.optimizers import OPTIMIZERS, resolve_options
from linreg_core.plan import TrainSpec
from linreg_viz.compare_timeline import CompareTimeline
from linreg_viz.figures import MOVING
from linreg_viz.i18n import Translator, translator
from linreg_viz.timeline import Timeline
from linreg_viz.update_rules import rule_mathml
from linreg_viz.view_spec import ViewSpec

SPEEDS = {"slow": 3, "normal": 10, "fast": 30}  # steps (updates) per second of wall time
COMPARE_SPAN = 300  # a comparison plays in the time the book's run of 300 updates takes
PLAYER_JS = resources.files("linreg_viz").joinpath("player.js").read_text(encoding="utf-8")
PLAYER_CSS = resources.files("linreg_viz").joinpath("player.css").read_text(encoding="utf-8")


def _named(prefix: str, values: np.ndarray) -> dict[str, np.ndarray]:
    """Columns prefix_w1 … prefix_wd, prefix_b of a (T, d + 1) array of [w, b]."""
    names = [f"w{i + 1}" for i in range(values.shape[1] - 1)] + ["b"]
    return {f"{prefix}_{name}": values[:, i] for i, name in enumerate(names)}


def columns(timeline: Timeline) -> dict[str, np.ndarray]:
    """Every column the player reads, by name; one value per timeline point."""
    states = timeline.states or {}
    cols = {
        "step": timeline.steps,
        "epoch": timeline.epochs,
        **{f"w{i + 1}": timeline.ws[:, i] for i in range(timeline.ws.shape[1])},
        "b": timeline.bs,
        "loss": timeline.losses,
        "px": timeline.path[:, 0],
        "py": timeline.path[:, 1],
        "pz": timeline.path_z,
        "sz": timeline.slice_z,
        "ly": timeline.curve_y,
        **{f"fit{i}": timeline.fit[:, i] for i in range(timeline.fit.shape[1])},
        **_named("prev", timeline.theta_prev),
        **_named("g", timeline.grads),
        **_named("fg", timeline.full_grads),
        "bsz": timeline.batch_lengths,
        **{key: v for name, values in states.items() for key, v in _named(name, values).items()},
    }
    if timeline.batch_drawn is not None:
        cols["bdrawn"] = timeline.batch_drawn
    return {name: np.asarray(values, dtype=np.float32) for name, values in cols.items()}


# The options each rule writes out (as μ, ε, α, β₁ and β₂); any other set away from its
# default is named under the rule.
_IN_RULE = {
    "SGD": ("momentum",),
    "Adagrad": ("eps",),
    "RMSprop": ("alpha", "eps"),
    "Adam": ("betas", "eps"),
}


def blocks(timeline: Timeline) -> dict[str, np.ndarray]:
    """What the player reads besides the columns, each its own length: the highlighted batch
    (offsets into the flat list of drawn points) and the drawn points' coordinates."""
    if timeline.batch_points is None:
        return {}
    return {
        "batch_offsets": np.asarray(timeline.batch_offsets, dtype=np.float32),
        "batch_points": np.asarray(timeline.batch_points, dtype=np.float32),
        "sample": np.asarray(timeline.sample.T.ravel(), dtype=np.float32),  # x1, …, y
    }


def equation(
    t: Translator,
    optimizer: str,
    lr: float,
    d: int,
    replayed: bool,
    options: dict | None = None,
    *,
    loss: str = "half_mse",
    weight_decay: float = 0.0,
) -> dict:
    """The update rule of `optimizer` in the book's notation (MathML), the notes under it, and its
    template of live numbers.

    Placeholders name the player's column groups ({w}, {w_prev}, {gw}, {theta}, {g}, {v}, …)
    and the optimizer's constants ({lr}, {mu}, {eps}, {alpha}, {beta1}, {beta2}). SGD with a
    momentum option shows momentum's rule. Notes under the rule say what it leaves out: the
    MSE loss's doubled gradient, weight decay's λw in g, options the rule does not write.
    """
    options = resolve_options(optimizer, options or {})
    defaults = OPTIMIZERS[optimizer].defaults
    rule = "momentum" if optimizer == "sgd" and options["momentum"] else optimizer
    unshown = [
        name
        for name, value in options.items()
        if value != defaults[name] and name not in _IN_RULE[OPTIMIZERS[optimizer].torch_name]
    ]
    notes = [t("eq_note_mse")] if loss == "mse" else []
    if weight_decay:
        notes.append(t("eq_note_decay", weight_decay=weight_decay))
    if unshown:
        notes.append(t("eq_note_options", names=", ".join(unshown)))
    constants = {
        "lr": lr,
        "mu": options.get("momentum"),
        "eps": options.get("eps"),
        "alpha": options.get("alpha"),
    }
    if "betas" in options:
        constants["beta1"], constants["beta2"] = options["betas"]
    w = [f"w{i + 1}" for i in range(d)]
    groups = {
        "w": w,
        "b": ["b"],
        "w_prev": [f"prev_{n}" for n in w],
        "b_prev": ["prev_b"],
        "gw": [f"g_{n}" for n in w],
        "gb": ["g_b"],
        "theta": [*w, "b"],
        "theta_prev": [f"prev_{n}" for n in [*w, "b"]],
        "g": [f"g_{n}" for n in [*w, "b"]],
        "B": ["bsz"],
        "t": ["step"],
        **{name: [f"{name}_{n}" for n in [*w, "b"]] for name in ("v", "s", "m")},
    }
    return {
        "rule": rule_mathml(rule),
        "notes": notes,
        "numbers": t(f"eq_numbers_{rule}")
        + ("" if replayed else t("eq_no_state", max_replay=MAX_REPLAY)),
        "start": t("eq_start"),
        "constants": {k: v for k, v in constants.items() if v is not None},
        "groups": groups,
    }


def labels(t: Translator, speed: str) -> dict[str, str]:
    """The player's words in the page's language."""
    keys = (
        "play",
        "pause",
        "first",
        "last",
        "back",
        "forward",
        "slider",
        "step_of",
        "epoch",
        "loss",
        "failed",
        "diverged",
    )
    words = {key: t(f"player_{key}") for key in keys}
    words |= {key: t(f"player_{key}") for key in ("batch_all", "batch_part")}
    words["speed"] = t("player_speed", speed=t(f"speed_{speed}"), rate=SPEEDS[speed])
    return words


def payload(
    timeline: Timeline,
    spec: TrainSpec,
    view: ViewSpec,
    *,
    charts: dict[str, str],
    moving: dict[str, list[str]] | None = None,
    features: tuple[str, ...] = (),
) -> bytes:
    """The bytes the player reads: the header, then the timeline's columns as float32.

    `spec` is the run's (its update equation); `view` gives the language, the speed, the
    projection mode, the group of players that play, pause and seek together, and whether the
    update equation is shown (not on a page whose lesson is elsewhere). `charts` maps each view
    shown (surface, contour, data, loss) to a CSS selector of its chart; `moving`, each view to
    the traces the player moves in it (default: all of `MOVING`'s that a view can have, as
    `build_views` draws them with arrows on and an optimizer other than SGD). `features`, a
    file's feature names, name the weights in the readout: w (面积, 房龄) = […].
    """
    t, speed = translator(view.lang), view.speed
    cols, extra = columns(timeline), blocks(timeline)
    with np.errstate(over="ignore"):  # a diverged run's raw numbers may not fit a float32
        body = np.concatenate([*cols.values(), *extra.values()]).astype("<f4").tobytes()
    header = {
        "version": 1,
        "run": hashlib.sha256(body).hexdigest()[:16],
        "points": len(timeline.steps),
        "columns": list(cols),
        "blocks": {name: len(values) for name, values in extra.items()},
        "d": timeline.ws.shape[1],
        "total_steps": timeline.total_steps,
        "diverged_at": timeline.diverged_at,
        "speed": SPEEDS[speed],
        "projection": view.projection,
        "group": view.group or None,
        "charts": charts,
        "moving": {name: list((moving or MOVING)[name]) for name in charts},
        "arrows": {
            "axes": list(timeline.axes),
            "lr": timeline.lr,
            "low": timeline.low.tolist(),
            "high": timeline.high.tolist(),
        },
        "labels": labels(t, speed),
        "weights": f"w ({', '.join(features)})" if features else "w",  # the readout's name of w
        "equation": equation(
            t,
            spec.optimizer,
            spec.lr,
            timeline.ws.shape[1],
            timeline.states is not None,
            dict(spec.options),
            loss=spec.loss,
            weight_decay=spec.weight_decay,
        )
        if view.equation
        else None,
    }
    return _encode(header, body)


def _encode(header: dict, body: bytes) -> bytes:
    text = json.dumps(header, ensure_ascii=False).encode()
    text += b" " * (-(4 + len(text)) % 4)  # the columns start on a 4-byte boundary
    return struct.pack("<I", len(text)) + text + body


def payload_with_charts(data: bytes, charts: dict[str, str]) -> bytes:
    """The same payload, with its charts found by other selectors (an exported page's, say)."""
    (size,) = struct.unpack_from("<I", data)
    header = json.loads(data[4 : 4 + size])
    return _encode({**header, "charts": charts}, data[4 + size :])


def decode(data: bytes) -> tuple[dict, dict[str, np.ndarray]]:
    """(header, columns) from payload bytes: what the player in the browser reads. The blocks
    (see `blocks`) come after the columns, under their own names."""
    (size,) = struct.unpack_from("<I", data)
    header = json.loads(data[4 : 4 + size])
    values = np.frombuffer(data, dtype="<f4", offset=4 + size)
    T = header["points"]
    named = {name: values[c * T : (c + 1) * T] for c, name in enumerate(header["columns"])}
    start = len(header["columns"]) * T
    for name, length in header.get("blocks", {}).items():
        named[name] = values[start : start + length]
        start += length
    return header, named


def compare_columns(ct: CompareTimeline) -> dict[str, np.ndarray]:
    """The comparison's columns: the frame and its time in epochs, then each run's, prefixed
    r0_, r1_, …: its updates made, raw loss, and what each view moves."""
    cols = {"step": np.arange(len(ct.epochs)), "epoch": ct.epochs}
    for r in range(len(ct.steps)):
        cols |= {
            f"r{r}_step": ct.steps[r],
            f"r{r}_loss": ct.losses[r],
            f"r{r}_px": ct.path[r, :, 0],
            f"r{r}_py": ct.path[r, :, 1],
            f"r{r}_pz": ct.path_z[r],
            f"r{r}_ly": ct.curve_y[r],
        }
    return {name: np.asarray(values, dtype=np.float32) for name, values in cols.items()}


def compare_payload(
    ct: CompareTimeline,
    runs: list[dict],
    *,
    charts: dict[str, str],
    moving: dict[str, list[str]],
    t: Translator,
    speed: str = "normal",
    projection: bool = False,
) -> bytes:
    """The bytes the player reads for a comparison: as `payload`'s, one frame a point.

    `runs` gives each run's name and colour for the readout. A comparison plays in the time a
    run of COMPARE_SPAN updates takes at `speed`, however many frames it has: 20 epochs of
    full-batch steps slowly enough to follow, 3,000 batch-1 updates without waiting minutes.
    """
    cols = compare_columns(ct)
    with np.errstate(over="ignore"):
        body = np.concatenate(list(cols.values())).astype("<f4").tobytes()
    frames = len(ct.epochs)
    rate = SPEEDS[speed] * frames / COMPARE_SPAN
    words = labels(t, speed)
    words["speed"] = t("cmp_speed", speed=t(f"speed_{speed}"), seconds=round(frames / rate))
    header = {
        "version": 1,
        "run": hashlib.sha256(body).hexdigest()[:16],
        "points": frames,
        "columns": list(cols),
        "epochs": float(ct.epochs[-1]),
        "runs": [
            {**run, "total_steps": total, "diverged_epoch": when}
            for run, total, when in zip(runs, ct.total_steps, ct.diverged_epoch, strict=True)
        ],
        "speed": rate,
        "projection": projection,
        "charts": charts,
        "moving": moving,
        "labels": words | {"diverged_at": t("cmp_diverged_readout"), "colon": t("cmp_colon")},
    }
    return _encode(header, body)
