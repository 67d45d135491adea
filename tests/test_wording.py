"""The Chinese wording as a Chinese-speaking student reads it (the terms of D2L's Chinese edition)."""

from __future__ import annotations

import re

from linreg_viz.i18n import TABLE, translator
from linreg_viz.player import labels

ZH = {key: texts["zh"] for key, texts in TABLE.items()}


def test_one_term_for_optimizer_the_books():
    """D2L's Chinese edition says 优化算法 (§3.2 定义优化算法, chapter 11); never 优化器 beside it."""
    assert [key for key, text in ZH.items() if "优化器" in text] == []
    assert "优化算法" in ZH["field_optimizer"]


def test_the_books_is_followed_by_a_noun():
    """书中的 ends no phrase: 书中的做法, 书中的起点, never 书中的：…"""
    assert [key for key, text in ZH.items() if re.search(r"书中的[：:，,。\s]", text)] == []


def test_the_step_readout_is_a_statement_not_a_question():
    step = labels(translator("zh"), "normal")["step_of"].format(step=0, total=300)
    assert step == "第 0 步 / 共 300 步"
    assert "第几" not in "".join(ZH.values())


def test_the_quantity_columns_header_is_a_word():
    assert len(ZH["cond_quantity"]) >= 2
