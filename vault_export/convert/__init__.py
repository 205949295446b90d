"""Stage 2, conversion: HTML and plain text to clean Obsidian Markdown: pure str -> str, no I/O.

HTML is parsed once into a BeautifulSoup tree (`parse`, with lxml), cleaned in place (`clean`),
converted by a markdownify subclass (`markdown`, on the lean traversal of `traverse`) and
tidied (`tidy`).

The lean builder of `parse` and the lean traversal of `traverse` rely on private parts of bs4
and markdownify, for speed; the libraries' own paths, bs4's `BeautifulSoup(html, 'lxml')` and
markdownify's `process_tag`/`process_text`, must give the same Markdown. To use them instead,
set the environment variable VAULT_EXPORT_PLAIN_LIBRARIES=1 (read once, when the converter,
body.py, is imported): `VAULT_EXPORT_PLAIN_LIBRARIES=1 pytest tests/test_convert.py` runs the conversion
tests on them, say after an upgrade of bs4 or markdownify. `html_to_markdown`'s
`plain_libraries` chooses for one call; tests/test_convert_guard.py compares both paths.
"""

import importlib

# what the package gives, by the module that holds it
_EXPORTS = {'Converted': 'body', 'TOPIC_STYLES': 'body', 'html_to_markdown': 'body', 'text_to_markdown': 'body',
            'written_markdown_to_markdown': 'written_markdown'}
__all__ = list(_EXPORTS)


def __getattr__(name: str):
    """The converter is imported when first used, not with the package: a run that converts
    nothing loads none of bs4, lxml, markdownify and markdown-it (tex_text.py, say, needs none)."""
    if name not in _EXPORTS:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(f"{__name__}.{_EXPORTS[name]}"), name)
