"""What every page shares: the navigation, the session's controls mirrored in the URL, the translator."""

from __future__ import annotations

import contextvars
from collections.abc import Callable
from dataclasses import replace
from typing import TypeVar

import streamlit as st
from streamlit.runtime.scriptrunner import get_script_run_ctx
from streamlit.runtime.state.common import user_key_from_element_id

from linreg_core import MAX_UPDATES, num_updates
from linreg_core.cost import examples_read
from linreg_core.limits import COST_BUDGET_S, LITERAL_LIMIT
from linreg_core.plan import TrainSpec
from linreg_viz import settings
from linreg_viz.i18n import LANGUAGES, Translator, literal, translator
from linreg_viz.view_spec import ViewSpec
from ui import runs
from ui.runs import synthetic

_VALUES = "values"  # st.session_state key of the canonical control values
_NOTICES = "url_notices"
_REFUSED = "refused_notices"  # what a run of the page refused before running it again
_ON_PAGE = "widgets_on_page"  # keys of the widgets a page already showed when its session began


def values() -> dict[str, object]:
    """This session's control values, read once from the URL when the session starts."""
    if _VALUES not in st.session_state:
        query = {name: st.query_params.get_all(name) for name in st.query_params}  # repeats too
        parsed, notices = settings.from_query(query)
        st.session_state[_VALUES] = parsed
        st.session_state[_NOTICES] = notices
        st.session_state[_ON_PAGE] = widgets_on_page()
    return st.session_state[_VALUES]


def widgets_on_page() -> set[str]:
    """The keys of the widgets whose values this script run's request carries: none for a page
    opened afresh; every one on it for a page that outlived its session on the server.

    A page reconnects to a restarted server without rerunning, so a new session's first run can
    be the user's first change: its request carries each widget as the page shows it, the change
    included, while the URL still holds the values from before it. Streamlit offers no public
    reading of those states before the widgets are drawn: this reads the script run's own.
    """
    ctx = get_script_run_ctx()
    return {user_key_from_element_id(s.id) for s in ctx.session_state.get_widget_states()}


def t() -> Translator:
    """The translator for the language this session chose."""
    return translator(str(values()["lang"]))


def control(widget, name: str, label: str, **kwargs) -> object:
    """Draw a widget for a control, showing and keeping the control's canonical value.

    The canonical values (filled from the URL when the session starts) are the truth: each run
    seeds the widget from them, and the widget's change callback writes a user's change back.
    Streamlit resets a widget's own state when another page is shown; this way nothing is lost.
    What the widget allows comes from the control's row of `settings.FIELDS` (`widget_limits`);
    a keyword given here wins, as n caps a batch size.
    One exception: in a session's first run, a widget the page already shows keeps the page's
    value, the user's latest (`widgets_on_page`), and the canonical value follows it.
    """
    key = f"ctl_{name}"

    def keep() -> None:
        values()[name] = st.session_state[key]

    field = settings.FIELDS.get(name)  # None for a control a link does not carry
    arguments = ({} if field is None else widget_limits(widget, field)) | kwargs
    on_page = st.session_state.get(_ON_PAGE, set())
    if key in on_page:  # a session's first run, from a page that shows this widget: it wins
        on_page.discard(key)
        values()[name] = widget(label, key=key, on_change=keep, **arguments)
        return values()[name]
    st.session_state[key] = values()[name]
    return widget(label, key=key, on_change=keep, **arguments)


def widget_limits(widget, field: settings.Field) -> dict[str, object]:
    """A widget's arguments for what a control allows: a slider's or number input's range, step
    and format, or the options of a widget that lists them (a choice, or each integer)."""
    if field.interval:  # the engine checks it, and its message shows next to the control
        return {"format": "%g"} if widget.__name__ == "number_input" else {}
    if widget.__name__ in ("slider", "number_input"):
        limits = {"min_value": field.kind(field.low), "max_value": field.kind(field.high)}
        if field.step is not None:
            limits["step"] = field.kind(field.step)
        if field.number_format is not None:
            limits["format"] = field.number_format
        return limits
    if field.choices:
        return {"options": list(field.choices)}
    if field.kind is int:
        return {"options": list(range(field.low, field.high + 1))}
    return {}


