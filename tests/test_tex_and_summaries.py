"""TeX formulas in abstracts and summaries, the Markdown of summaries, topics that are no tag as
written, and file names of titles with TeX: judged by what a reader sees.

Our Markdown is read back with markdown-it and its dollarmath plugin, set as Obsidian reads math:
'$...$' with no space just inside the dollars and no digit right after the closing one, and '$$...$$'.
The formulas are short snippets of real arXiv abstracts.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import pytest
from hypothesis import given, settings, strategies as st
from markdown_it import MarkdownIt
from mdit_py_plugins.dollarmath import dollarmath_plugin

from conftest import collector_note, notes_in, write
from support.node_tools import ensure_node_tools, markdownlint
from support.roundtrip import obsidian_syntax
from support.vault_reader import read_vault
from vault_export.convert import html_to_markdown, text_to_markdown
from vault_export.convert.written_markdown import written_markdown_to_markdown

READER = MarkdownIt("commonmark").enable(["table", "strikethrough"])
dollarmath_plugin(READER, allow_space=False, allow_digits=False, double_inline=True)
FORMULAS = ("math_inline", "math_inline_double", "math_block")
MARKS = {"strong_open": "strong", "em_open": "em", "code_inline": "code", "list_item_open": "item",
         "s_open": "strike"}


@dataclass
class Reading:
    """What a reader sees: the text (each formula as '⟨tex⟩'), the formulas, the marks, any HTML."""
    text: str = ""
    formulas: list[str] = field(default_factory=list)
    marks: list[tuple[str, str]] = field(default_factory=list)  # (mark, the text it marks)
    html: list[str] = field(default_factory=list)


def read(markdown: str) -> Reading:
    reading = Reading()
    tokens = READER.parse(markdown)
    for index, token in enumerate(tokens):
        if token.type == "math_block":
            reading.formulas.append(" ".join(token.content.split()))
        elif token.type == "list_item_open":
            reading.marks.append(("item", "".join(child.content for child in tokens[index + 2].children)))
        elif token.type == "html_block":
            reading.html.append(token.content)
        for position, child in enumerate(token.children or []):
            _read_inline(reading, child, token.children[position + 1:])
        if token.type in ("paragraph_close", "math_block"):
            reading.text += "\n"
    return reading


def _read_inline(reading: Reading, token, following) -> None:
    if token.type in FORMULAS:
        reading.formulas.append(token.content)
        reading.text += f"⟨{token.content}⟩"
    elif token.type in ("text", "code_inline"):
        reading.text += token.content
        if token.type == "code_inline":
            reading.marks.append(("code", token.content))
    elif token.type in ("softbreak", "hardbreak"):
        reading.text += "\n"
    elif token.type == "html_inline":
        reading.html.append(token.content)
    elif token.type in MARKS:
        reading.marks.append((MARKS[token.type], following[0].content if following else ""))


def body(html: str) -> str:
    return html_to_markdown(html).markdown


# Real abstracts' TeX: each becomes one formula, the TeX as written.
ABSTRACT_SNIPPETS = [
    ("most notably $\\mathrm{EF}$ and $\\mathrm{EF}^{21}$ -- have emerged",
     ["\\mathrm{EF}", "\\mathrm{EF}^{21}"]),
    ("which we call the $\\varphi$-free graphs", ["\\varphi"]),
    ("recover reward or $Q^*$ functions that govern agent behavior", ["Q^*"]),
    ("inference-time strategies (e.g., Best-of-$N$, long CoTs)", ["N"]),
    ("Here, $f_i$, $g_i$, and $A_i$ represent private information of agent "
     "$i \\in \\mathcal{I} = \\{1, \\cdots, n\\}$, while $h$ is public",
     ["f_i", "g_i", "A_i", "i \\in \\mathcal{I} = \\{1, \\cdots, n\\}", "h"]),
    ("problem: $\\min_{x_i \\in \\mathbb{R}^{d_i}, i \\in \\mathcal{I}; y \\in \\mathbb{R}^p}$ "
     "$\\sum_{i=1}^n\\left(f_i(x_i) + g_i(x_i)\\right) + h(y) \\ \\text{s.t.} \\ \\sum_{i=1}^{n}A_ix_i = y$, over",
     ["\\min_{x_i \\in \\mathbb{R}^{d_i}, i \\in \\mathcal{I}; y \\in \\mathbb{R}^p}",
      "\\sum_{i=1}^n\\left(f_i(x_i) + g_i(x_i)\\right) + h(y) \\ \\text{s.t.} \\ \\sum_{i=1}^{n}A_ix_i = y"]),
    ("with a $\\Theta_{\\epsilon}(\\log n)$ bound", ["\\Theta_{\\epsilon}(\\log n)"]),
    ("for $d=2$ and $x + y < 1$, within a factor of $2$", ["d=2", "x + y < 1", "2"]),
]
# Dollars that are money, from real summaries and pages: no formula, every '$' shown.
MONEY = [
    "Core 2 Duo配备1.26英寸黑白电子墨水屏，续航30天，售价$149；Core Time 2配备1.5英寸64色电子墨水屏，售价$225。",
    "提供价值$25,000的奖金，另有$5,000",
    "It costs $5 and $10 with tax",
    "This costs $100 per unit, which is not math.",
    "Prices: $5/$10, or $ 20 $ flat",
    "He paid $5 and got +$. Then $5-$8.",
]


@pytest.mark.parametrize("text, formulas", ABSTRACT_SNIPPETS)
def test_tex_in_abstracts_reads_as_formulas_from_html_and_text(text, formulas):
    for markdown in (body(f"<p>{text}</p>"), text_to_markdown(text)):
        assert read(markdown).formulas == formulas, markdown
        assert "\\$" not in markdown


def test_an_arxiv_abstract_in_a_collector_note_keeps_formulas_that_its_lines_break(run_cli, inbox, vault):
    abstract = ("In this paper, we focus on a class of decentralized constraint-coupled\n"
                "optimization problem: $\\min_{x_i \\in \\mathbb{R}^{d_i}, i \\in \\mathcal{I}; y \\in\n"
                "\\mathbb{R}^p}$ over an undirected and connected\nnetwork of $n$ agents, at $5 per agent.")
    write(inbox / "paper.md", collector_note(title="A Dual$^2$ Approach", url="http://arxiv.org/abs/2505.03719v1",
                                             body=abstract, summary="该问题涉及$n$个智能体，成本为$5。"))
    run_cli("export", inbox, "--vault", vault)
    [(properties, text)] = [value for path, value in read_vault(vault).items() if path.startswith("Clippings/")]
    assert read(text).formulas == ["n", "\\min_{x_i \\in \\mathbb{R}^{d_i}, i \\in \\mathcal{I}; y \\in \\mathbb{R}^p}", "n"]
    assert "at $5 per agent." in read(text).text and "成本为$5。" in read(text).text
    assert properties["title"] == "A Dual$^2$ Approach"


@pytest.mark.parametrize("text", MONEY)
def test_money_stays_literal_dollars(text):
    for markdown in (body(f"<p>{text}</p>"), text_to_markdown(text)):
        reading = read(markdown)
        assert reading.formulas == [] and reading.text.strip() == text, markdown


def test_a_formula_keeps_its_neighbours_and_what_follows_it():
    reading = read(body("<p>a $\\epsilon$-greedy policy over $n$ agents costs $5</p>"))
    assert reading.text.strip() == "a ⟨\\epsilon⟩-greedy policy over ⟨n⟩ agents costs $5"


def test_a_formula_after_a_price_is_a_formula():
    assert read(text_to_markdown("售价$149，又见$x_1$与$5")).text.strip() == "售价$149，又见⟨x_1⟩与$5"


def test_backslash_delimiters_and_double_dollars_are_math():
    markdown = body("<p>The backslash delimiters work too: \\(E = mc^2\\) is inline and</p><p>\\[F = ma\\]</p>"
                    "<p>computes $$h_{i}^{\\ell+1} = \\text{Attention}$$ for each node</p>")
    assert read(markdown).formulas == ["E = mc^2", "F = ma", "h_{i}^{\\ell+1} = \\text{Attention}"]
    assert read(body("<p>In a regex write \\( and \\) for parentheses</p>")).formulas == []


def test_dollars_without_tex_and_code_stay_as_written():
    markdown = body("<p>$ab * cd$ and $USD$</p><pre>This $\\alpha$ stays</pre><p><code>$x_1$</code></p>")
    reading = read(markdown)
    assert reading.formulas == []
    assert "$ab * cd$ and $USD$" in reading.text and ("code", "$x_1$") in reading.marks
    assert "This $\\alpha$ stays" in markdown


def test_a_formula_in_a_table_cell_does_not_split_the_cell():
    markdown = body("<table><tr><th>h</th></tr><tr><td>$|x|$ and $x_1$</td></tr></table>")
    rows = [line for line in markdown.split("\n") if line.startswith("|")]
    assert len(rows) == 3 and rows[2].count("|") - rows[2].count("\\|") == 2, markdown
    assert read(markdown).formulas == ["x_1"]


SUMMARY = """研究者提出了**SuperWriter-Agent**框架，并训练了*7B*参数的`SuperWriter-LM`模型，其中 $Q^*$ 与 $x_1 * y_2$ 。
核心要点：
- AirPods新增相机控制/睡眠检测  
- 售价$149，另一款$225

