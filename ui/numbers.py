"""The numbers beside the views: a run's last step and parameters, a comparison's runs, the
conditioning lesson's spectrum, rates and steps."""

from __future__ import annotations

import numpy as np
import streamlit as st

from linreg_core import LossQuadratic, parameter_names
from linreg_core.dataset import Data
from linreg_viz.i18n import Translator
from ui.compare_runs import Compared
from ui.html_table import show_lines, show_table
from ui.runs import LOSS_TOLERANCE, Outcome, Shown

# Updates, epoch, loss, w, b: each column as wide as its number needs at 36 px (2,000,000 150 px,
# 4.83923e-05 182 px, two weights 224 px), so that a laptop's 1280 px with the sidebar open
# (756 px for the five) shows each on one line.
METRIC_WIDTHS = (1.5, 0.5, 1.9, 2.3, 1.15)


def run_numbers(tr, outcome: Outcome, data: Data, quad: LossQuadratic) -> None:
    """The run's last step, the book's per-epoch lines, and learned vs true vs the closed form
    of what the run minimises (least squares; ridge with weight decay)."""
    d = quad.d
    cols = st.columns(METRIC_WIDTHS)
    cols[0].metric(tr("metric_steps"), f"{outcome.updates:,}")
    cols[1].metric(tr("metric_epoch"), outcome.epoch)
    cols[2].metric(tr("metric_loss"), f"{outcome.loss:.6g}")
    cols[3].metric("w", ", ".join(f"{x:.4f}" for x in outcome.w))
    cols[4].metric("b", f"{outcome.b:.4f}")
    if outcome.epoch_lines:
        show_lines(outcome.epoch_lines)
    learned = np.append(outcome.w, outcome.b)
    closed_label = (
        tr("col_ridge", weight_decay=quad.weight_decay)
        if quad.weight_decay
        else tr("col_least_squares")
    )
    table = {
        tr("col_parameter"): parameter_names(d),
        tr("col_learned"): learned,
        closed_label: quad.theta_star,
    }
    if data.true_w is not None:
        true = np.append(data.true_w, data.true_b)
        table[tr("col_true")] = true
        table[tr("col_error")] = true - learned
    show_table(table)


def comparison_results(tr, compared: Compared) -> None:
    """Each run's updates and final loss; a message for each run that diverged, and for each
    that ends above its start without reaching the engine's threshold (lr just past the limit
    climbs slowly: 1.1x the limit takes many epochs to grow 10^8-fold)."""
    runs = zip(
        compared.names, compared.diverged, compared.start_losses, compared.final_losses, strict=True
    )
    for name, stop, start, end in runs:
        if stop is not None:
            st.error(tr("cmp_diverged", name=name, epoch=stop[0], steps=stop[1]), icon="💥")
        elif end > start:
            st.warning(tr("cmp_growing", name=name, ratio=end / start), icon="📈")
    table = {
        tr("cmp_col_run"): compared.names,
        tr("cmp_col_updates"): compared.updates,
        tr("cmp_col_loss"): np.array(compared.final_losses),
    }
    show_table(table)


# The conditioning table's rows, each a translation key: the spectrum, the lr and rates, the steps.
ROW_KEYS = (
    "cond_lambda_min",
    "cond_lambda_max",
    "cond_kappa",
    "cond_limit",
    "cond_lr",
    "cond_rate",
    "cond_best_rate",
    "cond_measured",
    "cond_theory",
    "cond_theory_best",
)


def steps_text(tr: Translator, count: int | None, never: str, **fields) -> str:
    """A count of steps, or the words for none."""
    return f"{count:,}" if count is not None else tr(never, **fields)


def conditioning_numbers(
    tr: Translator, lr: float, sides: dict[str, tuple[Data, Shown]]
) -> dict[str, list]:
    """λmin, λmax, κ, 2/λmax, the lr, the rates, and the updates to within LOSS_TOLERANCE of the
    minimum loss: measured on the run, and the theory for full-batch gradient descent."""
    rows = {key: [] for key in ROW_KEYS}
    for data, shown in sides.values():
        quad, out = data.quad, shown.outcome
        eigenvalues = quad.eigenvalues()
        if out.diverged_at is not None:
            measured = tr("cond_diverged_at", step=out.diverged_at)
        else:
            measured = steps_text(tr, out.within_tol, "cond_not_within", steps=out.updates)
        values = (
            eigenvalues[0],
            eigenvalues[-1],
            quad.condition_number(),
            quad.stability_limit(),
            lr,
            quad.convergence_rate(lr),
            quad.convergence_rate(),
            measured,
            steps_text(tr, quad.gd_steps(lr, out.theta0, LOSS_TOLERANCE), "cond_never"),
            steps_text(
                tr, quad.gd_steps(quad.optimal_lr(), out.theta0, LOSS_TOLERANCE), "cond_never"
            ),
        )
        for key, value in zip(rows, values, strict=True):
            rows[key].append(value if isinstance(value, str) else f"{value:.4g}")
    table = {tr("cond_quantity"): [tr(key, tol=LOSS_TOLERANCE) for key in rows]}
    table |= {tr(f"cond_{side}"): [row[i] for row in rows.values()] for i, side in enumerate(sides)}
    return table
