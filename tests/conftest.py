"""Fixtures every test module may use: the book's data and its run."""

import pytest

from linreg_core import run
from tests import book


@pytest.fixture(scope="module")
def book_data():
    """The book's (X, y): two features, 1000 examples."""
    return book.data()


@pytest.fixture(scope="module")
def book_run(book_data):
    """The book's (X, y, trajectory): SGD, lr 0.03, batch 10, 3 epochs (300 updates)."""
    X, y = book_data
    return X, y, run(X, y, lr=book.LR, batch_size=book.BATCH_SIZE, epochs=book.EPOCHS)
