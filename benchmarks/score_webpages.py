"""Score the saved-page reader against defuddle's expected Markdown for 208 real pages.

For each page in FIXTURES/*.html: read it with vault-export's web page reader, convert the body to
Markdown, and compare with EXPECTED/<name>.md (a ```json block with the title, then the body):

- title: equal after collapsing whitespace, case-sensitive (a title is shown as written);
- words: a bag-of-words F1 over the visible text. Link and image targets are left out (they are
  not visible, and the expected files resolve relative links against test addresses a saved
  page does not carry). Text is lower-cased and split on anything that is not a letter or digit
  (so Markdown syntax and escapes do not count); each CJK character (Han, kana, Hangul) is one
  word. F1 = 2PR/(P+R) on the multiset overlap.

It prints the mean F1, titles matched, the N worst pages and pages per second, beside the
baseline "whole <body> converted, <title> as title" with the same converter. The pages are
only read from DIR; nothing is copied into the repository.

    .venv/bin/python benchmarks/score_webpages.py [--data DIR] [--worst N] [--titles]
"""
from __future__ import annotations

import argparse
import json
import re
import sys
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from lxml import etree  # noqa: E402

from vault_export.model import Note  # noqa: E402
from vault_export.inputs.readers import webpage, webpage_meta  # noqa: E402

DEFAULT_DATA = Path(__file__).resolve().parents[2] / "shared" / "realworld" / "defuddle"
CJK = "\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff"
WORD = re.compile(rf"[{CJK}]|[^\W_{CJK}]+")
JSON_BLOCK = re.compile(r"\A```json\n(.*?)\n```\n?", re.DOTALL)
# Link and image targets are not visible text: `[text](target "title")` counts as `[text]`.
LINK_TARGET = re.compile(r"\]\(\s*<?[^()\s>]*(?:\([^()\s]*\)[^()\s>]*)*>?(?:\s+(?:\"[^\"]*\"|'[^']*'))?\s*\)")
REFERENCE_TARGET = re.compile(r"^ {0,3}\[(?!\^)[^\]]+\]:[ \t]*<?\S+>?(?:[ \t]+[\"'(].*[\"')])?[ \t]*$",
                              re.MULTILINE)


def _converter() -> tuple[Callable[[str, str | None], str], str]:
    """The project's converter, or a stand-in (markdownify's defaults) while it is not written."""
    try:
        from vault_export.convert import html_to_markdown
    except ImportError:
        from markdownify import markdownify
        return (lambda html, url: markdownify(html, heading_style="ATX")), \
            "FALLBACK: markdownify defaults (vault_export.convert.html_to_markdown not found)"
    return (lambda html, url: html_to_markdown(html, url).markdown), \
        "vault_export.convert.html_to_markdown"


def words(markdown: str) -> Counter:
    visible = REFERENCE_TARGET.sub("", LINK_TARGET.sub("]", markdown))
    return Counter(WORD.findall(visible.lower()))


def f1(found: Counter, expected: Counter) -> float:
    if not found and not expected:
        return 1.0
    overlap = sum((found & expected).values())
    if not overlap:
        return 0.0
    precision, recall = overlap / sum(found.values()), overlap / sum(expected.values())
    return 2 * precision * recall / (precision + recall)


def collapse(text: str) -> str:
    return " ".join(text.split())


@dataclass
class Expected:
    title: str
    words: Counter


def load_expected(path: Path) -> Expected:
    text = path.read_text("utf-8")
    match = JSON_BLOCK.match(text)
    header = json.loads(match.group(1)) if match else {}
    return Expected(collapse(header.get("title", "")), words(text[match.end():] if match else text))


@dataclass
class Score:
    name: str
    f1: float
    title_ok: bool
    title: str


def score_reader(page: Path, expected: Expected, convert) -> Score:
    result = next(iter(webpage.WebPageReader().read(page)))
    if not isinstance(result, Note):
        return Score(page.stem, 0.0, False, f"<failed: {result.reason}>")
    found = words(convert(result.body, result.url)) if result.body else Counter()
    return Score(page.stem, f1(found, expected.words), collapse(result.title) == expected.title,
                 result.title)


def score_whole_body(page: Path, expected: Expected, convert) -> Score:
    tree = webpage_meta.parse_page(webpage_meta.decode_page(page.read_bytes(), page))
    body = tree.find("body")
    html = etree.tostring(body, encoding="unicode", method="html") if body is not None else ""
    title_element = tree.find(".//title")
    title = collapse(title_element.text_content()) if title_element is not None else ""
    return Score(page.stem, f1(words(convert(html, None)), expected.words), title == expected.title,
                 title)


def run(pages: list[Path], expected_dir: Path, scorer, convert) -> tuple[list[Score], float]:
    started = time.perf_counter()
    scores = [scorer(page, load_expected(expected_dir / f"{page.stem}.md"), convert) for page in pages]
    return scores, time.perf_counter() - started


def summary(label: str, scores: list[Score], seconds: float) -> str:
    mean = sum(score.f1 for score in scores) / len(scores)
    titles = sum(score.title_ok for score in scores)
    return (f"{label:<12} mean F1 {mean:.3f}   titles {titles}/{len(scores)} "
            f"({titles / len(scores):.1%})   {len(scores) / seconds:.1f} pages/s")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--worst", type=int, default=10)
    parser.add_argument("--titles", action="store_true", help="list every title that differs")
    args = parser.parse_args(argv)
    pages = sorted((args.data / "fixtures").glob("*.html"))
    convert, converter_name = _converter()
    print(f"{len(pages)} pages from {args.data}\nconverter: {converter_name}\n")
    scores, seconds = run(pages, args.data / "expected", score_reader, convert)
    baseline, baseline_seconds = run(pages, args.data / "expected", score_whole_body, convert)
    print(summary("reader", scores, seconds))
    print(summary("whole <body>", baseline, baseline_seconds))
    print(f"\n{args.worst} lowest F1:")
    for score in sorted(scores, key=lambda item: item.f1)[:args.worst]:
        print(f"  {score.f1:.3f}  {score.name}")
    if args.titles:
        expected = {page.stem: load_expected(args.data / "expected" / f"{page.stem}.md").title
                    for page in pages}
        print("\ntitles that differ (got | expected):")
        for score in scores:
            if not score.title_ok:
                print(f"  {score.name}: {score.title!r} | {expected[score.name]!r}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
