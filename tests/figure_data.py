"""Reading a figure's data back in tests, binary-encoded arrays included."""

import base64

import numpy as np


def numbers_in(value):
    """Every number in a nested figure dict, as one flat float array."""
    if isinstance(value, dict) and "bdata" in value:  # plotly sends arrays as typed binary
        return np.frombuffer(base64.b64decode(value["bdata"]), value["dtype"]).astype(np.float64)
    if isinstance(value, dict):
        parts = [numbers_in(v) for v in value.values()]
    elif isinstance(value, list | tuple):
        parts = [numbers_in(v) for v in value]
    elif isinstance(value, np.ndarray):
        return value.astype(np.float64).ravel() if value.dtype.kind in "iufb" else np.empty(0)
    elif isinstance(value, bool | int | float | np.number):
        return np.array([float(value)])
    else:
        return np.empty(0)
    return np.concatenate(parts) if parts else np.empty(0)
