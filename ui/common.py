"""What every page shares: the navigation, the session's controls mirrored in the URL, the translator."""

from __future__ import annotations

import contextvars

import streamlit as st
from streamlit.runtime.scriptrunner import get_script_run_ctx
from streamlit.runtime.state.common import user_key_from_element_id

from linreg_core import MAX_UPDATES, num_updates
from linreg_viz import settings
from linreg_viz.i18n import LANGUAGES, LITERAL_LIMIT, Translator, literal, translator
from ui import runs
from ui.runs import TrainSpec, ViewSpec, synthetic

_VALUES = "values"  # st.session_state key of the canonical control values
_NOTICES = "url_notices"
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
    """What in the opened link was bad, repeated or unknown, and what is used instead (once).

    The link's text is shown as typed, cut short (`literal`): a link is anyone's to write.
    """
    tr = t()
    for notice in st.session_state.pop(_NOTICES, []):
        field, value, allowed = literal(notice.field), literal(notice.value), ""
        if notice.key == "url_notice":  # name=value as one span, the value cut as any other
            limit = len(notice.field) + 1 + LITERAL_LIMIT
            value = literal(f"{notice.field}={notice.value}", limit=limit)
            allowed_key, allowed_fields = notice.allowed
            allowed = tr(allowed_key, **allowed_fields)
        message = tr(notice.key, field=field, value=value, count=notice.count, allowed=allowed)
        st.warning(message, icon="⚠️")


def sync_url() -> None:
    """Mirror every control in the URL query string, so a link replays the same run."""
    st.session_state.pop(_ON_PAGE, None)  # the page's own values were for the first run only
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
PAGE_CSS = """
.gdv-table {border-collapse: collapse; font-variant-numeric: tabular-nums; margin: 0.25rem 0 1rem;}
.gdv-table th, .gdv-table td {padding: 0.2em 0.6em; border-bottom: 1px solid #d5d8de;
  text-align: left; vertical-align: top; overflow-wrap: anywhere;}
.gdv-table th {font-weight: 600; border-bottom: 2px solid #888;}
.gdv-table td.gdv-num {text-align: right; white-space: nowrap;}
.gdv-lines {font-family: "Source Code Pro", monospace; font-size: 0.9em; background: #f4f5f7;
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


def checked_run(data_key: tuple, spec: TrainSpec, data, view: ViewSpec | None = None) -> runs.Shown:
    """The run for these controls as the page shows it (as `view` says, else as the visualiser
    shows it); ValueError with a translated message if it asks too much. While a heavy run waits
    for its turn, a note here says so."""
    updates = num_updates(len(data.y), spec.batch_size, spec.epochs, spec.drop_last)
    if updates > MAX_UPDATES:
        raise ValueError(t()("too_many_updates", updates=updates, cap=MAX_UPDATES))
    if spec.engine == "torch" and updates > runs.TORCH_MAX_UPDATES:
        raise ValueError(t()("too_many_torch", updates=updates, cap=runs.TORCH_MAX_UPDATES))
    queued, check, told = st.empty(), runs.page_check(), False

    def wait() -> None:
        nonlocal told
        if not told:
            queued.info(t()("run_queued", updates=updates), icon="⏳")
            told = True
        check()

    view = view or view_spec(data.quad.d)
    shown = runs.shown_run(data_key, spec, view, data, wait)
    if told:
        queued.empty()
    return shown


UPLOAD = "uploaded_data"  # (key, runs.Data) of the last good upload: this session's own


def current_data():
    """(key, runs.Data) of the data the user chose: the last good upload, else synthetic."""
    if values().get("source") == "upload" and UPLOAD in st.session_state:
        return st.session_state[UPLOAD]
    key = data_key()
    return key, synthetic(*key)