def choice_control(name: str, label: str, help: str | None = None) -> object:
    """A control among a few named choices (landscape, speed), as buttons in a row."""
    tr = t()
    return control(
        st.segmented_control,
        name,
        label,
        required=True,
        format_func=lambda k: tr(f"{name}_{k}"),
        help=help,
    )


def folded_group(name: str, label: str, controls):
    """An expander for a group of advanced controls, to draw them into; None while it is folded.

    Its controls are drawn only while it is open (a folded group costs the first screen
    nothing: a page opens as fast as one without it). It opens by itself when one of them is
    away from its default, as a link that sets one asks, so that nothing set is hidden.
    """
    key = f"group_{name}"
    if key not in st.session_state:
        fields = settings.FIELDS
        st.session_state[key] = any(values()[c] != fields[c].default for c in controls)
    group = st.expander(label, key=key, on_change="rerun")
    return group if group.open else None


def set_control(name: str, value: object) -> None:
    """Change a control from code (a quick-pick button, say) before its widget is drawn."""
    values()[name] = value
    st.session_state[f"ctl_{name}"] = value


def sidebar_header() -> None:
    """Language and projection mode: on every page, at the top of the sidebar."""
    with st.sidebar:
        control(
            st.radio, "lang", t()("language_switch"), format_func=LANGUAGES.get, horizontal=True
        )
        control(st.toggle, "projection", t()("projection_mode"), help=t()("projection_help"))


def show_url_notices() -> None:
    """What in the opened link was bad, repeated or unknown, or refused (`run_again`), and what is
    used instead (once).

    The link's text is shown as typed, cut short (`literal`): a link is anyone's to write.
    """
    tr = t()
    for notice in st.session_state.get(_NOTICES, []):  # until the run ends: see `sync_url`
        field, value, allowed = literal(notice.field), literal(notice.value), ""
        if notice.key == "url_notice":  # name=value as one span, the value cut as any other
            limit = len(notice.field) + 1 + LITERAL_LIMIT
            value = literal(f"{notice.field}={notice.value}", limit=limit)
            allowed_key, allowed_fields = notice.allowed
            allowed = tr(allowed_key, **allowed_fields)
        message = tr(notice.key, field=field, value=value, count=notice.count, allowed=allowed)
        st.warning(message, icon="⚠️")
    for message in st.session_state.get(_REFUSED, []):
        st.error(message, icon="🚫")


def not_used(names: tuple[str, ...]) -> None:
    """On a page opened on a link: one notice naming the link's fields among `names` that it
    sets to other than their defaults, which this page does not use (they stay in the link)."""
    if _NOTICES not in st.session_state:  # not the run that read the link
        return
    v, fields = values(), settings.FIELDS
    given = [
        f"{name}={fields[name].format(v[name])}"
        for name in names
        if name in st.query_params and v[name] != fields[name].default
    ]
    if given:
        text = ", ".join(given)
        st.info(t()("url_not_used", fields=literal(text, limit=len(text))), icon="ℹ️")


def sync_url() -> None:
    """Mirror every control in the URL query string, so a link replays the same run."""
    st.session_state.pop(_ON_PAGE, None)  # the page's own values were for the first run only
    st.session_state.pop(_NOTICES, None)  # shown in this run, and in a run it started again
    st.session_state.pop(_REFUSED, None)
    query = settings.to_query(values())
    if st.query_params.to_dict() != query:
        st.query_params.from_dict(query)


# One line a page: its script, its URL path ("" for the default page, at "/") and the key of
# its title in the translation table. The first page is the default.
PAGES = (
    ("pages/visualiser.py", "", "page_visualiser"),
    ("pages/closed_form.py", "closed_form", "page_closed_form"),
    ("pages/guide.py", "guide", "page_guide"),
    ("pages/conditioning.py", "conditioning", "page_conditioning"),
    ("pages/compare.py", "compare", "page_compare"),
)
_NAVIGATED = contextvars.ContextVar("navigated", default=False)  # set while app.py runs a page


