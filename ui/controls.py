"""Widgets for declared settings, kept in step with the URL.

Each page owns a ``Controls`` object made from its ``SETTINGS``. On the
first run of a session it reads the URL (with notes for bad values); each
widget then shows and updates one setting; ``sync_url`` writes the values
back so that the address bar always holds a link that replays the run.

Canonical values live in ``st.session_state[prefix + ".values"]``, apart
from the widgets' own keys: Streamlit forgets a widget's state when the
widget is not drawn, and a teacher may hide controls through the URL.
"""

import streamlit as st

from dlcore import settings as cfg


class Controls:
    """Settings controls of one page.

    Parameters
    ----------
    prefix : str
        Short page name; every session-state key of the page starts with it.
    settings : list of dlcore.settings.Setting
    labels : dict of str to dict, optional
        Display names of choices, by setting name.
    """

    def __init__(self, prefix, settings, labels=None):
        self.prefix = prefix
        self.settings = {s.name: s for s in settings}
        self.labels = labels or {}
        state = st.session_state
        if prefix + ".values" not in state:
            query = {k: st.query_params[k] for k in st.query_params}
            values, notes = cfg.parse_query(settings, query)
            hidden, hide_notes = cfg.parse_hidden(settings,
                                                  query.get("hide", ""))
            state[prefix + ".values"] = values
            state[prefix + ".notes"] = notes + hide_notes
            state[prefix + ".hidden"] = hidden
            state[prefix + ".from_url"] = dict(values)

    @property
    def values(self):
        """The current value of every setting, by name (a live dict)."""
        return st.session_state[self.prefix + ".values"]

    @property
    def notes(self):
        """Notes about the URL, until the first setting is changed."""
        state = st.session_state
        if self.values != state[self.prefix + ".from_url"]:
            return []
        return state[self.prefix + ".notes"]

    def hidden(self, name):
        return name in st.session_state[self.prefix + ".hidden"]

    def key(self, name):
        return f"{self.prefix}.w.{name}"

    def set(self, name, value):
        """Change a setting from code; its widget follows on next draw."""
        self.values[name] = value
        st.session_state.pop(self.key(name), None)

    def _fmt(self, name):
        labels = self.labels.get(name)
        if labels:
            return lambda v: labels.get(v, str(v))
        return lambda v: f"{v:g}" if isinstance(v, float) else str(v)

    def widget(self, name, widget=None, options=None, **kwargs):
        """Draw the control of setting ``name`` unless it is hidden.

        ``widget`` picks another form: "number" for an int, "radio" or
        "segmented" for a choice. ``options`` narrows a choice's options.
        Returns the setting's value either way.
        """
        s = self.settings[name]
        if self.hidden(name):
            return self.values[name]
        key = self.key(name)
        if key not in st.session_state:
            st.session_state[key] = self.values[name]
        common = dict(key=key, help=s.help or None, **kwargs)
        if s.kind == "multi":
            common.update(on_change=self._keep_one, args=(name,))
        value = self._draw(s, widget, options, common)
        self.values[name] = value
        return value

    def _keep_one(self, name):
        # An empty selection cannot be trained: undo the click that made
        # it, before the page runs, so widget and network agree.
        key = self.key(name)
        if not st.session_state.get(key):
            st.session_state[key] = self.values[name]
            st.toast(f"{self.settings[name].label}: keep at least one.")

    def _draw(self, s, widget, options, common):
        fmt = self._fmt(s.name)
        if s.kind == "choice":
            opts = list(options or s.choices)
            if st.session_state[common["key"]] not in opts:
                st.session_state[common["key"]] = opts[0]
            if widget == "segmented":
                return st.segmented_control(s.label, opts, format_func=fmt,
                                            **common) or opts[0]
            if widget == "radio":
                return st.radio(s.label, opts, format_func=fmt, **common)
            return st.selectbox(s.label, opts, format_func=fmt, **common)
        if s.kind == "ladder":
            return st.select_slider(s.label, list(s.choices),
                                    format_func=fmt, **common)
        if s.kind == "bool":
            return st.toggle(s.label, **common)
        if s.kind == "multi":
            return st.pills(s.label, list(s.choices), selection_mode="multi",
                            format_func=fmt, **common)
        if s.kind == "int" and widget == "number":
            return int(st.number_input(s.label, int(s.low), int(s.high),
                                       step=1, **common))
        if s.kind == "int":
            return st.slider(s.label, int(s.low), int(s.high), **common)
        if s.kind == "float":
            return st.slider(s.label, float(s.low), float(s.high), **common)
        raise ValueError(f"no widget for kind {s.kind!r}")

    def int_list(self, name, count_label):
        """Editor for an "ints" setting: a count, then one input per item."""
        s = self.settings[name]
        if self.hidden(name):
            return self.values[name]
        current = list(self.values[name])
        count_key = self.key(name) + ".count"
        if count_key not in st.session_state:
            st.session_state[count_key] = len(current)
        count = st.slider(count_label, 0, s.max_len, key=count_key)
        current = (current + [current[-1] if current else 4] * s.max_len)[:count]
        columns = st.columns(4)
        for i in range(count):
            key = f"{self.key(name)}.{i}"
            if key not in st.session_state:
                st.session_state[key] = current[i]
            with columns[i % 4]:
                current[i] = int(st.number_input(
                    f"Layer {i + 1}", int(s.low), int(s.high), step=1,
                    key=key))
        self.values[name] = current
        return current

    def sync_url(self):
        """Write every setting (and the hide list) into the address bar."""
        settings = list(self.settings.values())
        query = cfg.encode_query(settings, self.values)
        hidden = st.session_state[self.prefix + ".hidden"]
        if hidden:
            query["hide"] = ",".join(self.settings[n].url for n in hidden)
        current = {k: st.query_params[k] for k in st.query_params}
        if current != query:
            st.query_params.from_dict(query)
