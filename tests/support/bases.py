"""A checker of Obsidian Bases files (`.base`) against the documented syntax.

What it holds to, and where Obsidian documents it:

- help.obsidian.md, "Bases syntax": the top-level sections (`filters`, `formulas`, `properties`,
  `summaries`, `views`); a filter is a statement (a string) or an object with exactly one of `and`,
  `or`, `not` holding a list of filters; a view's `type`, `name`, `limit`, `groupBy` (`property`,
  `direction`), `filters`, `order`, `summaries`; property ids `note.x` (or bare `x`), `file.x`,
  `formula.x`; the file properties; the arithmetic, comparison and boolean operators; `properties`
  holding each property's `displayName`.
- help.obsidian.md, "Functions": the global functions and those of each type.
- help.obsidian.md, "Views" (sorting by one or more properties, each ascending or descending) and
  Obsidian's API reference (`BasesSortConfig`: `{property, direction: ASC | DESC}`): a view's `sort`.
- help.obsidian.md, "Cards view": a cards view's image property (`image`).

`check_base(data)` raises AssertionError naming the first thing that is not so, and returns every
property the file names, as (kind, name) pairs: ("note", "date"), ("file", "name"), ("formula", "x").
The expression checker parses what the filters and formulas may say: literals, property
references, function and method calls, indexing, parentheses, unary and binary operators.
"""
from __future__ import annotations

import re
from typing import Any

TOP_LEVEL = {"filters", "formulas", "properties", "summaries", "views"}
VIEW_TYPES = {"table", "cards", "list", "map"}
VIEW_KEYS = {"type", "name", "limit", "groupBy", "filters", "order", "summaries", "sort"}
KEYS_OF_TYPE = {"cards": {"image"}}
DIRECTIONS = {"ASC", "DESC"}
PROPERTY_SETTINGS = {"displayName"}
FILE_FIELDS = {"backlinks", "basename", "ctime", "embeds", "ext", "file", "folder", "links", "mtime", "name",
               "path", "properties", "size", "tags"}
GLOBAL_FUNCTIONS = {"escapeHTML", "date", "duration", "file", "html", "if", "image", "icon", "link", "list",
                    "max", "min", "now", "number", "today"}
FILE_METHODS = {"asLink", "hasLink", "hasProperty", "hasTag", "inFolder"}
METHODS = FILE_METHODS | {
    "isTruthy", "isType", "toString",  # any value
    "date", "format", "time", "relative", "isEmpty",  # dates
    "contains", "containsAll", "containsAny", "endsWith", "lower", "replace", "repeat", "reverse", "slice",
    "split", "startsWith", "title", "trim",  # strings
    "abs", "ceil", "floor", "round", "toFixed",  # numbers
    "filter", "flat", "join", "map", "reduce", "sort", "unique",  # lists
    "asFile", "linksTo",  # links
    "keys", "values",  # objects
    "matches",  # regular expressions
}
BINARY = {"==", "!=", ">", "<", ">=", "<=", "&&", "||", "+", "-", "*", "/", "%"}
UNARY = {"!", "-"}
KEYWORDS = {"true", "false", "null"}
ROOTS = {"note", "file", "formula", "this"}
TOKEN = re.compile(r"""\s*(?:
    (?P<string>"(?:\\.|[^"\\])*"|'(?:\\.|[^'\\])*')
  | (?P<number>\d+(?:\.\d+)?)
  | (?P<name>[A-Za-z_][A-Za-z0-9_]*)
  | (?P<op>==|!=|>=|<=|&&|\|\||[!<>+\-*/%])
  | (?P<punct>[().,\[\]])
)""", re.X)


def check_base(data: Any) -> set[tuple[str, str]]:
    assert isinstance(data, dict), "a base is a YAML mapping"
    assert set(data) <= TOP_LEVEL, f"undocumented top-level keys: {set(data) - TOP_LEVEL}"
    named: set[tuple[str, str]] = set()
    formulas = data.get("formulas") or {}
    assert isinstance(formulas, dict), "formulas is a mapping"
    for name, expression in formulas.items():
        assert isinstance(name, str) and isinstance(expression, str), f"formula {name!r}: a name and a string"
        named |= check_expression(expression)
    if "filters" in data:
        named |= check_filter(data["filters"])
    for property_id, settings in (data.get("properties") or {}).items():
        assert isinstance(settings, dict) and set(settings) <= PROPERTY_SETTINGS, f"properties.{property_id}"
        named.add(property_ref(property_id))
    views = data.get("views")
    assert isinstance(views, list) and views, "views is a list of views"
    for view in views:
        named |= check_view(view)
    undefined = {name for kind, name in named if kind == "formula"} - set(formulas)
    assert not undefined, f"formulas named but not defined: {undefined}"
    return named


def check_filter(node: Any) -> set[tuple[str, str]]:
    if isinstance(node, str):
        return check_expression(node)
    assert isinstance(node, dict) and len(node) == 1, f"a filter object has exactly one key: {node!r}"
    [(conjunction, items)] = node.items()
    assert conjunction in {"and", "or", "not"} and isinstance(items, list), f"filter {conjunction!r}"
    return set().union(*(check_filter(item) for item in items))


