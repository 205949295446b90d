"""Jinja2 templates the person writes (folders, file names, note bodies, daily entries), sandboxed."""
from __future__ import annotations

import traceback
from typing import Any

from jinja2 import StrictUndefined, TemplateError, TemplateSyntaxError
from jinja2.sandbox import SandboxedEnvironment

from vault_export.errors import InputError, UsageError

_environment = SandboxedEnvironment(undefined=StrictUndefined, keep_trailing_newline=True,
                                    autoescape=False)


class NoteTemplate:
    """A compiled template that knows its name, so every error can say which template and line."""

    def __init__(self, name: str, source: str, origin: str = "configuration"):
        self.name = name
        try:
            self._template = _environment.from_string(source)
        except TemplateSyntaxError as error:
            raise UsageError(origin, f"template {name}, line {error.lineno}: {error.message}") from None

    def render(self, variables: dict[str, Any], note: str) -> str:
        try:
            return self._template.render(variables)
        except TemplateError as error:
            raise InputError(note, f"template {self.name}, line {_line(error)}: {error}") from None
        except Exception as error:  # an error inside a filter or method the template called
            raise InputError(note, f"template {self.name}, line {_line(error)}: "
                                   f"{type(error).__name__}: {error}") from None


def _line(error: BaseException) -> int | str:
    frames = [frame for frame in traceback.extract_tb(error.__traceback__) if frame.filename == "<template>"]
    return frames[-1].lineno if frames else "?"


def add_filter(name: str, function) -> None:
    _environment.filters[name] = function
