"""D2L §3.2, linear regression from scratch: data, model, loss, optimizers and the training loop.

NumPy and PyTorch only: no Streamlit, no Plotly. Every random draw comes from a seed passed in.
"""

from linreg_core.data import data_iter, num_updates, synthetic_data
from linreg_core.limits import MAX_EXAMPLES, MAX_UPDATES
from linreg_core.model import linreg, squared_error, squared_loss
from linreg_core.optimizers import OPTIMIZERS
from linreg_core.plan import ENGINES
from linreg_core.quadratic import (
    LOSSES,
    LossQuadratic,
    closed_form,
    loss_quadratic,
    loss_surface,
    parameter_names,
    stability_limit,
)
from linreg_core.training import run, train
from linreg_core.trajectory import Step, Trajectory

__all__ = [
    "ENGINES",
    "LOSSES",
    "MAX_EXAMPLES",
    "MAX_UPDATES",
    "OPTIMIZERS",
    "LossQuadratic",
    "Step",
    "Trajectory",
    "closed_form",
    "data_iter",
    "linreg",
    "loss_quadratic",
    "loss_surface",
    "num_updates",
    "parameter_names",
    "run",
    "squared_error",
    "squared_loss",
    "stability_limit",
    "synthetic_data",
    "train",
]