def navigation() -> st.Page:
    """Every page in the sidebar under its translated title; the page this URL asks for."""
    tr = t()
    pages = [
        st.Page(script, title=tr(key), url_path=url_path, default=not url_path)
        for script, url_path, key in PAGES
    ]
    return st.navigation(pages)


def run_page() -> None:
    """The entry's work: set the navigation, then run the page the URL asks for."""
    page = navigation()
    token = _NAVIGATED.set(True)
    try:
        page.run()
    finally:
        _NAVIGATED.reset(token)


def page_setup() -> Translator:
    """What every page does first: page config, language, projection mode, navigation."""
    if not _NAVIGATED.get():
        # Streamlit ran this script straight from the pages/ folder, not through app.py: with a
        # pages/ folder beside the entry it does so until a run calls st.navigation (a server's
        # first run, if it is for a page other than "/"; every AppTest run). Setting the
        # navigation here shows the same menu, and turns that mode off for the server.
        navigation()
    st.set_page_config(
        page_title=t()("app_title"),
        page_icon="📉",
        layout="wide",
        initial_sidebar_state="collapsed" if values()["projection"] else "auto",
    )
    sidebar_header()
    page_css()
    show_url_notices()
    return t()


# The page's own elements (HTML tables, printed lines) and Streamlit's metrics and buttons: text
# wraps rather than being cut, and in projection mode every number a teacher points at is large.
# Code and printed lines use the system's monospace font: Streamlit's Source Code Pro would cost
# every first visit 90 KB for a few words (tests/test_replicas.py counts a first visit's bytes).
PAGE_CSS = """
.gdv-table {border-collapse: collapse; font-variant-numeric: tabular-nums; margin: 0.25rem 0 1rem;}
.gdv-table th, .gdv-table td {padding: 0.2em 0.6em; border-bottom: 1px solid #d5d8de;
  text-align: left; vertical-align: top; overflow-wrap: anywhere;}
.gdv-table th {font-weight: 600; border-bottom: 2px solid #888;}
.gdv-table td.gdv-num {text-align: right; white-space: nowrap;}
.gdv-lines, [data-testid='stAppViewContainer'] code {font-family: ui-monospace, "DejaVu Sans Mono",
  "Liberation Mono", Menlo, Consolas, monospace;}
.gdv-lines {font-size: 0.9em; background: #f4f5f7;
  padding: 0.6em 0.9em; border-radius: 0.4rem; white-space: pre-wrap; overflow-wrap: anywhere;}
[data-testid='stMain'] [data-testid='stMetricValue'] * {white-space: normal; overflow: visible;
  text-overflow: clip; overflow-wrap: anywhere; line-height: 1.15;}
[data-testid='stMain'] [data-testid='stMetricLabel'] * {white-space: normal; overflow: visible;}
.stElementContainer:has(.gdv-player), .stElementContainer:has(.gdv-player) div:has(.gdv-player),
.gdv-player {display: contents;}
.stMain .gdv-head {top: 3.75rem;}
[data-testid='stDownloadButton'] button, [data-testid='stBaseButton-secondary'] {height: auto;}
[data-testid='stDownloadButton'] button *, .stButton button * {white-space: normal;
  overflow: visible; text-overflow: clip;}
"""
PROJECTION_CSS = """
html, body, [data-testid='stAppViewContainer'] p, li, label, td, th {font-size: 22px;}
[data-testid='stMain'] [data-testid='stMetricValue'] * {font-size: 40px;}
[data-testid='stMain'] [data-testid='stMetricLabel'] * {font-size: 24px;}
[data-testid='stMain'] .gdv-table :is(td, th) {font-size: 30px;}
[data-testid='stMain'] .gdv-lines {font-size: 28px;}
[data-testid='stSidebar'] {min-width: 0;}
.block-container {padding-top: 3rem; max-width: 100%;}
"""


