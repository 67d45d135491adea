"""The book's run (D2L §3.2), the reference the tests check against: its data and its training."""

from linreg_core import synthetic_data

# The book's data: y = X true_w + true_b + noise, n examples, drawn from one seed.
TRUE_W = (2.0, -3.4)
TRUE_B = 4.2
NOISE = 0.01
N = 1000
SEED = 0

# The book's training: minibatch SGD.
LR = 0.03
BATCH_SIZE = 10
EPOCHS = 3


def data(n: int = N, *, d: int = 2, **options):
    """(X, y) drawn as the book draws them, on the book's true w cut to d features;
    `options` are synthetic_data's (noise, seed, scale, correlation), the book's by default."""
    return synthetic_data(list(TRUE_W[:d]), TRUE_B, n, **{"noise": NOISE, "seed": SEED} | options)
