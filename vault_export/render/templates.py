"""Jinja2 templates the person writes (folders, file names, note bodies, daily entries), sandboxed."""
from __future__ import annotations

import traceback
from typing import Any

from jinja2 import StrictUndefined, TemplateError, TemplateSyntaxError, UndefinedError
from jinja2.meta import find_undeclared_variables
from jinja2.sandbox import SandboxedEnvironment

from vault_export.errors import InputError, UsageError

_environment = SandboxedEnvironment(undefined=StrictUndefined, keep_trailing_newline=True,
                                    autoescape=False)


class NoteTemplate:
    """A compiled template that knows its name, so every error can say which template and line."""

    def __init__(self, name: str, source: str, origin: str = "configuration"):
        self.name = name
        self.origin = origin
        try:
            self._template = _environment.from_string(source)
            self._names = frozenset(find_undeclared_variables(_environment.parse(source)))
        except TemplateSyntaxError as error:
            raise UsageError(origin, f"template {name}, line {error.lineno}: {error.message}") from None

    def check(self, sample: dict[str, Any]) -> None:
        """A UsageError naming the template and each name it uses that is neither in the sample
        (every variable its rendering passes) nor one of Jinja's globals; then the template is
        rendered once with the sample, and an unknown name it meets there is an error too. Other
        errors of the sample's rendering may not happen with real notes, and are left to them."""
        unknown = sorted(self._names - set(sample) - set(_environment.globals))
        if not unknown:
            try:
                self._template.render(sample)
                return
            except UndefinedError as error:
                if not str(error).endswith(" is undefined"):  # an attribute or key the sample lacks
                    return
                unknown = [str(error).removesuffix(" is undefined").strip("'")]
            except Exception:
                return
        names = ", ".join(repr(name) for name in unknown)
        raise UsageError(self.origin, f"template {self.name} uses unknown variable{'s' * (len(unknown) > 1)} "
                                      f"{names}", f"{self.name} may use: {', '.join(sorted(sample))}")

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
