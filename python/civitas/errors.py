"""The exceptions the engine raises in Python (the C++ module translates the engine's errors into these)."""


class ScenarioError(ValueError):
    """Bad input: a scenario file, an override, an argument. ``place`` is where the first problem is, as
    ``file:line:col``, or the argument as written (``seed``, ``--regimes``, the keyword ``society__alpha``,
    ``set['society.alpha']``); ``diagnostics`` lists every problem as ``(place, message)``; ``str(error)`` is
    every diagnostic, one a line."""

    place = ""
    diagnostics = ()


class DataError(OSError):
    """A file Civitas reads is missing, corrupt, truncated or tampered with (the CLI's exit code 3)."""


class WriteError(OSError):
    """An output could not be written: no space, an I/O error, a failed rename (the CLI's exit code 5)."""