# 不是标题 #话题 [[不是链接]] %%不是注释%% <b>不是HTML</b> <script>alert(1)</script>"""


def test_a_collector_summary_shows_its_markdown_and_keeps_obsidian_syntax_literal(run_cli, inbox, vault):
    write(inbox / "note.md", collector_note(summary=SUMMARY))
    run_cli("export", inbox, "--vault", vault)
    [(properties, text)] = [value for path, value in read_vault(vault).items() if path.startswith("Clippings/")]
    callout = "\n".join(line[2:] for line in text.split("\n") if line.startswith(">"))
    reading = read(callout)
    assert ("strong", "SuperWriter-Agent") in reading.marks and ("em", "7B") in reading.marks
    assert ("code", "SuperWriter-LM") in reading.marks
    assert [mark for mark in reading.marks if mark[0] == "item"] == [
        ("item", "AirPods新增相机控制/睡眠检测"), ("item", "售价$149，另一款$225")]
    assert reading.formulas == ["Q^*", "x_1 * y_2"]
    assert "# 不是标题 #话题 [[不是链接]] %%不是注释%% <b>不是HTML</b> <script>alert(1)</script>" in reading.text
    assert reading.html == []
    assert not any(line.startswith("#") for line in callout.split("\n"))
    assert [kind for kind, _ in obsidian_syntax(callout) if kind != "math"] == []
    ensure_node_tools()
    assert markdownlint(vault) == []


