"""The lean paths against the libraries' own: the same Markdown from every conversion input.

The lean builder (convert/parse.py) and the lean traversal (convert/traverse.py) rely on private
parts of bs4 and markdownify. Here every HTML input the conversion tests use, the test
fixtures, the bundled seeds and the real-world pages next to the checkout (skipped when absent)
go through both paths, which must give the same Markdown and tags, and trees of the same shape.
A failure after an upgrade of bs4 or markdownify means the lean path needs the change the
library made; a failure after a change to the converter means a rule lives in one path only.

`VAULT_EXPORT_PLAIN_LIBRARIES=1 pytest tests/test_convert.py` runs the whole conversion suite
on the libraries' own paths.
"""

import ast
import difflib
from functools import cache
from html import escape as escape_html
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from hypothesis import given
from hypothesis import strategies as st

import test_convert
from test_convert import tree_shape
from test_convert_properties import ATTRIBUTES, ELEMENTS, FAST, HTMLISH
from vault_export.convert import body
from vault_export.convert import TOPIC_STYLES, html_to_markdown
from vault_export.convert.parse import parse_html
from vault_export.convert.traverse import LeanTraversal
from vault_export.inputs.discover import discover
from vault_export.inputs.readers import enex
from vault_export.model import BodyFormat, Note

TESTS = Path(__file__).resolve().parent
REPO = TESTS.parent
REALWORLD = REPO.parent / 'shared' / 'realworld'
CONVERTING_CALLS = ('md', 'tags', 'html_to_markdown')  # test_convert.py's ways to convert HTML
SHOWN_MISMATCHES = 3
STRESS_SIZE = 20_000  # characters


class Case:
    def __init__(self, label: str, html: str, **options):
        self.label, self.html, self.options = label, html, options

    def __repr__(self) -> str:
        return f'Case({self.label!r})'


def cases_of_test_convert() -> list[Case]:
    """Every conversion test_convert.py asks for whose arguments are known before its test runs
    (literals, module constants, helpers' results, parameters), and its parametrised HTML. Its
    stress inputs are left out: markdownify's traversal takes seconds on them, and what they
    hold smaller inputs hold too."""
    namespace = vars(test_convert)
    module = ast.parse(Path(test_convert.__file__).read_text('utf-8'))
    cases = {}
    for function in (node for node in module.body if isinstance(node, ast.FunctionDef)):
        calls = [node for node in ast.walk(function) if isinstance(node, ast.Call)
                 and isinstance(node.func, ast.Name) and node.func.id in CONVERTING_CALLS and node.args]
        for parameters in _parameter_sets(function, namespace):
            scope = {**namespace, **parameters}
            found = [(function.lineno, parameters['html'], {})] if 'html' in parameters else []
            for call in calls:
                try:
                    options = {keyword.arg: _evaluated(keyword.value, scope) for keyword in call.keywords}
                    found.append((call.lineno, _evaluated(call.args[0], scope), options))
                except NameError:  # built from the test's own variables
                    continue
            for line, html, options in found:
                if isinstance(html, str) and len(html) <= STRESS_SIZE:
                    cases.setdefault((html, *options.items()), Case(f'test_convert.py:{line}', html, **options))
    return list(cases.values())


def _parameter_sets(function: ast.FunctionDef, namespace: dict) -> list[dict]:
    """The parameters of each run of a test function, from its parametrize marks."""
    sets = [{}]
    for decorator in function.decorator_list:
        if not (isinstance(decorator, ast.Call) and isinstance(decorator.func, ast.Attribute)
                and decorator.func.attr == 'parametrize'):
            continue
        names, values = (_evaluated(argument, namespace) for argument in decorator.args[:2])
        names = [name.strip() for name in names.split(',')] if isinstance(names, str) else list(names)
        runs = [dict(zip(names, value if len(names) > 1 else (value,))) for value in values]
        sets = [{**earlier, **run} for earlier in sets for run in runs]
    return sets


def _evaluated(expression: ast.expr, namespace: dict):
    return eval(compile(ast.Expression(expression), 'test_convert.py', 'eval'), namespace)


def cases_read_from(label: str, *roots: Path, every_style: bool = False) -> list[Case]:
    """The HTML bodies the readers give for the files under the roots, and the HTML the ENEX
    reader converts itself, each with its base URL."""
    cases, converted_by_reader = [], []

    def recording(html, base_url=None, **options):
        converted_by_reader.append((html, base_url))
        return html_to_markdown(html, base_url, **options)

    enex.html_to_markdown, original = recording, enex.html_to_markdown
    try:
        for item in discover([str(root) for root in roots if root.exists()]):
            reader = item.reader()
            origin = f'{label}/{Path(item.path).name}'
            try:
                notes = list(reader.read(Path(item.path))) if reader else []
            except Exception:  # noqa: BLE001 (an input no reader reads converts nothing)
                notes = []
            found = [(note.body, note.url) for note in notes
                     if isinstance(note, Note) and note.body_format is BodyFormat.HTML]
            found += converted_by_reader
            converted_by_reader.clear()
            for index, (body, url) in enumerate(found):
                styles = TOPIC_STYLES if every_style else ('tag',)
                cases += [Case(f'{origin}#{index} ({style})', body, base_url=url, topics=style)
                          for style in styles]
    finally:
        enex.html_to_markdown = original
    return cases


