"""The keys that say whether work must be done again: a note's render key, and a run's settings."""
from __future__ import annotations

import hashlib
import time
from functools import cache, cached_property

from vault_export import __version__
from vault_export.config import Config
from vault_export.identity import IDENTITY_SCHEME
from vault_export.vault.plan import PlannedNote

# The libraries whose behaviour goes into a note's bytes: the HTML parser and tree, the HTML to
# Markdown converter, and the YAML writer of the properties.
RENDERING_LIBRARIES = ("beautifulsoup4", "markdownify", "lxml", "PyYAML")


@cache
def library_versions() -> tuple[tuple[str, str], ...]:
    """(name, installed version) of each of RENDERING_LIBRARIES, read once per process: with them
    in the render key, an upgrade renders the notes again instead of leaving a vault of mixed
    conversions."""
    from importlib import metadata  # not at import: the commands that render no note skip it

    def version(name: str) -> str:
        try:
            return metadata.version(name)
        except metadata.PackageNotFoundError:  # importable without its metadata, as when vendored
            return "unknown"

    return tuple((name, version(name)) for name in RENDERING_LIBRARIES)


class Keys:
    """The keys of one run's configuration (the note template's text included)."""

    def __init__(self, config: Config, template_source: str):
        self.config = config
        self.template_source = template_source

    def render(self, note: PlannedNote) -> str:
        """Changes whenever anything that goes into the note's bytes changes."""
        parts = (self.settings, note.latest.fingerprint, note.first.created or "",
                 note.day.isoformat() if note.day else "", note.path)
        return hashlib.sha256("\x00".join(parts).encode()).hexdigest()

    @cached_property
    def settings(self) -> str:
        """Everything besides the note itself that goes into its bytes."""
        c = self.config
        settings = repr((__version__, library_versions(), c.timezone, time.tzname, time.timezone, c.notes,
                         self.template_source, c.properties, c.tags, c.attachments_folder, c.download_images,
                         c.links, IDENTITY_SCHEME, c.identity))
        return hashlib.sha256(settings.encode()).hexdigest()

    @cached_property
    def run(self) -> str:
        """The settings a run's plan depends on: when they change, every note is planned again.
        --on-conflict does not count: it acts only on edited notes, which are planned again anyway.
        Daily pages follow their own settings."""
        c = self.config
        return repr((self.settings, c.input_format, c.restore_deleted))