def topic_link(text: str) -> str:
    return f'<a href="https://s.weibo.com/weibo?q=%23{text}%23">#{text}#</a>'


def test_a_topic_that_is_no_tag_as_written_keeps_every_character_in_the_body(run_cli, inbox, vault):
    post = f"<p>{topic_link('80%token在训练中起副作用')}{topic_link('大模型强化学习超越二八法则')}近期论文</p>"
    write(inbox / "post.md", collector_note(body=post, summary=None))
    run_cli("export", inbox, "--vault", vault)
    [(properties, text)] = [value for path, value in read_vault(vault).items() if path.startswith("Clippings/")]
    assert properties["tags"] == ["80token在训练中起副作用", "大模型强化学习超越二八法则"]
    assert read(text).text.strip() == "#80%token在训练中起副作用# #大模型强化学习超越二八法则 近期论文"


def test_tex_titles_name_files_as_they_read_and_keep_their_title(run_cli, inbox, vault):
    titles = {"A Smooth Sea Never Made a Skilled $\\texttt{SAILOR}$: Robust Imitation via Learning to Search":
              "A Smooth Sea Never Made a Skilled SAILOR Robust Imitation via Learning to Search",
              "Accelerated Decentralized Constraint-Coupled Optimization: A Dual$^2$ Approach":
              "Accelerated Decentralized Constraint-Coupled Optimization A Dual² Approach",
              "他甩出一篇ICML 2025论文，...": "他甩出一篇ICML 2025论文",
              "nul.txt": "nul_.txt",
              "Word HTML footnotes: _ftn/_ftnref pattern": "Word HTML footnotes ftn ftnref pattern"}
    for number, title in enumerate(titles):
        write(inbox / f"{number}.md", collector_note(title=title, url=f"https://example.com/{number}"))
    run_cli("export", inbox, "--vault", vault)
    notes = read_vault(vault)
    assert sorted(path.stem for path in notes_in(vault)) == sorted(titles.values())
    assert sorted(notes[f"Clippings/{name}.md"][0]["title"] for name in titles.values()) == sorted(titles)
    ensure_node_tools()
    assert markdownlint(vault) == []  # the daily page's links too: no '_ftn _ftnref' (MD037)


PROSE = st.text(st.sampled_from(list("ab 中文，。$n%#=:.,09\n")), max_size=60)


@settings(max_examples=300, deadline=None)
@given(PROSE)
def test_prose_reads_the_same_whether_or_not_the_summary_has_marks_elsewhere(text):
    """A summary without Markdown signs takes a quicker path: it must read the same."""
    plain = read(written_markdown_to_markdown(text))
    marked = read(written_markdown_to_markdown("*x*\n\n" + text))
    assert (marked.text, marked.formulas) == ("x\n" + plain.text, plain.formulas)


def test_a_folder_keeps_the_underscore_that_opens_it_and_a_note_name_drops_it(run_cli, inbox, vault, tmp_path):
    """'_inbox' sorts first among folders; '_ftn _ftnref' in a name trips MD037 on the daily page."""
    config = write(tmp_path / "config.toml", '[notes]\nfolder = "_inbox"\n')
    write(inbox / "a.md", collector_note(title="Word HTML footnotes: _ftn/_ftnref pattern"))
    run_cli("export", inbox, "--vault", vault, "--config", config)
    assert [path.name for path in notes_in(vault, "_inbox")] == ["Word HTML footnotes ftn ftnref pattern.md"]