def page_css() -> None:
    """The page's styles; large type and tucked-away controls for a projector."""
    projection = PROJECTION_CSS if values()["projection"] else ""
    st.html(f"<style>{PAGE_CSS}{projection}</style>")


def data_key() -> tuple:
    """The arguments of `runs.synthetic` for the current controls."""
    v = values()
    return (
        int(v["d"]),
        (float(v["w1"]), float(v["w2"])),
        float(v["b"]),
        float(v["noise"]),
        int(v["n"]),
        int(v["seed"]),
    )


def train_spec(d: int, n: int) -> TrainSpec:
    """The training controls, for a run on (n, d) data."""
    v = values()
    custom = v["init"] == "custom"
    return TrainSpec(
        lr=float(v["lr"]),
        batch_size=min(int(v["batch_size"]), n),
        epochs=int(v["epochs"]),
        optimizer=str(v["optimizer"]),
        seed=int(v["seed"]),
        w0=tuple(float(v[f"w0_{i}"]) for i in range(1, d + 1)) if custom else None,
        b0=float(v["b0"]) if custom else None,
        options=tuple(settings.optimizer_options(v).items()),
        engine=str(v["engine"]),
        loss=str(v["loss"]),
        drop_last=bool(v["drop_last"]),
        divide_by=str(v["divide_by"]),
        weight_decay=float(v["weight_decay"]),
        dtype=str(v["dtype"]),
    )


def view_spec(d: int) -> ViewSpec:
    """The look of the views on d features: language, landscape, axes, speed, projection."""
    v = values()
    axes = (str(v["axis_a"]), str(v["axis_b"])) if d == 2 else ("w1", "b")
    if axes[0] == axes[1]:  # the page warns; the defaults, as for a link with equal axes
        axes = (str(settings.FIELDS["axis_a"].default), str(settings.FIELDS["axis_b"].default))
    return ViewSpec(
        lang=str(v["lang"]),
        landscape=str(v["landscape"]),
        axes=axes,
        speed=str(v["speed"]),
        projection=bool(v["projection"]),
        arrows=bool(v["arrows"]),
    )


def within_budget(field: str, value: int, seconds: Callable[[int], float], work: str) -> None:
    """Nothing if `seconds(value)`, the CPU seconds this page asks with field=value, is within
    the budget (`COST_BUDGET_S`); else ValueError with a translated message naming the
    field, its value, the work (`work`, already translated) and the most the field may be."""
    cost = seconds(value)
    if cost <= COST_BUDGET_S:
        return
    low, high = settings.FIELDS[field].low, value
    if seconds(low) > COST_BUDGET_S:
        raise ValueError(
            t()(
                "cost_too_much_at_low",
                field=field,
                value=value,
                seconds=cost,
                work=work,
                budget=COST_BUDGET_S,
                low=low,
            )
        )
    while high - low > 1:  # the largest value within the budget: the cost grows with it
        middle = (low + high) // 2
        low, high = (middle, high) if seconds(middle) <= COST_BUDGET_S else (low, middle)
    raise ValueError(
        t()(
            "cost_too_much",
            field=field,
            value=value,
            seconds=cost,
            work=work,
            budget=COST_BUDGET_S,
            allowed=low,
        )
    )


def run_work(n: int, spec: TrainSpec, runs_count: int = 1) -> str:
    """The work a run asks, in words: its updates and the examples it reads (times runs_count)."""
    updates = runs_count * num_updates(n, spec.batch_size, spec.epochs, spec.drop_last)
    examples = runs_count * examples_read(n, spec.batch_size, spec.epochs, spec.drop_last)
    return t()("cost_work", updates=updates, examples=examples)


class QueueNote:
    """The note a page shows while its run waits: its own place in the queue of heavy runs, or
    that another tab is computing the same run. Pass the object as the run's `wait`."""

    def __init__(self):
        self.slot, self.check, self.shown = st.empty(), runs.page_check(), None

    def __call__(self, place: int | None = None) -> None:
        key = "run_shared" if place is None else "run_queued"
        if (key, place) != self.shown:
            self.slot.info(t()(key, place=place), icon="⏳")
            self.shown = (key, place)
        self.check()

    def clear(self) -> None:
        if self.shown is not None:
            self.slot.empty()


