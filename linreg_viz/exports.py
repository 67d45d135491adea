"""What a user can take away: the trajectory as CSV, the animation as a standalone HTML file."""

from __future__ import annotations

import io

import numpy as np
import plotly.graph_objects as go

from linreg_core import Trajectory, parameter_names

# In the browser, for the app page and the exported file alike: space plays or pauses, the
# arrow keys step one frame, and a 3-D camera the user turned is put back when a rerun redraws
# the figure (Streamlit replaces the chart whenever its figure changes). Plain plotly.js.
BROWSER_SCRIPT = """
(function () {
  if (window.__gdvInstalled) { return; }
  window.__gdvInstalled = true;
  var cameras = {};
  function plot() { return document.querySelector('.js-plotly-plot'); }
  function bind(gd) {
    if (!gd || gd.__gdvBound || !gd._fullLayout) { return; }
    gd.__gdvBound = true;
    gd.__gdvPlaying = false;
    gd.on('plotly_animatingframe', function () { gd.__gdvPlaying = true; });
    gd.on('plotly_animated', function () { gd.__gdvPlaying = false; });
    gd.on('plotly_animationinterrupted', function () { gd.__gdvPlaying = false; });
    gd.on('plotly_relayout', function (change) {
      Object.keys(change).forEach(function (key) {
        var scene = key.split('.')[0];
        if (/^scene[0-9]*$/.test(scene) && key.indexOf('camera') > 0) {
          cameras[scene] = gd._fullLayout[scene].camera;
        }
      });
    });
    var restore = {};
    Object.keys(cameras).forEach(function (scene) {
      if (gd._fullLayout[scene]) { restore[scene + '.camera'] = cameras[scene]; }
    });
    if (Object.keys(restore).length) { window.Plotly.relayout(gd, restore); }
  }
  setInterval(function () { bind(plot()); }, 400);
  function step(gd, by) {
    var slider = gd._fullLayout.sliders[0];
    var next = Math.max(0, Math.min(slider.steps.length - 1, slider.active + by));
    window.Plotly.animate(gd, [slider.steps[next].args[0][0]], slider.steps[next].args[1]);
  }
  document.addEventListener('keydown', function (event) {
    var gd = plot();
    var target = event.target;
    if (!gd || !gd._fullLayout || !gd._fullLayout.sliders || event.altKey || event.ctrlKey ||
        event.metaKey || /INPUT|TEXTAREA|SELECT/.test(target.tagName) || target.isContentEditable ||
        target.getAttribute('role') === 'slider') { return; }
    var buttons = gd._fullLayout.updatemenus[0].buttons;
    if (event.code === 'Space') {
      event.preventDefault();
      var button = gd.__gdvPlaying ? buttons[1] : buttons[0];
      window.Plotly.animate(gd, button.args[0], button.args[1]);
    } else if (event.code === 'ArrowRight' || event.code === 'ArrowLeft') {
      event.preventDefault();
      step(gd, event.code === 'ArrowRight' ? 1 : -1);
    }
  });
})();
"""


def trajectory_csv(trajectory: Trajectory) -> str:
    """One row per update: step, epoch, w1…wd, b, batch loss, loss; row 0 is the start."""
    d = trajectory.ws.shape[1]
    header = ["step", "epoch", *parameter_names(d), "batch_loss", "loss"]
    table = np.column_stack(
        [
            np.arange(trajectory.num_steps + 1),
            np.concatenate([[0], trajectory.epochs]),
            trajectory.path_w,
            trajectory.path_b,
            np.concatenate([[0.0], trajectory.batch_losses]),
            trajectory.path_loss,
        ]
    )
    buffer = io.StringIO()
    np.savetxt(buffer, table, delimiter=",", fmt=["%d", "%d", *["%.17g"] * (d + 3)])
    rows = buffer.getvalue().split("\n")
    start = rows[0].split(",")
    start[-2] = ""  # the start has no batch: an empty field, not a made-up number
    return "\n".join([",".join(header), ",".join(start), *rows[1:]])


def standalone_html(figure: go.Figure, title: str) -> str:
    """The animated figure as one HTML file that plays with no network: plotly.js is inside."""
    return figure.to_html(
        include_plotlyjs=True,
        full_html=True,
        post_script=BROWSER_SCRIPT,
        config={"displaylogo": False},
        div_id="visualiser",
        default_width="100%",
        default_height="100vh",
    ).replace("<head>", f"<head><meta charset='utf-8'><title>{title}</title>", 1)
