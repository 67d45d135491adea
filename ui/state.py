"""The session's controls: their values, read from the URL once and mirrored in it; the widgets
that show them; the notices for what a link asked and the page could not do."""

from __future__ import annotations

import streamlit as st
from streamlit.runtime.scriptrunner import get_script_run_ctx
from streamlit.runtime.state.common import user_key_from_element_id

from linreg_core.limits import LITERAL_LIMIT
from linreg_viz import settings
from linreg_viz.i18n import Translator, literal, translator

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