GROUPS = {
    'test_convert': cases_of_test_convert,
    'fixtures': lambda: cases_read_from('fixtures', TESTS / 'fixtures', REPO / 'seeds',
                                        *sorted(TESTS.glob('golden/*/input')), every_style=True),
    'realworld-collector': lambda: cases_read_from('collector', REALWORLD / 'collector'),
    'realworld-defuddle': lambda: cases_read_from('defuddle', REALWORLD / 'defuddle' / 'fixtures'),
}
REALWORLD_FOLDERS = {'realworld-collector': REALWORLD / 'collector',
                     'realworld-defuddle': REALWORLD / 'defuddle' / 'fixtures'}


@cache
def cases(group: str) -> list[Case]:
    folder = REALWORLD_FOLDERS.get(group)
    if folder is not None and not folder.is_dir():
        pytest.skip(f'{folder} is absent')
    found = GROUPS[group]()
    assert len(found) >= 10, f'only {len(found)} conversion inputs gathered for {group}'
    return found


def mismatch_report(mismatches: list[tuple[Case, object, object]], total: int) -> str:
    lines = [f'{len(mismatches)} of {total} inputs convert differently on the lean paths '
             f'(-) and the libraries\' own (+):']
    for case, lean, plain in mismatches[:SHOWN_MISMATCHES]:
        html = case.html if len(case.html) <= 300 else case.html[:300] + '...'
        lines += ['', f'{case.label} {case.options or ""}', f'html: {html!r}']
        if lean.tags != plain.tags:
            lines.append(f'tags: {lean.tags!r} != {plain.tags!r}')
        lines += difflib.unified_diff(lean.markdown.split('\n'), plain.markdown.split('\n'),
                                      'lean', 'plain', n=2, lineterm='')
    if len(mismatches) > SHOWN_MISMATCHES:
        lines += ['', 'and: ' + ', '.join(case.label for case, _, _ in mismatches[SHOWN_MISMATCHES:])]
    return '\n'.join(lines)


@pytest.mark.parametrize('group', GROUPS)
def test_lean_and_plain_libraries_write_the_same_markdown(group):
    mismatches = []
    for case in cases(group):
        lean = html_to_markdown(case.html, **case.options, plain_libraries=False)
        plain = html_to_markdown(case.html, **case.options, plain_libraries=True)
        if lean != plain:
            mismatches.append((case, lean, plain))
    assert not mismatches, mismatch_report(mismatches, len(cases(group)))


@pytest.mark.parametrize('group', GROUPS)
def test_lean_builder_builds_the_tree_bs4_builds(group):
    htmls = dict.fromkeys(case.html for case in cases(group))
    different = [html for html in htmls if _shape(parse_html, html) != _shape(_bs4_lxml, html)]
    assert not different, f'the lean builder builds another tree for {len(different)} inputs: {different[:3]!r}'


def _shape(parse, html: str):
    """The tree's shape, or the error the parser raises (lone surrogates, say)."""
    try:
        return tree_shape(parse(html))
    except Exception as error:  # noqa: BLE001
        return repr(error)


def _bs4_lxml(html: str) -> BeautifulSoup:
    return BeautifulSoup(html, 'lxml')


# Markup with single signs of Markdown between the tags, so that the pieces of text meet often:
# what the traversals do where they join the children's Markdown shows there.
MEETING_PIECES = st.lists(st.one_of(
    st.builds('<{}{}>'.format, st.sampled_from(ELEMENTS), st.sampled_from(ATTRIBUTES)),
    st.builds('</{}>'.format, st.sampled_from(ELEMENTS)),
    st.sampled_from('%=#*_`~|!$[]<>-+.1a \n').map(escape_html),
), max_size=30).map(''.join)


@FAST
@given(st.one_of(HTMLISH, MEETING_PIECES), st.sampled_from(TOPIC_STYLES))
def test_lean_and_plain_libraries_agree_on_any_markup(markup, topics):
    lean = html_to_markdown(markup, topics=topics, plain_libraries=False)
    assert lean == html_to_markdown(markup, topics=topics, plain_libraries=True)


def test_the_switch_chooses_the_paths(monkeypatch):
    """plain_libraries=True uses neither lean part, and the lean path uses both."""
    def lean_part(*args, **kwargs):
        raise AssertionError('a lean part was used')

    monkeypatch.setattr(body, 'parse_html', lean_part)
    monkeypatch.setattr(LeanTraversal, 'process_tag', lean_part)
    assert html_to_markdown('<p>x</p>', plain_libraries=True).markdown == 'x'
    with pytest.raises(AssertionError, match='lean part'):
        html_to_markdown('<p>x</p>', plain_libraries=False)
    monkeypatch.setattr(body, 'parse_html', parse_html)
    with pytest.raises(AssertionError, match='lean part'):
        html_to_markdown('<p>x</p>', plain_libraries=False)
