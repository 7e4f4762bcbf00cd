"""The marker for hook implementations (re-exported by :mod:`balai.toolkit`)."""

import pluggy

hookimpl = pluggy.HookimplMarker("balai")
