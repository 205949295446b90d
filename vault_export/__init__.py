"""vault-export: turn saved notes into an Obsidian vault.

The public API is small: ``export(Config(...))`` returns a ``Report``; ``Note`` is the record every
reader produces. Submodules are imported on first use, so ``import vault_export.paths`` stays light.
"""
from __future__ import annotations

__version__ = "0.2.0"
__all__ = ["Config", "Note", "Report", "Status", "export", "__version__"]

_EXPORTS = {"Config": "config", "Note": "model", "Report": "model", "Status": "model", "export": "pipeline"}


def __getattr__(name: str):
    if name in _EXPORTS:
        from importlib import import_module
        return getattr(import_module(f".{_EXPORTS[name]}", __name__), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
