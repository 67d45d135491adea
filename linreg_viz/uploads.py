"""Your own data: a CSV read, checked and turned into features and labels.

Every problem raises `UploadError` with a translation key and the fields its message needs
(the column, the row, the limit), so the page can say exactly what is wrong, in either language.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass

import numpy as np
import pandas as pd

MAX_BYTES = 10 * 1024 * 1024  # 10 MB, as the server's upload limit
MAX_ROWS = 100_000  # the same ceiling as the synthetic data's n
ENCODINGS = ("utf-8-sig", "gbk")


class UploadError(ValueError):
    """A CSV the visualiser cannot use; `key` names the message, `fields` fill it."""

    def __init__(self, key: str, **fields: object):
        super().__init__(f"{key}: {fields}")
        self.key, self.fields = key, fields


@dataclass(frozen=True)
class Dataset:
    """Features and labels chosen from a table, and how they were scaled."""

    X: np.ndarray
    y: np.ndarray
    features: tuple[str, ...]
    target: str
    means: np.ndarray  # zeros unless standardised
    scales: np.ndarray  # ones unless standardised


def _decode(raw: bytes) -> str:
    for encoding in ENCODINGS:
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise UploadError("upload_not_csv")


def read_table(raw: bytes) -> pd.DataFrame:
    """The table in a CSV file: UTF-8 or GBK, comma- or semicolon-separated, a header row."""
    if len(raw) > MAX_BYTES:
        raise UploadError("upload_too_large", size_mb=len(raw) / 2**20, limit_mb=MAX_BYTES / 2**20)
    if b"\x00" in raw[:4096]:
        raise UploadError("upload_not_csv")
    text = _decode(raw)
    try:
        delimiter = csv.Sniffer().sniff(text[:8192], delimiters=",;").delimiter
    except csv.Error:
        delimiter = ","
    try:
        frame = pd.read_csv(io.StringIO(text), sep=delimiter, dtype=str, keep_default_na=False)
    except (pd.errors.ParserError, pd.errors.EmptyDataError) as error:
        raise UploadError("upload_not_csv") from error
    if frame.shape[1] < 2:
        raise UploadError("upload_too_few_columns", columns=frame.shape[1])
    if len(frame) < 2:
        raise UploadError("upload_too_few_rows", rows=len(frame))
    if len(frame) > MAX_ROWS:
        raise UploadError("upload_too_many_rows", rows=len(frame), limit=MAX_ROWS)
    frame.columns = [str(c).strip() for c in frame.columns]
    return frame


def _numeric(frame: pd.DataFrame, column: str) -> np.ndarray:
    text = frame[column].str.strip()
    missing = text.eq("") | text.str.lower().isin(["na", "nan", "null", "none", "-"])
    if missing.any():
        raise UploadError("upload_missing", column=column, row=int(np.argmax(missing)) + 2)
    values = pd.to_numeric(text, errors="coerce")
    bad = values.isna() | ~np.isfinite(values.to_numpy(dtype=float, na_value=np.nan))
    if bad.any():
        row = int(np.argmax(bad))
        raise UploadError("upload_non_numeric", column=column, row=row + 2, value=text.iloc[row])
    return values.to_numpy(dtype=np.float64)


def choose(frame: pd.DataFrame, features: list[str], target: str, standardise: bool) -> Dataset:
    """One or two feature columns and a target, checked, optionally standardised."""
    if not 1 <= len(features) <= 2:
        raise UploadError("upload_feature_count", count=len(features))
    if target in features:
        raise UploadError("upload_target_is_feature", column=target)
    X = np.column_stack([_numeric(frame, column) for column in features])
    y = _numeric(frame, target)
    for column, values in zip([*features, target], [*X.T, y], strict=True):
        if np.ptp(values) == 0:
            raise UploadError("upload_constant", column=column)
    means, scales = np.zeros(X.shape[1]), np.ones(X.shape[1])
    if standardise:
        means, scales = X.mean(axis=0), X.std(axis=0)
        X = (X - means) / scales
    return Dataset(X, y, tuple(features), target, means, scales)
