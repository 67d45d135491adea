"""Every string a user sees, in English and Simplified Chinese (the terms of the Chinese edition of D2L)."""

from __future__ import annotations

from collections.abc import Callable

LANGUAGES = {"en": "English", "zh": "中文"}

# key -> {language: text}; texts may hold str.format fields, filled by the translator's keywords.
TABLE: dict[str, dict[str, str]] = {
    "app_title": {"en": "Gradient descent, visible", "zh": "看得见的梯度下降"},
}

Translator = Callable[..., str]


def translator(lang: str) -> Translator:
    """t(key, **fields) in the given language; an unknown key raises KeyError (tests catch gaps)."""
    if lang not in LANGUAGES:
        lang = "en"

    def t(key: str, **fields: object) -> str:
        text = TABLE[key][lang]
        return text.format(**fields) if fields else text

    return t
