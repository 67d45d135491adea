"""Every string a user sees, in English and Simplified Chinese (the terms of the Chinese edition of D2L)."""

from __future__ import annotations

import re
from collections.abc import Callable

from linreg_core.limits import LITERAL_LIMIT

LANGUAGES = {"en": "English", "zh": "中文"}

# key -> {language: text}; texts may hold str.format fields, filled by the translator's keywords.
TABLE: dict[str, dict[str, str]] = {
    "app_title": {"en": "Gradient descent, visible", "zh": "看得见的梯度下降"},
    "title_surface": {"en": "Loss surface", "zh": "损失曲面"},
    "title_contour": {"en": "Loss contours (log-spaced levels)", "zh": "损失等高线（对数间隔）"},
    "held_at": {"en": "held at {values}", "zh": "固定 {values}"},
    "title_data_line": {"en": "Data and the fitted line", "zh": "数据与拟合直线"},
    "title_data_plane": {"en": "Data and the fitted plane", "zh": "数据与拟合平面"},
    "title_loss": {"en": "Loss per step", "zh": "每步的损失"},
    "axis_loss": {"en": "loss", "zh": "损失"},
    "axis_step": {"en": "step", "zh": "步"},
    "axis_feature": {"en": "feature x", "zh": "特征 x"},
    "axis_label": {"en": "label y", "zh": "标签 y"},
    "legend_optimum": {"en": "least squares (closed form)", "zh": "最小二乘（解析解）"},
    "legend_batch": {"en": "this update's minibatch", "zh": "本次更新的小批量"},
    "legend_ridge": {
        "en": "minimum with weight decay λ = {weight_decay:g} (ridge)",
        "zh": "加权重衰减 λ = {weight_decay:g} 后的最小值（岭回归）",
    },
    "legend_path": {"en": "descent path", "zh": "下降路径"},
    "legend_current": {"en": "current step", "zh": "当前步"},
    "legend_start": {"en": "start", "zh": "起点"},
    "legend_data": {"en": "data", "zh": "数据"},
    "legend_truth": {"en": "true line / plane", "zh": "真实直线／平面"},
    "legend_fit": {"en": "fitted", "zh": "拟合结果"},
    "legend_loss": {"en": "loss on all data", "zh": "全部数据上的损失"},
    "legend_batch_loss": {"en": "minibatch loss", "zh": "小批量损失"},
    "legend_progress": {"en": "loss so far", "zh": "目前为止的损失"},
    "legend_arrow_step": {"en": "step taken (Δθ)", "zh": "实际走的一步（Δθ）"},
    "legend_arrow_full": {"en": "−η × gradient on all data", "zh": "−η × 全部数据上的梯度"},
    "legend_arrow_batch": {"en": "−η × minibatch gradient", "zh": "−η × 小批量梯度"},
    "player_play": {"en": "Play (space)", "zh": "播放（空格）"},
    "player_pause": {"en": "Pause (space)", "zh": "暂停（空格）"},
    "player_first": {"en": "First step (Home)", "zh": "第一步（Home）"},
    "player_last": {"en": "Last step (End)", "zh": "最后一步（End）"},
    "player_back": {"en": "One step back (←)", "zh": "后退一步（←）"},
    "player_forward": {"en": "One step forward (→)", "zh": "前进一步（→）"},
    "player_slider": {"en": "Step", "zh": "步数"},
    "player_step_of": {"en": "step {step} / {total}", "zh": "第 {step} 步 / 共 {total} 步"},
    "player_epoch": {"en": "epoch", "zh": "迭代周期"},
    "player_loss": {"en": "loss", "zh": "损失"},
    "player_speed": {"en": "{speed}: {rate} steps/s", "zh": "{speed}：每秒 {rate} 步"},
    "player_diverged": {"en": "diverged", "zh": "已发散"},
    "player_batch_all": {"en": "batch of {size}, ringed", "zh": "小批量 {size} 个，已圈出"},
    "player_batch_part": {
        "en": "batch of {size}: {ringed} ringed, of {drawn} drawn",
        "zh": "小批量 {size} 个：画出 {drawn} 个，圈出其中 {ringed} 个",
    },
    # The update rules' live numbers (the rules are MathML, linreg_viz/update_rules.py); {names}
    # are filled with each step's numbers.
    "eq_numbers_sgd": {
        "en": "η = {lr}, |B| = {B}; the sums divided by |B|: {gw} and {gb}.   "
        "w = {w_prev} − {lr} × {gw} = {w},   b = {b_prev} − {lr} × {gb} = {b}",
        "zh": "η = {lr}，|B| = {B}；两个求和除以 |B| 得 {gw} 和 {gb}。   "
        "w = {w_prev} − {lr} × {gw} = {w}，   b = {b_prev} − {lr} × {gb} = {b}",
    },
    "eq_numbers_momentum": {
        "en": "η = {lr}, μ = {mu}, |B| = {B}:   g = {g},   v = {v},   "
        "θ = {theta_prev} − {lr} × {v} = {theta}",
        "zh": "η = {lr}，μ = {mu}，|B| = {B}：   g = {g}，   v = {v}，   "
        "θ = {theta_prev} − {lr} × {v} = {theta}",
    },
    "eq_numbers_nesterov": {
        "en": "η = {lr}, μ = {mu}, |B| = {B}:   g = {g},   v = {v},   "
        "θ = {theta_prev} − {lr} × ({g} + {mu} × {v}) = {theta}",
        "zh": "η = {lr}，μ = {mu}，|B| = {B}：   g = {g}，   v = {v}，   "
        "θ = {theta_prev} − {lr} × ({g} + {mu} × {v}) = {theta}",
    },
    "eq_numbers_adagrad": {
        "en": "η = {lr}, ε = {eps}, |B| = {B}:   g = {g},   s = {s},   θ: {theta_prev} → {theta}",
        "zh": "η = {lr}，ε = {eps}，|B| = {B}：   g = {g}，   s = {s}，   θ：{theta_prev} → {theta}",
    },
    "eq_numbers_rmsprop": {
        "en": "η = {lr}, α = {alpha}, ε = {eps}, |B| = {B}:   g = {g},   s = {s},   "
        "θ: {theta_prev} → {theta}",
        "zh": "η = {lr}，α = {alpha}，ε = {eps}，|B| = {B}：   g = {g}，   s = {s}，   "
        "θ：{theta_prev} → {theta}",
    },
    "eq_numbers_adam": {
        "en": "η = {lr}, β₁ = {beta1}, β₂ = {beta2}, ε = {eps}, t = {t}, |B| = {B}:   g = {g},   "
        "m = {m},   v = {v},   θ: {theta_prev} → {theta}",
        "zh": "η = {lr}，β₁ = {beta1}，β₂ = {beta2}，ε = {eps}，t = {t}，|B| = {B}：   g = {g}，   "
        "m = {m}，   v = {v}，   θ：{theta_prev} → {theta}",
    },
    "eq_note_mse": {
        "en": "(loss: mean squared error, no ½, so every gradient is twice the book's)",
        "zh": "（损失为均方误差，没有 ½，所以每个梯度都是书中的两倍）",
    },
    "eq_note_decay": {
        "en": "(weight decay λ = {weight_decay:g}: the gradient of w includes λw; b is not "
        "penalised)",
        "zh": "（权重衰减 λ = {weight_decay:g}：w 的梯度中含 λw；b 不受惩罚）",
    },
    "eq_note_options": {
        "en": "(also in effect, not written in this rule: {names}; θ before and after are the "
        "engine's)",
        "zh": "（另有生效但未写进此式的选项：{names}；更新前后的 θ 均为引擎的数值）",
    },
    "eq_start": {
        "en": "The start: no update yet. Step forward to see the first one.",
        "zh": "起点：还没有更新。前进一步即可看到第一次更新。",
    },
    "eq_no_state": {
        "en": "   (the optimizer's state is shown for runs of up to {max_replay:,} updates)",
        "zh": "   （优化算法的状态只对不超过 {max_replay:,} 次更新的训练显示）",
    },
    "player_failed": {
        "en": "The player could not start; the charts show the run's final state",
        "zh": "播放器无法启动；图中显示的是训练的最终状态",
    },
    "figure_diverged": {"en": "diverged at step {step}", "zh": "在第 {step} 步发散"},
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


def literal(text: object, limit: int = LITERAL_LIMIT) -> str:
    """User text (a link's value, a column name) for a message: a Markdown code span, one line,
    cut to `limit` characters, so that it shows as typed and never as a link, image or HTML.

    Backslash escapes are not enough: Streamlit turns bare URLs in escaped text into links.
    """
    text = re.sub(r"[\x00-\x1f\x7f-\x9f]", " ", str(text))  # a line break would end the span
    if len(text) > limit:
        text = text[:limit] + "…"
    fence = "`" * (max(map(len, re.findall("`+", text)), default=0) + 1)
    pad = " " if text.startswith("`") or text.endswith("`") or not text.strip() else ""
    return f"{fence}{pad}{text}{pad}{fence}"


# The pages' words (the figures' words are in TABLE above).
TABLE.update(
    {
        # Both languages in both: whoever cannot read the current one still finds the switch.
        "language_switch": {"en": "Language / 语言", "zh": "语言 / Language"},
        "page_visualiser": {"en": "Visualiser", "zh": "可视化"},
        "page_closed_form": {"en": "Closed form", "zh": "解析解"},
        "page_guide": {"en": "Guide", "zh": "使用说明"},
        "projection_mode": {"en": "Projection mode", "zh": "投影模式"},
        "projection_help": {
            "en": "Large type, thick lines and a high-contrast palette for a projector; "
            "the controls fold away so the figures fill the screen.",
            "zh": "为投影仪准备：大字号、粗线条、高对比度配色；控件收起，图形占满屏幕。",
        },
        "allowed_choices": {"en": "one of {choices}", "zh": "以下之一：{choices}"},
        "allowed_bool": {"en": "0 or 1", "zh": "0 或 1"},
        "allowed_integers": {
            "en": "an integer from {low} to {high}",
            "zh": "{low} 到 {high} 的整数",
        },
        "allowed_numbers": {"en": "a number from {low} to {high}", "zh": "{low} 到 {high} 的数"},
        "allowed_interval": {"en": "a number in `{interval}`", "zh": "区间 `{interval}` 中的数"},
        "allowed_at_most_n": {"en": "at most n = {n}", "zh": "不超过 n = {n}"},
        "allowed_other_axis": {"en": "a parameter other than axis_a", "zh": "与 axis_a 不同的参数"},
        "url_notice": {
            "en": "The link's value {value} is not allowed ({allowed}); "
            "the default is used instead.",
            "zh": "链接中的取值 {value} 不合法（允许：{allowed}），已改用默认值。",
        },
        "url_repeated": {
            "en": "The link gives {field} {count} times; only the last value, {value}, is used.",
            "zh": "链接中 {field} 出现了 {count} 次，只采用最后一个值 {value}。",
        },
        "url_unknown": {
            "en": "The link's parameter {field} is not one of this app's; it is ignored.",
            "zh": "链接中的参数 {field} 不属于本应用，已忽略。",
        },
        "url_unknown_more": {
            "en": "The link has {count:,} more parameters that are not this app's; they are ignored.",
            "zh": "链接中还有 {count:,} 个不属于本应用的参数，已忽略。",
        },
        "visualiser_title": {
            "en": "Minibatch SGD on linear regression, step by step",
            "zh": "线性回归的小批量随机梯度下降，一步一步看",
        },
        "group_data": {"en": "Data", "zh": "数据"},
        "group_training": {"en": "Training", "zh": "训练"},
        "group_view": {"en": "View", "zh": "显示"},
        "field_d": {"en": "Number of features", "zh": "特征数"},
        "one_feature": {"en": "1 (fitted line)", "zh": "1（拟合直线）"},
        "two_features": {"en": "2 (fitted plane)", "zh": "2（拟合平面）"},
        "field_w": {"en": "True weight w{i}", "zh": "真实权重 w{i}"},
        "field_b": {"en": "True bias b", "zh": "真实偏置 b"},
        "field_noise": {"en": "Noise σ", "zh": "噪声 σ"},
        "field_n": {"en": "Number of examples n", "zh": "样本数 n"},
        "field_seed": {"en": "Random seed", "zh": "随机种子"},
        "field_lr": {"en": "Learning rate lr", "zh": "学习率 lr"},
        "lr_help": {
            "en": "Log scale. Full-batch gradient descent diverges at or above the stability "
            "limit 2/λ_max.",
            "zh": "对数刻度。学习率达到或超过稳定上限 2/λ_max 时，全批量梯度下降会发散。",
        },
        "stability_limit": {
            "en": "Plain gradient descent is stable on these data for lr < {limit:.4g}",
            "zh": "在这组数据上，普通梯度下降在 lr < {limit:.4g} 时稳定",
        },
        "field_batch_size": {"en": "Batch size", "zh": "批量大小"},
        "quick_picks": {"en": "Quick picks: batch size", "zh": "快速选择批量大小"},
        "field_epochs": {"en": "Epochs", "zh": "迭代周期数"},
        "field_optimizer": {"en": "Optimizer", "zh": "优化算法"},
        "optimizer_sgd": {"en": "SGD (the book's)", "zh": "小批量随机梯度下降（书中）"},
        "optimizer_momentum": {"en": "Momentum", "zh": "动量法"},
        "optimizer_nesterov": {"en": "Nesterov momentum", "zh": "Nesterov 动量法"},
        "optimizer_adagrad": {"en": "AdaGrad", "zh": "AdaGrad"},
        "optimizer_rmsprop": {"en": "RMSProp", "zh": "RMSProp"},
        "optimizer_adam": {"en": "Adam", "zh": "Adam"},
        "field_init": {"en": "Starting point", "zh": "初始点"},
        "init_book": {
            "en": "The book's: w ~ N(0, 0.01²), b = 0",
            "zh": "书中的做法：w ~ N(0, 0.01²)，b = 0",
        },
        "init_custom": {"en": "Set by hand", "zh": "手动设定"},
        "field_w0": {"en": "Start w{i}", "zh": "初始 w{i}"},
        "field_b0": {"en": "Start b", "zh": "初始 b"},
        "group_advanced": {"en": "Optimizer options (advanced)", "zh": "优化算法选项（高级）"},
        "advanced_help": {
            "en": "The options of `torch.optim.{torch_name}`, at torch's defaults. The link keeps "
            "any you change.",
            "zh": "`torch.optim.{torch_name}` 的选项，初始为 PyTorch 的默认值。改动会记在链接里。",
        },
        "option_default": {
            "en": "`torch.optim`'s default: {default}",
            "zh": "`torch.optim` 默认值：{default}",
        },
        "option_refused": {
            "en": "The engine does not take this: {reason}",
            "zh": "训练引擎不接受这个值：{reason}",
        },
        "group_variants": {"en": "The book's variants", "zh": "书中的几种写法"},
        "field_loss": {"en": "Loss", "zh": "损失函数"},
        "loss_half_mse": {"en": "½ squared error (the book)", "zh": "½ 平方误差（书中）"},
        "loss_mse": {"en": "Mean squared error", "zh": "均方误差"},
        "loss_explain": {
            "en": "MSE has no ½: its gradient is twice the book's, so the same lr takes twice "
            "the step, and the stability limit halves.",
            "zh": "均方误差没有 ½：梯度是书中的两倍，同样的学习率走两倍的步长，稳定上限减半。",
        },
        "field_drop_last": {"en": "Drop the last, shorter batch", "zh": "丢弃最后一个不满的批量"},
        "field_divide_by": {"en": "SGD divides a batch's sum by", "zh": "SGD 把批量的梯度之和除以"},
        "divide_by_batch_length": {
            "en": "the batch's length (its mean loss)",
            "zh": "该批量的实际长度（平均损失）",
        },
        "divide_by_batch_size": {
            "en": "`batch_size`, as `d2l.sgd` does",
            "zh": "`batch_size`，与 `d2l.sgd` 相同",
        },
        "last_batch_explain": {
            "en": "n = {n:,} and batch size {batch_size}: each epoch ends with a batch of "
            "{rest}. Dropping it skips those examples for the epoch; keeping it and dividing "
            "by `batch_size` makes that update {rest}/{batch_size} as long.",
            "zh": "n = {n:,}，批量大小 {batch_size}：每个迭代周期最后一个批量只有 {rest} "
            "个样本。丢弃它则本周期跳过这些样本；保留它并除以 `batch_size`，这一步只有 "
            "{rest}/{batch_size} 那么长。",
        },
        "last_batch_even": {
            "en": "n = {n:,} splits into batches of {batch_size} evenly: these two choices "
            "change nothing here.",
            "zh": "n = {n:,} 正好分成大小为 {batch_size} 的批量：这两个选项在这里没有区别。",
        },
        "field_weight_decay": {"en": "Weight decay λ (L2)", "zh": "权重衰减 λ（L2）"},
        "weight_decay_explain": {
            "en": "Adds λ/2 ‖w‖² to the loss, on w only, as the book's §3.7; b is not "
            "penalised (the PyTorch engine gives `weight_decay` to w's parameter group only). "
            "The surface, contour, minimum, closed form (ridge) and stability limit include "
            "it; the loss curve is the data loss without it.",
            "zh": "在损失上加 λ/2 ‖w‖²，只惩罚 w，与书中 3.7 节相同；b 不受惩罚（PyTorch "
            "引擎只对 w 的参数组设 `weight_decay`）。曲面、等高线、最小值、解析解（岭回归）"
            "和稳定上限都包含这一项；损失曲线画的是不含惩罚的数据损失。",
        },
        "field_engine": {"en": "Engine", "zh": "训练引擎"},
        "engine_numpy": {"en": "NumPy, gradients by hand", "zh": "NumPy，手写梯度"},
        "engine_torch": {"en": "PyTorch autograd", "zh": "PyTorch 自动求导"},
        "field_dtype": {"en": "Floating point", "zh": "浮点类型"},
        "engine_explain": {
            "en": "`float32` is the book's dtype; `float64` keeps about 16 digits. PyTorch steps "
            "one update at a time in Python: each of its updates costs the server about "
            "{ratio:.0f} times a NumPy one, so its runs reach the limit sooner.",
            "zh": "`float32` 是书中的类型；`float64` 约有 16 位有效数字。PyTorch 引擎在 Python "
            "中逐步更新：它的每次更新花费服务器约 NumPy 的 {ratio:.0f} 倍，所以它的训练更早到达上限。",
        },
        "check_title": {
            "en": "Autograd vs hand-written gradients",
            "zh": "自动求导与手写梯度的对比",
        },
        "check_help": {
            "en": "Runs these settings twice, with NumPy's hand-written gradients and with "
            "PyTorch's autograd and `torch.optim`, and compares w and b after every update.",
            "zh": "用当前设置训练两次：NumPy 手写梯度，以及 PyTorch 自动求导加 `torch.optim`，"
            "并比较每次更新后的 w 和 b。",
        },
        "check_run": {"en": "Run both engines", "zh": "运行两个引擎"},
        "check_dw": {"en": "Largest |Δw|", "zh": "最大 |Δw|"},
        "check_db": {"en": "Largest |Δb|", "zh": "最大 |Δb|"},
        "check_numpy_time": {"en": "NumPy, by hand", "zh": "NumPy 手写"},
        "check_torch_time": {"en": "PyTorch autograd", "zh": "PyTorch 自动求导"},
        "check_agree": {
            "en": "Over all {updates:,} updates in {dtype}, the two agree within rounding "
            "({rounding:.2g}): autograd computes the gradients written by hand.",
            "zh": "在全部 {updates:,} 次更新上（{dtype}），两者之差在舍入误差（{rounding:.2g}）"
            "以内：自动求导算出的就是手写的梯度。",
        },
        "check_differ": {
            "en": "Over {updates:,} updates in {dtype}, the two differ by more than rounding "
            "({rounding:.2g}): a run near its stability limit amplifies rounding, and a "
            "diverged run's numbers are not comparable.",
            "zh": "在 {updates:,} 次更新上（{dtype}），两者之差超过舍入误差（{rounding:.2g}）："
            "接近稳定上限时舍入误差会被放大，发散后的数值无法比较。",
        },
        "col_ridge": {
            "en": "Closed form (ridge, λ = {weight_decay:g})",
            "zh": "解析解（岭回归，λ = {weight_decay:g}）",
        },
        "field_landscape": {"en": "Loss landscape", "zh": "损失曲面"},
        "landscape_both": {"en": "3-D and contour", "zh": "三维与等高线"},
        "landscape_contour": {"en": "Contour", "zh": "等高线"},
        "landscape_surface": {"en": "3-D surface", "zh": "三维曲面"},
        "field_axis_a": {"en": "Horizontal axis", "zh": "横轴参数"},
        "field_axis_b": {"en": "Vertical axis", "zh": "纵轴参数"},
        "axes_same": {
            "en": "The two axes must be different parameters; the figure uses another second axis.",
            "zh": "两个坐标轴必须是不同的参数，图中已改用另一个参数作纵轴。",
        },
        "field_speed": {"en": "Animation speed", "zh": "动画速度"},
        "speed_slow": {"en": "Slow", "zh": "慢"},
        "speed_normal": {"en": "Normal", "zh": "正常"},
        "speed_fast": {"en": "Fast", "zh": "快"},
        "field_arrows": {"en": "Arrows at the current step", "zh": "在当前步画箭头"},
        "arrows_help": {
            "en": "On the contour, from the point before the update: the step actually taken, and "
            "−η times the gradient on all data (where plain gradient descent would go). For an "
            "optimizer other than SGD also −η times the minibatch gradient. Lengths are true to "
            "the axes.",
            "zh": "在等高线图上，从更新前的点出发：实际走的一步，以及 −η 乘以全部数据上的梯度"
            "（普通梯度下降会走的方向）。对 SGD 以外的优化算法，另画 −η 乘以小批量梯度。"
            "箭头长度与坐标轴刻度一致。",
        },
        "speed_help": {
            "en": "Steps (updates) per second: slow {slow}, normal {normal}, fast {fast}. Playback keeps to the "
            "clock, skipping drawings when the browser is slower.",
            "zh": "每秒播放的步数（参数更新次数）：慢 {slow}、正常 {normal}、快 {fast}。播放严格按时间进行，"
            "浏览器来不及画时会跳过中间的画面。",
        },
        "lr_too_large": {
            "en": "lr = {lr:g} is at or above the stability limit of plain gradient descent, "
            "{limit:.4g}: expect the run to diverge.",
            "zh": "学习率 lr = {lr:g} 不小于普通梯度下降的稳定上限 {limit:.4g}：训练很可能发散。",
        },
        "too_many_updates": {
            "en": "Epochs × batches per epoch = {updates:,} updates, more than the {cap:,} "
            "allowed: use fewer epochs, a larger batch size or fewer examples.",
            "zh": "迭代周期数 × 每周期批量数 = {updates:,} 次更新，超过上限 {cap:,}："
            "请减少迭代周期、增大批量大小或减少样本数。",
        },
        "run_refused": {
            "en": "This run was not started: {reason} What was on screen stays.",
            "zh": "未开始这次训练：{reason} 屏幕上保留原有的结果。",
        },
        "diverged_at": {
            "en": "Diverged at step {step}: the loss blew up. What was computed is drawn.",
            "zh": "在第 {step} 步发散：损失爆炸。已画出发散前的过程。",
        },
        "metric_steps": {"en": "Updates", "zh": "更新步数"},
        "metric_epoch": {"en": "Epoch", "zh": "迭代周期"},
        "metric_loss": {"en": "Loss", "zh": "损失"},
        "col_parameter": {"en": "Parameter", "zh": "参数"},
        "col_learned": {"en": "Learned", "zh": "学到的"},
        "col_true": {"en": "True", "zh": "真实值"},
        "col_least_squares": {"en": "Least squares", "zh": "最小二乘解"},
        "col_error": {"en": "Error (true − learned)", "zh": "误差（真实 − 学到）"},
        "col_gap": {"en": "Gap (least squares − learned)", "zh": "差距（最小二乘 − 学到）"},
        "closed_form_title": {"en": "The closed form", "zh": "解析解"},
        "closed_form_intro": {
            "en": "Linear regression has an answer in one formula: append a column of ones to "
            "the features and solve the normal equation.",
            "zh": "线性回归有一个公式就能写出的解：给特征加一列 1，解正规方程。",
        },
        "closed_form_stable": {
            "en": "The app computes it with a least-squares solver (`numpy.linalg.lstsq`), "
            "never by inverting XᵀX, which loses accuracy when features are correlated. The "
            "residual is orthogonal to every column of Xₐ. Below: the current data set, and "
            "where the current gradient-descent run ended.",
            "zh": "本应用用最小二乘求解器（`numpy.linalg.lstsq`）计算，而不是对 XᵀX 求逆——"
            "特征相关时求逆会损失精度。残差与 Xₐ 的每一列正交。下表是当前数据集的解析解，"
            "以及当前梯度下降最后停在哪里。",
        },
        "metric_min_loss": {"en": "Smallest possible loss", "zh": "最小可能损失"},
        "metric_limit": {"en": "Stability limit 2/λ_max", "zh": "稳定上限 2/λ_max"},
        "metric_condition": {"en": "Condition number", "zh": "条件数"},
        "closed_form_condition": {
            "en": "The Hessian of the loss is XₐᵀXₐ/n. Full-batch gradient descent is stable "
            "only for lr < 2/λ_max, and the steps it needs grow with the condition number "
            "λ_max/λ_min: long thin contour ellipses, a zig-zag path.",
            "zh": "损失的黑塞矩阵是 XₐᵀXₐ/n。全批量梯度下降只有在 lr < 2/λ_max 时才稳定，"
            "所需步数随条件数 λ_max/λ_min 增长：等高线是细长的椭圆，路径呈之字形。",
        },
        "field_source": {"en": "Data source", "zh": "数据来源"},
        "source_synthetic": {"en": "Synthetic", "zh": "合成数据"},
        "source_upload": {"en": "My CSV", "zh": "我的 CSV"},
        "field_file": {
            "en": "CSV file (UTF-8 or GBK, ≤ {limit_mb} MB)",
            "zh": "CSV 文件（UTF-8 或 GBK，≤ {limit_mb} MB）",
        },
        "upload_help": {
            "en": "A header row, then numbers; comma or semicolon between columns.",
            "zh": "第一行为表头，其余为数字；列之间用逗号或分号分隔。",
        },
        "field_features": {"en": "Feature columns (1 or 2)", "zh": "特征列（1 或 2 列）"},
        "field_target": {"en": "Label column", "zh": "标签列"},
        "field_standardise": {"en": "Standardise the features", "zh": "标准化特征"},
        "upload_too_large": {
            "en": "The file is {size_mb:.1f} MB; at most {limit_mb:g} MB is allowed. "
            "The previous data stay.",
            "zh": "文件大小为 {size_mb:.1f} MB，上限是 {limit_mb:g} MB。保留之前的数据。",
        },
        "upload_not_csv": {
            "en": "This file is not a CSV table (text in UTF-8 or GBK with a header row). "
            "The previous data stay.",
            "zh": "该文件不是 CSV 表格（需为 UTF-8 或 GBK 文本，且有表头）。保留之前的数据。",
        },
        "upload_too_few_columns": {
            "en": "The table has {columns} column(s); at least 2 are needed (a feature and a "
            "label). The previous data stay.",
            "zh": "表格只有 {columns} 列，至少需要 2 列（特征和标签）。保留之前的数据。",
        },
        "upload_too_few_rows": {
            "en": "The table has {rows} data row(s); at least 2 are needed. The previous data stay.",
            "zh": "表格只有 {rows} 行数据，至少需要 2 行。保留之前的数据。",
        },
        "upload_too_many_rows": {
            "en": "The table has {rows:,} rows; at most {limit:,} are allowed. The previous data stay.",
            "zh": "表格有 {rows:,} 行，上限是 {limit:,} 行。保留之前的数据。",
        },
        "upload_missing": {
            "en": "Column {column} has a missing value in line {row}. The previous data stay.",
            "zh": "{column} 列第 {row} 行缺少数值。保留之前的数据。",
        },
        "upload_non_numeric": {
            "en": "Column {column} holds {value} in line {row}, which is not a number. "
            "The previous data stay.",
            "zh": "{column} 列第 {row} 行是 {value}，不是数字。保留之前的数据。",
        },
        "upload_constant": {
            "en": "Column {column} has the same value in every row, so nothing can be learned "
            "from it. The previous data stay.",
            "zh": "{column} 列每一行的值都相同，无法从中学习。保留之前的数据。",
        },
        "upload_repeated_column": {
            "en": "The header names column {column} more than once; give each column its own "
            "name. The previous data stay.",
            "zh": "表头中 {column} 列出现了不止一次，请给每一列起不同的名字。保留之前的数据。",
        },
        "upload_long_row": {
            "en": "Line {line} has {fields} fields, but the header names only {columns} columns. "
            "The previous data stay.",
            "zh": "第 {line} 行有 {fields} 个字段，但表头只有 {columns} 列。保留之前的数据。",
        },
        "upload_feature_count": {
            "en": "Choose 1 or 2 feature columns (now {count}).",
            "zh": "请选择 1 或 2 个特征列（当前 {count} 个）。",
        },
        "upload_target_is_feature": {
            "en": "Column {column} cannot be both a feature and the label.",
            "zh": "{column} 列不能既是特征又是标签。",
        },
        "download_csv": {"en": "Download the trajectory (CSV)", "zh": "下载训练轨迹（CSV）"},
        "download_html": {
            "en": "Download the animation (HTML, plays offline)",
            "zh": "下载动画（HTML，可离线播放）",
        },
        "download_reproduce": {
            "en": "Reproduce this run (Python script)",
            "zh": "复现这次训练（Python 脚本）",
        },
        "reproduce_help": {
            "en": "One script in the book's style (synthetic_data, data_iter, linreg, squared_loss, "
            "sgd) on PyTorch: it redraws these data, this start and this batch order, and prints "
            "the same epoch lines as above. For your own data, run it with the CSV file's path.",
            "zh": "一个与书中写法相同的脚本（synthetic_data、data_iter、linreg、squared_loss、sgd），"
            "基于 PyTorch：重新生成同样的数据、起点和小批量顺序，打印与上面相同的每个迭代周期的损失。"
            "使用自己的数据时，运行时在命令行给出 CSV 文件的路径。",
        },
        "csv_sampled": {
            "en": "This run has {updates:,} updates; its CSV holds about {rows:,} of them, evenly spaced, "
            "with every epoch's end and the last update. The run is computed again when you "
            "click, which takes a few seconds.",
            "zh": "这次训练共有 {updates:,} 次更新；CSV 中保存其中均匀间隔的约 {rows:,} 次，"
            "包括每个迭代周期的结尾和最后一次更新。点击下载时会重新计算这次训练，需要几秒钟。",
        },
        "png_hint": {
            "en": "For a picture, use the camera button at the top right of each chart (PNG).",
            "zh": "需要图片时，点击每张图右上角的相机按钮（PNG）。",
        },
        "guide_title": {"en": "Guide", "zh": "使用说明"},
        "guide_what_heading": {"en": "What you see", "zh": "你看到的是什么"},
        "guide_what": {
            "en": "The run of D2L §3.2, *linear regression from scratch*: the loss over the "
            "parameters (3-D and contour), the path minibatch SGD takes across it, the fitted "
            "line or plane moving through the data, and the loss per step.",
            "zh": "这是《动手学深度学习》3.2 节“线性回归的从零开始实现”的训练过程："
            "损失随参数变化的曲面（三维与等高线）、小批量随机梯度下降在其上走过的路径、"
            "在数据中移动的拟合直线或平面，以及每一步的损失。",
        },
        "guide_play_heading": {"en": "Play and scrub", "zh": "播放与拖动"},
        "guide_play": {
            "en": "Press ▶ to play the run in the browser; drag the step slider to any step, or use "
            "⏮ ◀ ▶| ⏭. All views move together. Every update of a run of up to {points:,} updates "
            "can be reached; a longer run is sampled to {points:,} points, keeping each epoch's end "
            "and the step where it diverged.",
            "zh": "按 ▶ 在浏览器中播放；拖动步数滑块，或用 ⏮ ◀ ▶| ⏭，可到任意一步，所有视图同步移动。"
            "不超过 {points} 次更新的训练，每一次更新都能看到；更长的训练抽取 {points} 个点，"
            "每个迭代周期的结尾和发散的那一步都会保留。",
        },
        "guide_keys_heading": {"en": "Keyboard", "zh": "键盘"},
        "guide_keys": {
            "en": "When no control has the focus (click an empty part of the page): space plays "
            "or pauses, ← and → step one update, Home and End go to the first and last. Controls keep their usual keys (Tab moves "
            "between them, arrows move a focused slider). Plotly has no keys for rotating the "
            "3-D views: drag them with the mouse.",
            "zh": "当没有控件获得焦点时（点击页面空白处）：空格键播放或暂停，← 和 → 前后移动一步，"
            "Home 和 End 跳到第一步和最后一步。"
            "控件保持常规按键（Tab 在控件间切换，方向键移动获得焦点的滑块）。"
            "Plotly 不支持用键盘旋转三维图，请用鼠标拖动。",
        },
        "guide_projection_heading": {"en": "In a lecture hall", "zh": "在教室里"},
        "guide_projection": {
            "en": "Turn on *Projection mode* (or add `projection=1` to the link): large type, "
            "thick lines, a colour-blind-safe high-contrast palette, and the sidebar folded.",
            "zh": "打开“投影模式”（或在链接中加 `projection=1`）：大字号、粗线条、"
            "色盲友好的高对比配色，侧边栏收起。",
        },
        "guide_links_heading": {"en": "Sharing a run", "zh": "分享一次训练"},
        "guide_links": {
            "en": "Every control is in the page's address. Copy the link and whoever opens it "
            "sees the same run, step for step. A CSV you uploaded is not in the link: whoever "
            "opens it sees the synthetic data. Send the file with it (and *Reproduce this run*, "
            "the script that reruns it on the file).",
            "zh": "所有控件的取值都在网页地址里。复制链接发给别人，打开后看到的是完全相同的训练过程。"
            "你上传的 CSV 不在链接里：打开链接的人看到的是合成数据。请把文件一起发过去"
            "（以及“复现这次训练”下载的脚本，它在这个文件上重跑这次训练）。",
        },
    }
)

# The conditioning lesson's words (its page, /conditioning).
TABLE.update(
    {
        "page_conditioning": {"en": "Conditioning", "zh": "条件数"},
        "cond_about": {"en": "What this page shows", "zh": "这一页展示什么"},
        "cond_title": {
            "en": "Conditioning: why standardise the features",
            "zh": "条件数：为什么要标准化特征",
        },
        "cond_intro": {
            "en": "Gradient descent on linear regression is fastest when the loss's contours are "
            "round. Here the second feature x2 is scaled by s and correlated with x1 by ρ. The "
            "left side trains on these features as drawn, the right side on the same features "
            "standardised: the same optimizer, the same learning rate lr, the same start.",
            "zh": "在线性回归上，损失的等高线越圆，梯度下降越快。这里第二个特征 x2 被放大 s 倍，"
            "并与 x1 的相关系数为 ρ。左边用原始特征训练，右边用标准化后的同一组特征训练："
            "同样的优化算法、同样的学习率 lr、同样的初始点。",
        },
        "cond_group": {"en": "Conditioning", "zh": "条件数"},
        "field_scale": {
            "en": "Scale s of feature x2 (its standard deviation)",
            "zh": "特征 x2 的尺度 s（标准差）",
        },
        "field_rho": {"en": "Correlation ρ of x1 and x2", "zh": "x1 与 x2 的相关系数 ρ"},
        "field_lr_ratio": {
            "en": "lr as a multiple of the raw data's limit 2/λ_max",
            "zh": "学习率 lr：原始数据稳定上限 2/λ_max 的倍数",
        },
        "lr_ratio_help": {
            "en": "Both sides use the same lr: this number times 2/λ_max of the raw features. "
            "Above 1 the raw side diverges; the standardised side's own limit is in the table.",
            "zh": "两边使用同一个学习率：这个倍数乘以原始特征的 2/λ_max。"
            "大于 1 时原始特征一边会发散；标准化一边自己的稳定上限见表格。",
        },
        "field_full_batch": {
            "en": "Full batch (all examples in every update)",
            "zh": "全批量（每次更新用全部样本）",
        },
        "full_batch_help": {
            "en": "On: full-batch gradient descent, for which the theory in the table holds "
            "exactly. Off: minibatches of the visualiser's batch size.",
            "zh": "打开：全批量梯度下降，表中的理论值对它严格成立。关闭：使用可视化页面中的批量大小。",
        },
        "field_steps": {"en": "Updates to run", "zh": "更新步数"},
        "cond_data_note": {
            "en": "The true w1, w2 and b, the noise, n and the seed are the visualiser's (its "
            "Data controls).",
            "zh": "真实的 w1、w2、b，噪声、样本数 n 和随机种子沿用可视化页面的数据设置。",
        },
        "cond_together": {
            "en": "The two players play, pause and step together: either one drives both.",
            "zh": "两个播放器同步播放、暂停和单步：操作任意一个，两边一起动。",
        },
        "cond_raw": {"en": "Raw features", "zh": "原始特征"},
        "cond_std": {"en": "Standardised features", "zh": "标准化后的特征"},
        "cond_raw_note": {
            "en": "x1 ~ N(0, 1); x2 = s (ρ x1 + √(1 − ρ²) z), z ~ N(0, 1): standard deviation s, "
            "correlation ρ with x1.",
            "zh": "x1 ~ N(0, 1)；x2 = s (ρ x1 + √(1 − ρ²) z)，z ~ N(0, 1)：标准差为 s，"
            "与 x1 的相关系数为 ρ。",
        },
        "cond_std_note": {
            "en": "Each feature centred and scaled to unit variance, (x − mean) / std. The labels "
            "y are unchanged, so the bias b takes up the means.",
            "zh": "每个特征减去均值、除以标准差，方差为 1。标签 y 不变，均值由偏置 b 吸收。",
        },
        "cond_theory_for_gd": {
            "en": "The theory rows are for full-batch gradient descent. This run uses minibatches "
            "or another optimizer, so its measured steps may differ from them.",
            "zh": "表中的理论值针对全批量梯度下降。这次训练使用了小批量或其他优化算法，"
            "实测步数可能与理论不同。",
        },
        "cond_quantity": {"en": "Quantity", "zh": "指标"},
        "cond_lambda_min": {
            "en": "λ_min, smallest eigenvalue of the Hessian",
            "zh": "λ_min，黑塞矩阵的最小特征值",
        },
        "cond_lambda_max": {
            "en": "λ_max, largest eigenvalue of the Hessian",
            "zh": "λ_max，黑塞矩阵的最大特征值",
        },
        "cond_kappa": {
            "en": "condition number κ = λ_max / λ_min",
            "zh": "条件数 κ = λ_max / λ_min",
        },
        "cond_limit": {"en": "stability limit 2/λ_max", "zh": "稳定上限 2/λ_max"},
        "cond_lr": {"en": "lr used (the same on both sides)", "zh": "使用的学习率 lr（两边相同）"},
        "cond_rate": {
            "en": "rate at this lr: max |1 − lr·λ|, the distance's factor per step",
            "zh": "此学习率下的收敛率：max |1 − lr·λ|，每步距离缩小的倍数",
        },
        "cond_best_rate": {
            "en": "rate at the best lr 2/(λ_min + λ_max): (κ − 1)/(κ + 1)",
            "zh": "最佳学习率 2/(λ_min + λ_max) 下的收敛率：(κ − 1)/(κ + 1)",
        },
        "cond_measured": {
            "en": "steps to within {tol:g} of the minimum loss: measured on this run",
            "zh": "损失到达最小值 {tol:g} 以内所需步数：本次训练实测",
        },
        "cond_theory": {
            "en": "the same, theory: full-batch gradient descent at this lr, from this start",
            "zh": "同上，理论值：此学习率下的全批量梯度下降，从同一初始点出发",
        },
        "cond_theory_best": {
            "en": "the same, theory: full-batch gradient descent at the best lr",
            "zh": "同上，理论值：最佳学习率下的全批量梯度下降",
        },
        "cond_diverged_at": {"en": "diverged at step {step}", "zh": "在第 {step} 步发散"},
        "cond_not_within": {"en": "not within {steps:,} steps", "zh": "{steps:,} 步内未到达"},
        "cond_never": {"en": "never (lr ≥ 2/λ_max)", "zh": "永远不会（lr ≥ 2/λ_max）"},
        "cond_explanation": {
            "en": "**Why.** The loss is a quadratic bowl over (w1, w2, b). Its Hessian is "
            "XₐᵀXₐ/n (Xₐ: the features and a column of ones), and its eigenvalues are the "
            "curvatures along the bowl's axes: λ_max along the steepest, λ_min along the "
            "flattest. Each step of full-batch gradient descent multiplies the distance to the "
            "minimum along each axis by 1 − lr·λ. So it is stable only for lr < 2/λ_max, and "
            "then the flattest axis shrinks by only 1 − lr·λ_min a step. Even at the best lr, "
            "2/(λ_min + λ_max), a step shrinks the distance by no more than (κ − 1)/(κ + 1), "
            "κ = λ_max/λ_min the condition number. A large κ is a long thin valley: the contour "
            "ellipses are long and thin, and the path zig-zags across the valley or crawls "
            "along it.\n\n"
            "A feature in large units (s > 1) makes its weight's direction steep, one in small "
            "units (s < 1) makes it flat; correlated features tilt and stretch the ellipses. "
            "Standardising each feature (subtract its mean, divide by its standard deviation) "
            "undoes the scale and the mean; the correlation stays, and the standardised κ is "
            "about (1 + |ρ|)/(1 − |ρ|). With the same lr both sides are held to the raw data's "
            "limit: the standardised features allow a larger lr, as their own limit shows.",
            "zh": "**为什么。** 损失是关于 (w1, w2, b) 的二次“碗”。它的黑塞矩阵是 XₐᵀXₐ/n"
            "（Xₐ：特征加一列 1），特征值就是碗沿各个主轴的曲率：λ_max 沿最陡的方向，"
            "λ_min 沿最平的方向。全批量梯度下降每走一步，沿每个主轴到最小值的距离乘以 "
            "1 − lr·λ。所以只有 lr < 2/λ_max 时才稳定，而最平的方向每步只缩小到 "
            "1 − lr·λ_min 倍。即使用最佳学习率 2/(λ_min + λ_max)，每步距离也最多缩小到 "
            "(κ − 1)/(κ + 1) 倍，其中 κ = λ_max/λ_min 是条件数。κ 很大就是一条又长又窄的山谷："
            "等高线是细长的椭圆，路径在山谷两侧来回折返（之字形），或沿谷底缓慢爬行。\n\n"
            "特征的单位很大（s > 1）时，对应权重的方向很陡；单位很小（s < 1）时很平；"
            "特征相关会使椭圆倾斜并拉长。标准化（每个特征减去均值、除以标准差）消除了尺度和均值的影响，"
            "但相关性仍在，标准化后的 κ 约为 (1 + |ρ|)/(1 − |ρ|)。两边使用同一个学习率时，"
            "都受原始数据稳定上限的限制：标准化后的特征允许更大的学习率，见它自己的稳定上限。",
        },
    }
)

# The comparison page's words (pages/compare.py, linreg_viz/compare_figures.py, comparison.py).
TABLE.update(
    {
        "page_compare": {"en": "Compare runs", "zh": "比较训练"},
        "compare_title": {"en": "Compare runs on the same data", "zh": "在同一数据上比较几次训练"},
        "compare_intro": {
            "en": "Up to four runs on the data of the visualiser, each with its own optimizer, "
            "lr, batch size and start, on one clock in epochs (examples seen ÷ n): a run with "
            "batch size 1 and a full-batch run advance fairly.",
            "zh": "在可视化页的数据上最多比较四次训练，每次有自己的优化算法、学习率、批量大小和起点；"
            "时间轴以迭代周期计（已见样本数 ÷ n），批量大小为 1 的训练和全批量训练公平地前进。",
        },
        "cmp_choose": {"en": "The runs compared", "zh": "参与比较的训练"},
        "cmp_presets": {"en": "Ready-made comparisons", "zh": "现成的比较"},
        "cmp_preset_batch": {
            "en": "Batch size 1 / 10 / 100 / n",
            "zh": "批量大小 1 / 10 / 100 / n",
        },
        "cmp_preset_optimizers": {"en": "SGD / momentum / Adam", "zh": "SGD / 动量法 / Adam"},
        "cmp_preset_limit": {
            "en": "lr at 0.5×, 0.99× and 1.1× the stability limit",
            "zh": "学习率为稳定上限的 0.5×、0.99× 和 1.1×",
        },
        "cmp_field_runs": {"en": "The runs as a link writes them", "zh": "链接中的写法"},
        "cmp_runs_help": {
            "en": "A preset's name, or up to {most} runs separated by `;`, each "
            "`optimizer:lr:batch_size`, optionally `:w1,w2,b` for its start. lr may be a multiple "
            "of the stability limit (`0.99x`); batch size `n` is the full batch; the optimizer "
            "may carry `torch.optim` options in brackets. Example: "
            "`sgd:0.03:10;adam(beta1=0.8):0.1:10`.",
            "zh": "预设的名称，或用 `;` 分隔的最多 {most} 次训练，每次写作 `优化算法:学习率:批量大小`，"
            "可再加 `:w1,w2,b` 作为起点。学习率可以写成稳定上限的倍数（`0.99x`）；"
            "批量大小 `n` 表示全批量；优化算法后可在括号里写 `torch.optim` 的选项。"
            "例如：`sgd:0.03:10;adam(beta1=0.8):0.1:10`。",
        },
        "allowed_runs": {
            "en": "a preset ({presets}) or up to {most} runs "
            "`optimizer[(options)]:lr:batch_size[:w1,w2,b]` separated by `;`: optimizer "
            "{optimizers}, lr a number or `0.99x` (× the limit), batch size a number or `n`",
            "zh": "预设（{presets}），或用 `;` 分隔的最多 {most} 次训练 "
            "`优化算法[(选项)]:学习率:批量大小[:w1,w2,b]`：优化算法为 {optimizers}，"
            "学习率为数或 `0.99x`（稳定上限的倍数），批量大小为数或 `n`",
        },
        "cmp_sgd": {"en": "SGD", "zh": "SGD"},
        "cmp_separator": {"en": ", ", "zh": "，"},
        "cmp_colon": {"en": ": ", "zh": "："},
        "cmp_lr": {"en": "lr {lr:g}", "zh": "学习率 {lr:g}"},
        "cmp_lr_relative": {
            "en": "lr {lr:g} ({factor:g}× limit)",
            "zh": "学习率 {lr:g}（稳定上限的 {factor:g} 倍）",
        },
        "cmp_batch": {"en": "batch {size}", "zh": "批量 {size}"},
        "cmp_batch_full": {"en": "batch n = {n}", "zh": "批量 n = {n}"},
        "cmp_start": {"en": "start ({values})", "zh": "起点（{values}）"},
        "cmp_start_book": {"en": "the book's start", "zh": "书中的起点"},
        "cmp_options_default": {"en": "default options", "zh": "默认选项"},
        "cmp_field_options": {"en": "Options", "zh": "选项"},
        "cmp_options_hint": {"en": "defaults; e.g. {example}", "zh": "默认值；例如 {example}"},
        "cmp_title_loss": {"en": "Loss over epochs", "zh": "损失随迭代周期的变化"},
        "cmp_axis_epoch": {"en": "epoch (examples seen ÷ n)", "zh": "迭代周期（已见样本数 ÷ n）"},
        "cmp_diverged_legend": {
            "en": "{name}: diverged at epoch {epoch:.3g}",
            "zh": "{name}：在第 {epoch:.3g} 个迭代周期发散",
        },
        "cmp_diverged_readout": {
            "en": "diverged at epoch {epoch}",
            "zh": "在第 {epoch} 个迭代周期发散",
        },
        "cmp_growing": {
            "en": "{name}: the loss ends at {ratio:.3g} times its start. This run is "
            "diverging, only slowly: each update overshoots the minimum by a little more.",
            "zh": "{name}：最终损失是起始损失的 {ratio:.3g} 倍。这次训练正在发散，只是比较慢："
            "每次更新都比上一次更远地越过最小值。",
        },
        "cmp_diverged": {
            "en": "{name} diverged at epoch {epoch:.3g}, after {steps:,} updates: its loss grew past "
            "10⁸ times its starting loss. It stops there, marked ✕; the other runs go on.",
            "zh": "{name} 在第 {epoch:.3g} 个迭代周期、{steps:,} 次更新后发散：损失超过起始损失的 "
            "10⁸ 倍。它停在那里，以 ✕ 标出；其他训练继续。",
        },
        "cmp_speed": {
            "en": "{speed}: the whole comparison in about {seconds} s",
            "zh": "{speed}：整个比较约 {seconds} 秒",
        },
        "cmp_bad_start": {
            "en": "The start of run {run} has {given} numbers; these data need {needed} (w…, b).",
            "zh": "第 {run} 次训练的起点有 {given} 个数；这份数据需要 {needed} 个（w…, b）。",
        },
        "cmp_runs_bad": {
            "en": "{value} is not allowed ({allowed}); the comparison before it stays.",
            "zh": "{value} 不合法（允许：{allowed}），保留之前的比较。",
        },
        "guide_step_heading": {"en": "Why a step went where it did", "zh": "每一步为什么走到那里"},
        "guide_step": {
            "en": "Paused on a step, three things explain it. The arrows on the contour: the "
            "step taken, and −η times the gradient on all data, where plain gradient descent "
            "would have gone. The ringed points in the data view: the minibatch this update "
            "used. The update equation under the readout: the book's rule with this step's "
            "numbers, η, |B|, the gradient, w and b before and after.",
            "zh": "停在某一步时，有三样东西解释它：等高线上的箭头——实际走的一步，以及 −η 乘以"
            "全部数据上的梯度（普通梯度下降会走的方向）；数据图中圈出的点——这次更新用到的"
            "小批量；读数下方的更新公式——书中的公式，填入这一步的 η、|B|、梯度、更新前后的 "
            "w 和 b。",
        },
        "guide_lessons_heading": {"en": "The book's variants", "zh": "书中的几种写法"},
        "guide_lessons": {
            "en": "Under *Training*: the optimizer's own options (*advanced*), and *The book's "
            "variants*: ½ squared error or MSE, the last short batch, weight decay λ (§3.7), "
            "NumPy with hand-written gradients or PyTorch autograd, `float32` or `float64`. Under the "
            "numbers, *Autograd vs hand-written gradients* runs both engines and shows they "
            "agree. *Reproduce this run* downloads a script in the book's style that prints the "
            "same lines.",
            "zh": "在“训练”下：优化算法自己的选项（高级），以及“书中的几种写法”：½ 平方误差或均方"
            "误差、最后一个不满的批量、权重衰减 λ（3.7 节）、NumPy 手写梯度或 PyTorch 自动求导、"
            "`float32` 或 `float64`。数值下方的“自动求导与手写梯度的对比”会运行两个引擎，显示两者"
            "一致。“复现这次训练”下载一个书中风格的脚本，打印出相同的几行。",
        },
        "guide_conditioning_heading": {"en": "Conditioning", "zh": "条件数"},
        "guide_conditioning": {
            "en": "*Conditioning* scales and correlates the features, and trains on them as "
            "drawn and standardised, side by side: elongated contours take many more steps, as "
            "the condition number κ says they will.",
            "zh": "“条件数”页面缩放特征并使其相关，然后在原始特征和标准化后的特征上并排训练："
            "被拉长的等高线需要多得多的步数，正如条件数 κ 所预言的。",
        },
        "guide_compare_heading": {"en": "Comparing runs", "zh": "比较几次训练"},
        "guide_compare": {
            "en": "*Compare runs* puts up to four runs on the same data, surface, contour and "
            "loss view, on one clock in epochs. Start from a preset (batch size, optimizers, lr "
            "near the stability limit) and change the runs under *The runs compared*; the link "
            "keeps them.",
            "zh": "“比较训练”把最多四次训练放在同一份数据、同一个曲面、等高线和损失图上，"
            "用同一个以迭代周期计的时间轴。从预设开始（批量大小、优化算法、接近稳定上限的学习率），"
            "再在“参与比较的训练”中修改；链接会保存它们。",
        },
        "cmp_field_lr": {
            "en": "lr (or 0.99x: × the limit)",
            "zh": "学习率（或 0.99x：稳定上限的倍数）",
        },
        "cmp_field_start": {
            "en": "Start w1,w2,b (empty: the book's)",
            "zh": "起点 w1,w2,b（留空：书中的起点）",
        },
        "cmp_remove": {"en": "Remove this run", "zh": "删除这次训练"},
        "cmp_add": {"en": "Add a run", "zh": "添加一次训练"},
        "cmp_row_bad": {
            "en": "Run {row}, {value}, is not allowed ({allowed}); the runs before it stay.",
            "zh": "第 {row} 次训练 {value} 不合法（允许：{allowed}），保留之前的训练。",
        },
        "cmp_col_run": {"en": "run", "zh": "训练"},
        "cmp_col_updates": {"en": "updates", "zh": "更新次数"},
        "cmp_col_loss": {"en": "final loss", "zh": "最终损失"},
    }
)

# Hostile links (issue 17): what a link asks for that cannot be run, and what is shown instead.
TABLE.update(
    {
        "data_refused": {
            "en": "These data cannot be used ({values}): {reason}. {instead}",
            "zh": "无法使用这组数据（{values}）：{reason}。{instead}",
        },
        "data_instead_defaults": {
            "en": "The default data are shown instead, and their controls set to them.",
            "zh": "改为显示默认数据，相应控件也已恢复为默认值。",
        },
        "link_refused": {
            "en": "The link's run was not started: {reason} The default run is shown instead, "
            "and its controls set to it.",
            "zh": "未开始链接中的训练：{reason} 改为显示默认的训练，相应控件也已恢复为默认值。",
        },
        "url_not_used": {
            "en": "This page does not use the link's {fields}: they are kept in the link for the "
            "other pages, and this page's run is set by its own controls.",
            "zh": "本页不使用链接中的 {fields}：它们仍保留在链接中供其他页面使用，"
            "本页的训练由本页自己的控件决定。",
        },
        "data_instead_last": {
            "en": "The data shown before stay, and their controls go back to them.",
            "zh": "保留之前显示的数据，相应控件也已恢复。",
        },
    }
)

# Your own data, issue 17: a file the server lost, a link that cannot carry a file, and raw
# features whose stability limit is tiny.
TABLE.update(
    {
        "upload_lost": {
            "en": "Your CSV file is no longer on the server (it restarted, or the page moved to "
            "another server): please upload it again. Nothing is drawn until then, so that no "
            "other data appear under its name.",
            "zh": "你的 CSV 文件已不在服务器上（服务器重启过，或页面换到了另一台服务器）：请重新上传。"
            "在此之前不画任何图，以免别的数据顶着它的名字出现。",
        },
        "upload_not_in_link": {
            "en": "A link to this page does not carry the file: whoever opens it sees the "
            "synthetic data. Send the CSV with the link.",
            "zh": "本页的链接不包含这个文件：打开链接的人看到的是合成数据。请把 CSV 和链接一起发送。",
        },
        "upload_standardise_why": {
            "en": "These features are used as they are, on scales far from 1: the loss's "
            "steepest curvature λ_max is {lam:.3g}, so plain gradient descent is stable only "
            "for lr < 2/λ_max = {limit:.3g} (the lr scale reaches well under it). Standardised, "
            "each feature to mean 0 and std 1, the limit would be {standardised:.3g} and the "
            "contours rounder: tick *Standardise the features*.",
            "zh": "这些特征按原样使用，尺度远离 1：损失最陡方向的曲率 λ_max 为 {lam:.3g}，"
            "所以普通梯度下降只在 lr < 2/λ_max = {limit:.3g} 时稳定（学习率刻度已延伸到它之下）。"
            "把每个特征标准化为均值 0、标准差 1 后，上限将是 {standardised:.3g}，等高线也更圆："
            "请勾选“标准化特征”。",
        },
    }
)

# The cost budget and the queue of heavy runs (issue 17).
TABLE.update(
    {
        "cost_work": {
            "en": "{updates:,} updates reading {examples:,} examples",
            "zh": "{updates:,} 次更新，读取 {examples:,} 个样本",
        },
        "cost_too_much": {
            "en": "{field}={value}: {work} would take about {seconds:.1f} s of the server's CPU, "
            "more than the {budget:g} s one page may use. With the other settings as they are, "
            "{field} may be at most {allowed:,}.",
            "zh": "{field}={value}：{work}，大约需要服务器 {seconds:.1f} 秒的 CPU 时间，超过一个"
            "页面可用的 {budget:g} 秒。其他设置不变时，{field} 最多为 {allowed:,}。",
        },
        "cost_too_much_at_low": {
            "en": "{field}={value}: {work} would take about {seconds:.1f} s of the server's CPU, "
            "more than the {budget:g} s one page may use, and even {field}={low} would: use "
            "fewer examples (n), a larger batch size, the NumPy engine or another optimizer.",
            "zh": "{field}={value}：{work}，大约需要服务器 {seconds:.1f} 秒的 CPU 时间，超过一个"
            "页面可用的 {budget:g} 秒，即使 {field}={low} 也会超过：请减少样本数 n、增大批量"
            "大小、改用 NumPy 引擎或换一种优化算法。",
        },
        "run_queued": {
            "en": "A long run: this server computes long runs one at a time, in the order they "
            "were asked for. Yours is number {place} in the queue and starts by itself.",
            "zh": "这是一次较长的训练：本服务器按请求的先后一次只计算一个较长的训练。你的训练在"
            "队列中排第 {place} 位，轮到时会自动开始。",
        },
        "run_shared": {
            "en": "Another tab is computing this same run; it appears here when it is done.",
            "zh": "另一个标签页正在计算同一次训练，算完后会显示在这里。",
        },
        "check_too_costly": {
            "en": "Both engines on these settings would take about {seconds:.1f} s of the "
            "server's CPU, more than the {budget:g} s one page may use: use fewer epochs or a "
            "larger batch size.",
            "zh": "在这些设置下运行两个引擎大约需要服务器 {seconds:.1f} 秒的 CPU 时间，超过一个"
            "页面可用的 {budget:g} 秒：请减少迭代周期或增大批量大小。",
        },
    }
)

# Readable on a projector, a phone and offline (issue 16): what an exported file shows, the 3-D
# view's marker.
TABLE.update(
    {
        "export_about": {
            "en": "{optimizer}, lr = {lr:g}, batch size {batch_size}, {epochs} epochs, on {data}",
            "zh": "{optimizer}，学习率 lr = {lr:g}，批量大小 {batch_size}，{epochs} 个迭代周期，"
            "数据：{data}",
        },
        "export_data_synthetic": {
            "en": "synthetic data: w = [{w}], b = {b:g}, noise σ = {noise:g}, n = {n}, seed {seed}",
            "zh": "合成数据 w = [{w}]，b = {b:g}，噪声 σ = {noise:g}，n = {n}，随机种子 {seed}",
        },
        "export_data_upload": {
            "en": "{file}: features {features}, label {target}{standardised}",
            "zh": "{file}：特征 {features}，标签 {target}{standardised}",
        },
        "export_standardised": {"en": " (features standardised)", "zh": "（特征已标准化）"},
        "surface_drop_note": {
            "en": "slice at {values} · dot: the run's true loss, dashed line to the slice",
            "zh": "切片：{values} · 圆点：当前的真实损失，虚线连到切片",
        },
        "legend_drop": {"en": "to the slice", "zh": "连到切片"},
        "axis_standardised": {"en": "{name} (standardised)", "zh": "{name}（标准化）"},
    }
)
