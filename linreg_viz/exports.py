"""What a user can take away: the trajectory as CSV, the animation as a standalone HTML file."""

from __future__ import annotations

import io

import numpy as np
import plotly.graph_objects as go

from linreg_core import Trajectory

# Space plays or pauses, the arrow keys step one frame: plain plotly.js, inside the HTML file.
KEYBOARD_SCRIPT = """
var gd = document.getElementById('{plot_id}');
var frames = (gd._transitionData && gd._transitionData._frames || []).map(function (f) { return f.name; });
var current = 0, playing = false;
gd.on('plotly_animatingframe', function (e) { current = frames.indexOf(e.name); });
gd.on('plotly_sliderchange', function (e) { current = e.step._index; });
gd.on('plotly_animated', function () { playing = false; });
function show(i, duration) {
  current = Math.max(0, Math.min(frames.length - 1, i));
  Plotly.animate(gd, [frames[current]], {mode: 'immediate', frame: {duration: duration, redraw: true},
                                          transition: {duration: 0}});
}
document.addEventListener('keydown', function (e) {
  if (e.code === 'Space') {
    e.preventDefault();
    if (playing) { Plotly.animate(gd, [null], {mode: 'immediate', frame: {duration: 0}}); playing = false; }
    else {
      playing = true;
      var rest = frames.slice(current + 1 < frames.length ? current + 1 : 0);
      var play = gd.layout.updatemenus[0].buttons[0].args[1];
      Plotly.animate(gd, rest, play);
    }
  } else if (e.code === 'ArrowRight') { e.preventDefault(); show(current + 1, 0); }
  else if (e.code === 'ArrowLeft') { e.preventDefault(); show(current - 1, 0); }
});
"""


def trajectory_csv(trajectory: Trajectory, *, names: list[str] | None = None) -> str:
    """One row per update: step, epoch, w1…wd, b, batch loss, loss (the start is step 0)."""
    d = trajectory.ws.shape[1]
    names = names or ["step", "epoch", *[f"w{i + 1}" for i in range(d)], "b", "batch_loss", "loss"]
    S = trajectory.num_steps
    steps = np.arange(S + 1)
    epochs = np.concatenate([[0], trajectory.epochs])
    batch = np.concatenate([[np.nan], trajectory.batch_losses])
    table = np.column_stack(
        [steps, epochs, trajectory.path_w, trajectory.path_b, batch, trajectory.path_loss]
    )
    buffer = io.StringIO()
    buffer.write(",".join(names) + "\n")
    np.savetxt(buffer, table, delimiter=",", fmt=["%d", "%d", *["%.17g"] * (d + 3)])
    return buffer.getvalue().replace("nan", "")


def standalone_html(figure: go.Figure, title: str) -> str:
    """The animated figure as one HTML file that plays with no network: plotly.js is inside."""
    return figure.to_html(
        include_plotlyjs=True,
        full_html=True,
        post_script=KEYBOARD_SCRIPT,
        config={"displaylogo": False},
        div_id="visualiser",
        default_width="100%",
        default_height="100vh",
    ).replace("<head>", f"<head><meta charset='utf-8'><title>{title}</title>", 1)
