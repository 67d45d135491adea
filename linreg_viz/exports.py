"""What a user can take away: the trajectory as CSV, the views with their player as one HTML file."""

from __future__ import annotations

import base64
import html
import io
import json

import numpy as np
import plotly.graph_objects as go
from plotly.offline import get_plotlyjs

from linreg_core import Trajectory, parameter_names
from linreg_viz.player import PLAYER_CSS, PLAYER_JS, decode, payload_with_charts

# The file's page: the player's bar on top, then the views two to a row (one on a narrow screen).
PAGE_CSS = """
body {margin: 1rem; font-family: system-ui, sans-serif; color: #111;}
#gdv-player {display: contents;}
h1 {font-size: 1.6rem; margin: 0 0 0.2rem;}
.gdv-about {margin: 0 0 0.6rem; color: #333;}
.gdv-views {display: grid; grid-template-columns: repeat(auto-fit, minmax(28rem, 1fr)); gap: 1rem;}
"""


def trajectory_csv(trajectory: Trajectory, steps: np.ndarray | None = None) -> str:
    """One row per path index in `steps` (default: every one): step, epoch, w1…wd, b, batch loss,
    loss. Index 0 is the start, which has no batch loss.

    Numbers are exact (17 significant digits); a value that overflowed is written inf, -inf or
    nan, as Python's float() and pandas read them.
    """
    d = trajectory.ws.shape[1]
    at = np.arange(trajectory.num_steps + 1) if steps is None else np.asarray(steps)
    header = ["step", "epoch", *parameter_names(d), "batch_loss", "loss"]
    table = np.column_stack(
        [
            at,
            np.concatenate([[0], trajectory.epochs])[at],
            trajectory.path_w[at],
            trajectory.path_b[at],
            np.concatenate([[0.0], trajectory.batch_losses])[at],
            trajectory.path_loss[at],
        ]
    )
    buffer = io.StringIO()
    np.savetxt(buffer, table, delimiter=",", fmt=["%d", "%d", *["%.17g"] * (d + 3)])
    rows = buffer.getvalue().split("\n")
    if at[0] == 0:  # the start has no batch: an empty field, not a made-up number
        start = rows[0].split(",")
        start[-2] = ""
        rows[0] = ",".join(start)
    return "\n".join([",".join(header), *rows])


def _script_json(value) -> str:
    """JSON that is safe inside a <script> element, whatever text it carries."""
    return value.replace("</", "<\\/") if isinstance(value, str) else json.dumps(value)


def standalone_html(
    figures: dict[str, go.Figure], player: bytes, title: str, about: str = ""
) -> str:
    """The views and their player as one HTML file that plays with no network: plotly.js inside.
    `about` says which run it shows (optimizer, lr, batch size, epochs, data), under the title."""
    header, _ = decode(player)
    blob = payload_with_charts(player, {name: f"#gdv-{name}" for name in header["charts"]})
    specs = {name: json.loads(fig.to_json()) for name, fig in figures.items()}
    config = {"displaylogo": False, "plotGlPixelRatio": 1, "responsive": True}
    divs = "".join(f'<div id="gdv-{name}"></div>' for name in figures)
    return f"""<!DOCTYPE html>
<html><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{html.escape(title)}</title><style>{PAGE_CSS}{PLAYER_CSS}</style></head>
<body><h1>{html.escape(title)}</h1><p class="gdv-about">{html.escape(about)}</p>
<div id="gdv-player"></div><div class="gdv-views">{divs}</div>
<script>{get_plotlyjs()}</script>
<script>{PLAYER_JS}</script>
<script>
(function () {{
  var specs = {_script_json(json.dumps(specs))};
  var config = {json.dumps(config)};
  Object.keys(specs).forEach(function (name) {{
    window.Plotly.newPlot("gdv-" + name, specs[name].data, specs[name].layout, config);
  }});
  var text = atob("{base64.b64encode(blob).decode()}");
  var bytes = new Uint8Array(text.length);
  for (var i = 0; i < text.length; i++) {{ bytes[i] = text.charCodeAt(i); }}
  window.GDVPlayer.mount(document.getElementById("gdv-player"), bytes);
}})();
</script></body></html>
"""
