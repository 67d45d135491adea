"""The model and its loss, written once for NumPy arrays and torch tensors alike (D2L §3.2)."""

from __future__ import annotations


def linreg(X, w, b):
    """The linear regression model: X w + b."""
    return X @ w + b


def squared_loss(y_hat, y):
    """The book's squared loss, per example: (y_hat - y)^2 / 2."""
    return (y_hat - y.reshape(y_hat.shape)) ** 2 / 2


def squared_error(y_hat, y):
    """The MSE convention of the NumPy notes, per example: (y_hat - y)^2, no 1/2."""
    return (y_hat - y.reshape(y_hat.shape)) ** 2


LOSS_FUNCTIONS = {"half_mse": squared_loss, "mse": squared_error}