def checked_run(data_key: tuple, spec: TrainSpec, data, view: ViewSpec | None = None) -> runs.Shown:
    """The run for these controls as the page shows it (as `view` says, else as the visualiser
    shows it); ValueError with a translated message if it asks too much. While it waits for its
    turn, a note here shows its place in the queue."""
    n = len(data.y)
    updates = num_updates(n, spec.batch_size, spec.epochs, spec.drop_last)
    if updates > MAX_UPDATES:  # memory: the whole run is held while it is drawn
        raise ValueError(t()("too_many_updates", updates=updates, cap=MAX_UPDATES))
    within_budget(
        "epochs",
        spec.epochs,
        lambda epochs: runs.spec_seconds(n, replace(spec, epochs=epochs)),
        run_work(n, spec),
    )
    note = QueueNote()
    shown = runs.shown_run(data_key, spec, view or view_spec(data.quad.d), data, note)
    note.clear()
    return shown


UPLOAD = "uploaded_data"  # (key, Data) of the last good upload: this session's own
DATA_FIELDS = ("d", "w1", "w2", "b", "noise", "n", "seed")  # the controls `data_key` reads


def current_data():
    """(key, Data) of the data the user chose: the last good upload, else synthetic."""
    if values().get("source") == "upload" and UPLOAD in st.session_state:
        return st.session_state[UPLOAD]
    data = checked_data(lambda: synthetic(*data_key()), DATA_FIELDS)
    return data_key(), data


_MADE = "data_made"  # {control names: their values} of the data last made from them
T = TypeVar("T")


def checked_data(make: Callable[[], T], names: tuple[str, ...]) -> T:
    """make(): the data these controls ask for. Legal values can still ask for data the engine
    refuses (labels too small for float64 to square: w = 0, b = 1e-200): then the controls go
    back to the data last made from them in this session, or to their defaults on a page opened
    afresh, and the page runs again on them, under a message naming the values."""
    made = st.session_state.setdefault(_MADE, {})
    try:
        data = make()
    except ValueError as error:
        v, fields = values(), settings.FIELDS
        given = ", ".join(f"{name}={fields[name].format(v[name])}" for name in names)
        last = made.get(names)
        back = last or tuple(fields[name].default for name in names)
        tr = t()
        instead = tr("data_instead_last" if last else "data_instead_defaults")
        shown = literal(given, limit=len(given))  # the app's own numbers: shown whole
        run_again(
            dict(zip(names, back, strict=True)),
            tr("data_refused", values=shown, reason=error, instead=instead),
        )
    made[names] = tuple(values()[name] for name in names)
    return data


# The controls of a run on given data (`train_spec`): what a page opened on a link whose run is
# refused sets to their defaults (`fall_back`).
TRAINING_FIELDS = (
    "lr",
    "batch_size",
    "epochs",
    "optimizer",
    "init",
    "w0_1",
    "w0_2",
    "b0",
    "weight_decay",
    "loss",
    "drop_last",
    "divide_by",
    "engine",
    "dtype",
    *settings.OPTION_FIELDS,
)


def fall_back(names: tuple[str, ...], reason: str) -> None:
    """For a page opened on a link whose run was refused for `reason` (nothing of the page is on
    screen yet): set these controls to their defaults and run the page again, under a message
    that says so. Nothing is done if they are at their defaults already."""
    defaults = {name: settings.FIELDS[name].default for name in names}
    if any(values()[name] != value for name, value in defaults.items()):
        reason += "" if reason.endswith(".") else "."  # the engine's messages end without one
        run_again(defaults, t()("link_refused", reason=reason))


def run_again(changes: dict[str, object], message: str) -> None:
    """Change these controls and run the page again from the top, its widgets showing them,
    with `message` among the link's notices."""
    values().update(changes)
    st.session_state.setdefault(_REFUSED, []).append(message)
    st.rerun()
