"""User-facing settings, declared once, and their round trip to a URL.

A page declares its settings as a list of ``Setting``: name, short URL
key, label, kind, default and limits. ``parse_query`` turns URL query
parameters into values, clamping or ignoring bad ones with a note for the
user; ``encode_query`` writes values back, so a link replays a run. No
streamlit here: ``ui/controls.py`` draws the widgets.

Kinds:

- "choice": one of ``choices`` (strings);
- "ladder": one number of ``choices``; a URL value between two rungs
  snaps to the nearest (on a log scale);
- "int", "float": a number clamped to ``[low, high]``;
- "bool": "1"/"0" (also true/false, yes/no, on/off);
- "multi": a comma-separated subset of ``choices``, at least one;
- "ints": a comma-separated list of ints in ``[low, high]``, at most
  ``max_len`` long; "0" is the empty list.
"""

import math
from dataclasses import dataclass

RESERVED = ("hide",)


@dataclass(frozen=True)
class Setting:
    """One user-facing setting.

    Attributes
    ----------
    name : str
        Key in the values dict and in the page's session state.
    url : str
        Short name in the URL query.
    label : str
        What the control says.
    kind : str
        See the module docstring.
    default : object
    choices : tuple
        Allowed values for "choice", "ladder" and "multi".
    low, high : float
        Limits for "int", "float" and each item of "ints".
    max_len : int
        Longest list for "ints".
    help : str
        A sentence for the control's tooltip.
    """

    name: str
    url: str
    label: str
    kind: str
    default: object
    choices: tuple = ()
    low: float = None
    high: float = None
    max_len: int = 8
    help: str = ""


class SettingError(ValueError):
    """A URL value that could not be used; the message is for the user."""


def _clamp(setting, value):
    low, high = setting.low, setting.high
    clamped = min(max(value, low), high)
    return clamped, clamped != value


def _snap(setting, value):
    def distance(rung):
        # Log distance, with zero as a rung far below every positive one.
        return abs(math.log10(value + 1e-12) - math.log10(rung + 1e-12))

    best = min(setting.choices, key=distance)
    return best, not math.isclose(best, value, rel_tol=1e-9, abs_tol=1e-15)


def _number(text, integer):
    try:
        value = float(text)
    except ValueError:
        raise SettingError(f"{text[:20]!r} is not a number") from None
    if not math.isfinite(value):
        raise SettingError(f"{text[:20]!r} is not a finite number")
    if integer:
        if value != round(value):
            raise SettingError(f"{text[:20]!r} is not a whole number")
        return int(value)
    return value


def parse_value(setting, text):
    """The value of ``setting`` written as ``text`` in a URL.

    Returns ``(value, adjusted)``: ``adjusted`` is True when the value was
    clamped or snapped. Raises ``SettingError`` when nothing usable is in
    ``text``.
    """
    kind = setting.kind
    text = text.strip()
    if kind == "choice":
        if text not in setting.choices:
            raise SettingError(f"{text[:20]!r} is not one of "
                               f"{', '.join(setting.choices)}")
        return text, False
    if kind == "bool":
        lowered = text.lower()
        if lowered in ("1", "true", "yes", "on"):
            return True, False
        if lowered in ("0", "false", "no", "off"):
            return False, False
        raise SettingError(f"{text[:20]!r} is not 1 or 0")
    if kind in ("int", "float"):
        return _clamp(setting, _number(text, kind == "int"))
    if kind == "ladder":
        value = _number(text, False)
        if value < 0:
            raise SettingError(f"{text[:20]!r} is negative")
        return _snap(setting, value)
    if kind == "multi":
        return _parse_multi(setting, text)
    if kind == "ints":
        return _parse_ints(setting, text)
    raise ValueError(f"unknown setting kind {kind!r}")


def _parse_multi(setting, text):
    items = [t.strip() for t in text.split(",") if t.strip()]
    kept = [t for t in setting.choices if t in items]
    if not kept:
        raise SettingError(f"none of {text[:30]!r} is one of "
                           f"{', '.join(setting.choices)}")
    return kept, len(kept) != len(set(items))


def _parse_ints(setting, text):
    if text == "0":
        return [], False
    items = [t for t in text.split(",") if t.strip()]
    if not items:
        raise SettingError("the list is empty (write 0 for none)")
    values, adjusted = [], len(items) > setting.max_len
    for item in items[:setting.max_len]:
        value, clamped = _clamp(setting, _number(item, True))
        values.append(value)
        adjusted = adjusted or clamped
    return values, adjusted


def format_value(setting, value):
    """``value`` as it is written in a URL (the inverse of parse_value)."""
    if setting.kind == "bool":
        return "1" if value else "0"
    if setting.kind == "multi":
        return ",".join(value)
    if setting.kind == "ints":
        return ",".join(str(v) for v in value) if value else "0"
    if isinstance(value, float):
        return f"{value:.6g}"
    return str(value)


def defaults(settings):
    """The default values as a dict keyed by setting name."""
    return {s.name: s.default for s in settings}


def parse_query(settings, query):
    """Values for ``settings`` read from a URL query.

    Parameters
    ----------
    settings : list of Setting
    query : mapping of str to str
        The URL's query parameters.

    Returns ``(values, notes)``: ``values`` has every setting, the default
    where the URL had none or an unusable one; ``notes`` says, in plain
    words, each value that was ignored, clamped or snapped.
    """
    by_url = {s.url: s for s in settings}
    values, notes = defaults(settings), []
    for key, text in query.items():
        setting = by_url.get(key)
        if setting is None:
            if key not in RESERVED:
                notes.append(f"Ignored the unknown URL parameter "
                             f"{_short(key)!r}.")
            continue
        try:
            value, adjusted = parse_value(setting, str(text))
        except SettingError as err:
            notes.append(f"Ignored {key}={str(text)[:30]}: {err}; "
                         f"using {format_value(setting, setting.default)}.")
            continue
        if adjusted:
            notes.append(_adjusted_note(setting, str(text)[:30], value))
        values[setting.name] = value
    return values, notes


def _adjusted_note(setting, text, value):
    using = format_value(setting, value)
    if setting.kind == "ladder":
        return (f"{setting.label}: {text} is not one of the control's "
                f"steps; using the nearest, {using}.")
    if setting.kind == "multi":
        return f"{setting.label}: kept only {using} of {text}."
    return (f"{setting.label}: {text} is outside {setting.low:g} to "
            f"{setting.high:g}; using {using}.")


def encode_query(settings, values):
    """URL query parameters (a dict of str) for ``values``."""
    return {s.url: format_value(s, values[s.name]) for s in settings}


def parse_hidden(settings, text):
    """Names of settings a URL's ``hide=a,b`` asks to hide, and notes."""
    by_url = {s.url: s.name for s in settings}
    names, unknown = [], []
    for item in (t.strip() for t in str(text).split(",")):
        if item in by_url and by_url[item] not in names:
            names.append(by_url[item])
        elif item and item not in by_url and item not in unknown:
            unknown.append(item)
    notes = []
    if unknown:
        shown = ", ".join(repr(_short(u)) for u in unknown[:5])
        more = f" and {len(unknown) - 5} more" if len(unknown) > 5 else ""
        notes.append(f"hide: no control is called {shown}{more}.")
    return names, notes


def _short(text, most=30):
    text = str(text)
    return text if len(text) <= most else text[:most] + "…"