def check_view(view: Any) -> set[tuple[str, str]]:
    assert isinstance(view, dict), "a view is a mapping"
    kind = view.get("type")
    assert kind in VIEW_TYPES, f"view type {kind!r}"
    allowed = VIEW_KEYS | KEYS_OF_TYPE.get(kind, set())
    assert set(view) <= allowed, f"view {view.get('name')!r}: undocumented keys {set(view) - allowed}"
    assert isinstance(view.get("name"), str), "a view has a name"
    assert isinstance(view.get("limit", 1), int) and not isinstance(view.get("limit"), bool), "limit"
    named = check_filter(view["filters"]) if "filters" in view else set()
    order = view.get("order", [])
    assert isinstance(order, list), "order is a list of properties"
    named |= {property_ref(item) for item in order}
    for sort in view.get("sort", []):
        named.add(_property_and_direction(sort, "sort"))
    if "groupBy" in view:
        named.add(_property_and_direction(view["groupBy"], "groupBy"))
    if "image" in view:
        named.add(property_ref(view["image"]))
    named |= {property_ref(item) for item in view.get("summaries", {})}
    return named


def _property_and_direction(value: Any, what: str) -> tuple[str, str]:
    assert isinstance(value, dict) and set(value) == {"property", "direction"}, f"{what}: {value!r}"
    assert value["direction"] in DIRECTIONS, f"{what} direction {value['direction']!r}"
    return property_ref(value["property"])


def property_ref(property_id: Any) -> tuple[str, str]:
    """A property id as (kind, name): `note.x` and bare `x` are note properties."""
    assert isinstance(property_id, str) and property_id, f"property id {property_id!r}"
    kind, _, name = property_id.partition(".")
    if kind not in {"note", "file", "formula"} or not name:
        return "note", property_id
    assert kind != "file" or name in FILE_FIELDS, f"no file property {property_id!r}"
    return kind, name


def check_expression(text: str) -> set[tuple[str, str]]:
    """The properties an expression refers to; AssertionError when it is not one Bases reads."""
    parser = _Parser(text)
    parser.expression()
    assert parser.peek() is None, f"{text!r}: unexpected {parser.peek()!r}"
    return parser.named


class _Parser:
    def __init__(self, text: str):
        self.text = text
        self.tokens: list[tuple[str, str]] = []
        position = 0
        while position < len(text.rstrip()):
            match = TOKEN.match(text, position)
            assert match and match.end() > position, f"{text!r}: cannot read from {text[position:]!r}"
            self.tokens.append(next((kind, value) for kind, value in match.groupdict().items() if value))
            position = match.end()
        self.at = 0
        self.named: set[tuple[str, str]] = set()

    def peek(self) -> tuple[str, str] | None:
        return self.tokens[self.at] if self.at < len(self.tokens) else None

    def take(self, value: str | None = None) -> tuple[str, str]:
        token = self.peek()
        assert token is not None and value in (None, token[1]), f"{self.text!r}: expected {value or 'more'}"
        self.at += 1
        return token

    def expression(self) -> None:
        self.unary()
        while (token := self.peek()) and token[0] == "op" and token[1] in BINARY:
            self.take()
            self.unary()

    def unary(self) -> None:
        if (token := self.peek()) and token[0] == "op" and token[1] in UNARY:
            self.take()
            return self.unary()
        self.postfix(self.primary())

    def primary(self) -> str | None:
        """The root a property chain starts from ("note", "file", ...), None for any other value."""
        kind, value = self.take()
        if kind in {"string", "number"} or value in KEYWORDS:
            return None
        if value == "(":
            self.expression()
            self.take(")")
            return None
        assert kind == "name", f"{self.text!r}: unexpected {value!r}"
        if self._at("("):
            assert value in GLOBAL_FUNCTIONS, f"{self.text!r}: no function {value}()"
            self.arguments()
            return None
        if value in ROOTS:
            return value
        self.named.add(("note", value))
        return None

    def postfix(self, root: str | None) -> None:
        while self._at(".") or self._at("["):
            if self.take()[1] == "[":
                index = self.peek()
                self.expression()
                self.take("]")
                if root in {"note", "formula"} and index and index[0] == "string":
                    self.named.add((root, index[1][1:-1]))
                root = None
                continue
            kind, name = self.take()
            assert kind == "name", f"{self.text!r}: a name after '.'"
            if self._at("("):
                assert name in (FILE_METHODS if root == "file" else METHODS), f"{self.text!r}: no method {name}()"
                first = self.tokens[self.at + 1] if self.at + 1 < len(self.tokens) else None
                self.arguments()
                if name == "hasProperty" and first and first[0] == "string":
                    self.named.add(("note", first[1][1:-1]))
            elif root in {"note", "formula"}:
                self.named.add((root, name))
            elif root == "file":
                assert name in FILE_FIELDS, f"{self.text!r}: no file property {name}"
                self.named.add(("file", name))
            root = None

    def arguments(self) -> None:
        self.take("(")
        while not self._at(")"):
            self.expression()
            if not self._at(")"):
                self.take(",")
        self.take(")")

    def _at(self, value: str) -> bool:
        token = self.peek()
        return token is not None and token[0] == "punct" and token[1] == value
