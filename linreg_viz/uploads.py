"""Your own data: a CSV read, checked and turned into features and labels.

Every problem raises `UploadError` with a translation key and the fields its message needs
(the column, the line, the limit), so the page can say exactly what is wrong, in either language.
"""

from __future__ import annotations

import csv
import io
from collections.abc import MutableMapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from linreg_core.data import standardise as standardise_features
from linreg_core.limits import BINARY_SNIFF_BYTES, MAX_BYTES, MAX_ROWS, MAX_UPLOAD_MB, SNIFF_CHARS
from linreg_viz.i18n import literal

if TYPE_CHECKING:  # pandas is imported when a file is read: a page without one never pays for it
    import pandas as pd

ENCODINGS = ("utf-8-sig", "gbk")
DELIMITERS = ",;"  # the separators csv.Sniffer may choose from; a comma if it cannot tell
COLUMN_CHOICES = ("upload_features", "upload_target")  # widget keys in ui/data_choice.py


class UploadError(ValueError):
    """A CSV the visualiser cannot use; `key` names the message, `fields` fill it.

    Text from the file (a column name, a cell) is put in `fields` as `i18n.literal` makes it,
    so that a message shows it as typed, cut short, and never as Markdown or HTML.
    """

    def __init__(self, key: str, **fields: object):
        super().__init__(f"{key}: {fields}")
        self.key = key
        self.fields = {k: literal(v) if isinstance(v, str) else v for k, v in fields.items()}


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


def _delimiter(text: str) -> str:
    """The separator, as csv.Sniffer guesses it from the text's first whole lines (a line cut
    short, a long cell's, misleads it); a comma if it cannot tell."""
    sample = text[:SNIFF_CHARS]
    sample = sample[: sample.rfind("\n") + 1] or sample
    try:
        return csv.Sniffer().sniff(sample, delimiters=DELIMITERS).delimiter
    except csv.Error:
        return ","


def _rows(text: str, delimiter: str) -> tuple[list[tuple[int, list[str]]], int]:
    """The header and at most MAX_ROWS data rows of a CSV text, each with the line it ends on,
    and how many rows the text has. Rows with no text are skipped: blank lines, and the `;;;;`
    rows a spreadsheet's export ends with."""
    # One cell may be as long as the file (a note in a column not used); csv's default is 128 kB.
    csv.field_size_limit(MAX_BYTES)
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    rows, count = [], 0
    try:
        for row in reader:
            if any(cell.strip() for cell in row):
                count += 1
                if count <= MAX_ROWS + 1:  # keep memory bounded for a file of tiny rows
                    rows.append((reader.line_num, row))
    except csv.Error as error:
        raise UploadError("upload_not_csv") from error
    return rows, count


def read_table(raw: bytes) -> pd.DataFrame:
    """The table in a CSV file: UTF-8 or GBK, comma- or semicolon-separated, a header row.

    Cells are kept as text; the index is each row's line in the file, for messages.
    """
    if len(raw) > MAX_BYTES:
        raise UploadError("upload_too_large", size_mb=len(raw) / 2**20, limit_mb=MAX_UPLOAD_MB)
    if b"\x00" in raw[:BINARY_SNIFF_BYTES]:
        raise UploadError("upload_not_csv")
    text = _decode(raw)
    rows, count = _rows(text, _delimiter(text))
    if not rows:
        raise UploadError("upload_not_csv")
    if count - 1 > MAX_ROWS:
        raise UploadError("upload_too_many_rows", rows=count - 1, limit=MAX_ROWS)
    if count - 1 < 2:
        raise UploadError("upload_too_few_rows", rows=count - 1)
    (_, names), body = rows[0], rows[1:]
    header = [name.strip() or f"Unnamed: {i}" for i, name in enumerate(names)]  # as pandas
    if len(header) < 2:
        raise UploadError("upload_too_few_columns", columns=len(header))
    seen = set()
    for name in header:
        if name in seen:
            raise UploadError("upload_repeated_column", column=name)
        seen.add(name)
    # Checked here, not left to pandas: with one field too many in every row, pandas takes the
    # first column for row labels and shifts the rest; with one long first row, it blames
    # another column.
    for line, row in body:
        if len(row) > len(header):
            raise UploadError("upload_long_row", line=line, fields=len(row), columns=len(header))
    cells = [row + [""] * (len(header) - len(row)) for _, row in body]  # short rows: missing
    import pandas as pd

    frame = pd.DataFrame(cells, columns=header, index=[line for line, _ in body], dtype=str)
    # A spreadsheet's export can end each line with separators: columns with neither a name nor
    # a value, which would be the default label. They are not the table's.
    unnamed = [i for i, name in enumerate(names) if not name.strip()]
    empty = [header[i] for i in unnamed if not frame[header[i]].str.strip().any()]
    return frame.drop(columns=empty)


def _numeric(frame: pd.DataFrame, column: str) -> np.ndarray:
    import pandas as pd

    text = frame[column].str.strip()
    missing = text.eq("") | text.str.lower().isin(["na", "nan", "null", "none", "-"])
    if missing.any():
        raise UploadError("upload_missing", column=column, row=int(text.index[missing.argmax()]))
    values = pd.to_numeric(text, errors="coerce")
    bad = values.isna() | ~np.isfinite(values.to_numpy(dtype=float, na_value=np.nan))
    if bad.any():
        i = int(np.argmax(bad))
        raise UploadError(
            "upload_non_numeric", column=column, row=int(text.index[i]), value=text.iloc[i]
        )
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
    if standardise:  # no column is constant (checked above): the engine's never refuses
        X, means, scales = standardise_features(X)
    return Dataset(X, y, tuple(features), target, means, scales)


def forget_column_choices(state: MutableMapping[str, object]) -> None:
    """Drop the columns chosen for the previous file from the session state, so that the column
    widgets start at a new file's own defaults."""
    for key in COLUMN_CHOICES:
        state.pop(key, None)
