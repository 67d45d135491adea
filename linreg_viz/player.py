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

from linreg_viz.figures import MOVING
from linreg_viz.i18n import Translator
from linreg_viz.timeline import Timeline

SPEEDS = {"slow": 3, "normal": 10, "fast": 30}  # steps (updates) per second of wall time
PLAYER_JS = resources.files("linreg_viz").joinpath("player.js").read_text(encoding="utf-8")
PLAYER_CSS = """
.gdv-player {font-family: inherit; margin: 0 0 0.5rem 0;}
.gdv-bar {display: flex; flex-wrap: wrap; align-items: center; gap: 0.4rem;}
.gdv-bar button {display: inline-flex; align-items: center; justify-content: center;
  min-width: 2.6em; min-height: 2.2em; border-radius: 0.4rem; border: 1px solid #999;
  background: #fff; color: #111; cursor: pointer; padding: 0 0.5em;}
.gdv-bar button svg {width: 1em; height: 1em;}
.gdv-bar button.gdv-play {min-width: 3.4em; background: #0072B2; color: #fff; border-color: #0072B2;}
.gdv-bar input[type=range] {flex: 1 1 12rem; min-width: 8rem; accent-color: #D55E00;}
.gdv-speed {color: #444; font-size: 0.9em;}
.gdv-readout {font-variant-numeric: tabular-nums; font-size: 1.05em; margin-top: 0.35rem;
  overflow-wrap: anywhere;}
.gdv-message {color: #b00020; margin-top: 0.35rem;}
.gdv-projection {font-size: 1.5em;}
"""


def columns(timeline: Timeline) -> dict[str, np.ndarray]:
    """Every column the player reads, by name; one value per timeline point."""
    cols = {
        "step": timeline.steps,
        "epoch": timeline.epochs,
        **{f"w{i + 1}": timeline.ws[:, i] for i in range(timeline.ws.shape[1])},
        "b": timeline.bs,
        "loss": timeline.losses,
        "px": timeline.path[:, 0],
        "py": timeline.path[:, 1],
        "pz": timeline.path_z,
        "ly": timeline.curve_y,
        **{f"fit{i}": timeline.fit[:, i] for i in range(timeline.fit.shape[1])},
    }
    return {name: np.asarray(values, dtype=np.float32) for name, values in cols.items()}


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
        "step",
        "epoch",
        "loss",
        "failed",
        "diverged",
    )
    words = {key: t(f"player_{key}") for key in keys}
    words["speed"] = t("player_speed", speed=t(f"speed_{speed}"), rate=SPEEDS[speed])
    return words


def payload(
    timeline: Timeline,
    *,
    charts: dict[str, str],
    t: Translator,
    speed: str = "normal",
    projection: bool = False,
) -> bytes:
    """The bytes the player reads: the header, then the timeline's columns as float32.

    `charts` maps each view shown (surface, contour, data, loss) to a CSS selector of its chart.
    """
    cols = columns(timeline)
    with np.errstate(over="ignore"):  # a diverged run's raw numbers may not fit a float32
        body = np.concatenate(list(cols.values())).astype("<f4").tobytes()
    header = {
        "version": 1,
        "run": hashlib.sha256(body).hexdigest()[:16],
        "points": len(timeline.steps),
        "columns": list(cols),
        "d": timeline.ws.shape[1],
        "total_steps": timeline.total_steps,
        "diverged_at": timeline.diverged_at,
        "speed": SPEEDS[speed],
        "projection": projection,
        "charts": charts,
        "moving": {name: list(MOVING[name]) for name in charts},
        "labels": labels(t, speed),
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
    """(header, columns) from payload bytes: what the player in the browser reads."""
    (size,) = struct.unpack_from("<I", data)
    header = json.loads(data[4 : 4 + size])
    values = np.frombuffer(data, dtype="<f4", offset=4 + size)
    parts = values.reshape(len(header["columns"]), header["points"])
    return header, dict(zip(header["columns"], parts, strict=True))
