"""Formulas as TeX, for Obsidian's `$...$` and `$$...$$`: found in KaTeX output, MathML with a
TeX annotation or `alttext` (Wikipedia, Temml), and MathJax 2's `<script type="math/tex">`.
Markup that gives no TeX is left alone, so its text still shows."""

from bs4 import Tag

from vault_export.convert.query import descendants_named

MATH = 'vx-math'  # internal element: a formula, its TeX in 'tex', 'display' set for a block
_TEX_ENCODINGS = frozenset({'application/x-tex', 'text/x-tex', 'application/x-latex'})


def formula_of_katex(span: Tag) -> tuple[str, bool] | None:
    """A KaTeX `<span class="katex">`: its TeX, and whether it is displayed as a block."""
    display = span.parent is not None and 'katex-display' in (span.parent.get('class') or ())
    tex = _annotated_tex(span)
    return (tex, display) if tex else None


def formula_of_mathml(math: Tag) -> tuple[str, bool] | None:
    tex = _annotated_tex(math) or _usable(math.get('alttext'))
    return (tex, math.get('display') == 'block') if tex else None


def formula_of_script(script: Tag) -> tuple[str, bool] | None:
    """MathJax 2 keeps each formula's TeX in a script, `type="math/tex"` (`; mode=display` for a block)."""
    kind = (script.get('type') or '').lower()
    if not kind.startswith('math/tex'):
        return None
    tex = _usable(script.get_text())
    return (tex, 'mode=display' in kind) if tex else None


def _annotated_tex(tag: Tag) -> str | None:
    for annotation in descendants_named(tag, ('annotation',)):
        if (annotation.get('encoding') or '').lower() in _TEX_ENCODINGS:
            return _usable(annotation.get_text())
    return None


def _usable(tex: str | None) -> str | None:
    """The TeX on one line; None when there is none or it holds a '$', which would end the formula."""
    tex = ' '.join((tex or '').split())
    return tex if tex and '$' not in tex else None
