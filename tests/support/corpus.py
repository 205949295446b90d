"""Synthetic collector notes, deterministic by seed: for the benchmark and for tests.

``generate(root, n, seed)`` writes ``n`` notes in the collector format (``# title``, ``**URL**``,
``## 原始摘要`` with the HTML body, ``## AI 摘要``, ``## 元数据``) under ``root/<YYYY-MM-DD>/``,
30 to 60 date folders. The mix: about 65% short Weibo-like posts (topic links, ``sinaurl`` link
cards, emoticons, images, the odd video), 15% WeChat-style articles (``data-src`` images, lists,
quotes, headings), 10% pages with code blocks and tables, 8% arXiv-style plain-text abstracts and
2% long articles (25-130 KB); about 3% of the files re-save an earlier day's URL. The same ``n``
and seed always give byte-identical files. All text is made up here; nothing comes from real notes.

``change_inputs(corpus, fraction, seed)`` changes one sentence in the body of that share of the
files; ``extract_body(text)`` returns a note's HTML body. Nothing here imports ``vault_export``.
"""
from __future__ import annotations

import html
import json
import random
import re
import string
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from urllib.parse import quote

__all__ = ["Corpus", "change_inputs", "extract_body", "generate"]

# Word lists for made-up posts. The sentences mean little; what matters is the shape: CJK text
# with full-width punctuation, Latin product names, numbers, and the HTML the collector saves.
SUBJECTS = [
    "研究团队", "这家初创公司", "开源社区", "新发布的模型", "几位工程师", "这套系统", "评测小组",
    "官方博客", "产品负责人", "一位独立开发者", "联合实验室", "该框架", "这项技术", "新版本",
    "多数用户", "业内人士", "编辑部", "这篇论文", "项目维护者", "硬件厂商", "云服务商", "高校课题组",
]
ADVERBS = [
    "刚刚", "首次", "悄悄", "正式", "再次", "已经", "终于", "意外地", "在本周", "昨天深夜", "近日",
    "持续", "大幅", "低调地", "集中",
]
VERBS = [
    "公布了", "更新了", "开源了", "解释了", "对比了", "优化了", "重写了", "验证了", "上线了",
    "展示了", "总结了", "讨论了", "测试了", "改进了", "拆解了", "复现了",
]
OBJECTS = [
    "推理速度", "训练成本", "长文本能力", "多模态接口", "离线同步功能", "笔记导出流程", "缓存策略",
    "基准测试成绩", "插件生态", "移动端体验", "数据清洗脚本", "检索增强方案", "图像生成效果",
    "代码补全工具", "本地部署方案", "语音识别模块", "标注平台", "调度器", "向量数据库", "评测集",
    "视频理解能力", "端侧小模型", "知识库问答", "排版引擎",
]
TAILS = [
    "效果比上一版明显更好", "引发了不少讨论", "细节还有待观察", "社区反馈相当积极",
    "成本下降了一半左右", "在多个场景里都能用", "目前仍处于测试阶段", "不过文档还不完整",
    "速度提升约三成", "评论区吵成一片", "有人觉得言过其实", "后续还会继续迭代",
    "普通显卡也能跑起来", "代码已经放到仓库里", "适合先小范围试用", "对中文的支持也更好了",
]
CONNECTORS = [
    "同时", "另外", "据介绍", "值得一提的是", "简单来说", "换句话说", "不过", "此外", "按官方说法",
    "从演示来看", "有网友指出",
]
UNITS = ["任务", "场景", "数据集", "语种", "插件", "步骤", "版本", "节点"]
PRODUCTS = [
    "LightNote", "PaperKite", "Orbit-7B", "Quill 2.0", "Nimbus Agent", "DeltaSearch",
    "Moss Reader", "TinyLM", "Atlas Vision", "FlowSync", "Harbor DB", "Pebblestack", "Lumen-3",
    "Kestrel", "Tessera OCR",
]
TOPIC_TAILS = ["翻倍", "来了", "升级", "开源", "实测", "上线", "大更新", "新纪录", "刷屏", "揭秘"]
EMOTICONS = ["[允悲]", "[doge]", "[笑cry]", "[赞]", "[思考]", "[吃瓜]", "[哈哈]", "[鼓掌]", "[微笑]"]
NICKS = ["数字花园", "夜读小组", "代码搬运工", "算力观察", "晚风与键盘", "模型测评君", "LatentCat"]
LINK_TEXTS = ["网页链接", "项目主页", "论文地址", "原文链接", "演示视频"]

EN_SUBJECTS = [
    "The proposed method", "Our benchmark", "This paper", "The resulting model",
    "A lightweight agent", "The pipeline", "A careful ablation", "The new objective",
]
EN_VERBS = [
    "improves", "reduces", "outperforms", "characterises", "revisits", "scales", "stabilises",
    "quantifies", "decouples", "unifies",
]
EN_OBJECTS = [
    "long-context retrieval", "the training cost", "strong baselines", "sparse attention",
    "tool-use accuracy", "instruction following", "multilingual transfer", "the memory footprint",
    "out-of-distribution robustness", "reward hacking", "data contamination",
]
EN_TAILS = [
    "across six public benchmarks", "by up to 38%", "with no extra labelled data",
    "on commodity GPUs", "at a fraction of the latency", "under a fixed compute budget",
    "while remaining interpretable", "in both synthetic and real settings",
]
MATH = ["$\\epsilon$", "$O(n \\log n)$", "$k=8$", "$\\alpha < 0.5$", "$p_\\theta(x)$"]

SOURCES = {
    "weibo": ("Weibo", "微博"),
    "wechat": ("WeChat", "公众号文章"),
    "page": ("Web", "网页"),
    "arxiv": ("ArXiv", "论文"),
    "long": ("WeChat", "公众号文章"),
}
# Share of each kind: mostly short Weibo posts, some WeChat-style articles, some pages with code
# and tables, a few arXiv abstracts, and a few long articles.
KIND_WEIGHTS = [("weibo", 0.65), ("wechat", 0.15), ("page", 0.10), ("arxiv", 0.08), ("long", 0.02)]
RESAVE_RATE = 0.03
B62 = string.ascii_letters + string.digits
B64URL = B62 + "-_"
TAG_RE = re.compile(r"<[^>]+>")


@dataclass
class Original:
    """What a re-save on a later day repeats."""

    title: str
    url: str
    body: str
    summary: str
    kind: str
    filename: str


@dataclass
class Corpus:
    """What `generate` wrote: the files in the order written, and counts for a summary line."""

    root: Path
    files: list[Path] = field(default_factory=list)
    kinds: dict[str, int] = field(default_factory=dict)  # kind -> notes (re-saves not counted)
    dates: int = 0
    resaves: int = 0
    total_bytes: int = 0


class NoteGenerator:
    def __init__(self, seed: int) -> None:
        self.r = random.Random(seed)
        r = self.r
        # Pools of ready sentences keep generation fast (100,000 notes in seconds, not minutes).
        self.zh = [self._zh_sentence() for _ in range(6000)]
        self.en = [self._en_sentence() for _ in range(2000)]
        self.summaries = [self._summary() for _ in range(3000)]
        self.uids = [str(r.randrange(1_000_000_000, 7_999_999_999)) for _ in range(300)]

    # -- text -----------------------------------------------------------------------------
    def _zh_sentence(self) -> str:
        r = self.r
        c = r.choice
        form = r.randrange(5)
        if form == 0:
            return f"{c(SUBJECTS)}{c(ADVERBS)}{c(VERBS)}{c(OBJECTS)}，{c(TAILS)}。"
        if form == 1:
            n = r.randrange(2, 500)
            return f"{c(CONNECTORS)}，{c(SUBJECTS)}{c(VERBS)}{c(OBJECTS)}，覆盖{n}个{c(UNITS)}。"
        if form == 2:
            return f"{c(SUBJECTS)}在{c(PRODUCTS)}上{c(VERBS)}{c(OBJECTS)}，{c(TAILS)}。"
        if form == 3:
            pct = r.randrange(3, 95)
            return f"和{c(PRODUCTS)}相比，{c(OBJECTS)}提升了{pct}%，{c(TAILS)}！"
        return f"“{c(OBJECTS)}到底有没有用？”{c(CONNECTORS)}，{c(TAILS)}。"

    def _en_sentence(self) -> str:
        c = self.r.choice
        s = f"{c(EN_SUBJECTS)} {c(EN_VERBS)} {c(EN_OBJECTS)} {c(EN_TAILS)}"
        if self.r.random() < 0.15:
            s += f" with {c(MATH)}"
        return s + "."

    def _summary(self) -> str:
        return "".join(self.r.choice(self.zh) for _ in range(self.r.randrange(3, 8)))

    def zh_text(self, n: int) -> str:
        return "".join(self.r.choices(self.zh, k=n))

    def en_text(self, n: int) -> str:
        return " ".join(self.r.choices(self.en, k=n))

    def token(self, n: int, alphabet: str = B62) -> str:
        return "".join(self.r.choices(alphabet, k=n))

    # -- HTML fragments -------------------------------------------------------------------
    def topic(self) -> tuple[str, str]:
        name = f"#{self.r.choice(OBJECTS)}{self.r.choice(TOPIC_TAILS)}#"
        q = quote(name, safe="")
        href = (
            f"https://m.weibo.cn/search?containerid=231522type%3D1%26t%3D10%26q%3D{q}"
            f"&amp;extparam={q}"
        )
        return f'<a href="{href}" data-hide=""><span class="surl-text">{name}</span></a>', name

    def sina_link(self) -> str:
        target = self.r.choice(
            [
                f"https://mp.weixin.qq.com/s/{self.token(22, B64URL)}",
                f"https://github.com/{self.token(7).lower()}/{self.token(9).lower()}",
                f"https://arxiv.org/abs/25{self.r.randrange(1, 13):02d}.{self.r.randrange(10000):05d}",
                f"https://example.org/post?id={self.r.randrange(10**6)}&lang=zh",
            ]
        )
        return (
            f'<a href="https://weibo.cn/sinaurl?u={quote(target, safe="")}" data-hide="">'
            '<span class="url-icon"><img style="width: 1rem;height: 1rem" '
            'src="https://h5.sinaimg.cn/upload/2015/09/25/3/timeline_card_small_web_default.png" '
            'referrerpolicy="no-referrer"></span>'
            f'<span class="surl-text">{self.r.choice(LINK_TEXTS)}</span></a>'
        )

    def emoticon(self) -> str:
        alt = self.r.choice(EMOTICONS)
        return (
            f'<span class="url-icon"><img alt="{alt}" '
            f'src="https://face.t.sinajs.cn/t4/appstyle/expression/ext/normal/{self.token(2).lower()}/'
            f'{self.r.randrange(2018, 2024)}_{self.token(6).lower()}_org.png" '
            'style="width:1em; height:1em;"></span>'
        )

    def weibo_img(self) -> str:
        size = self.r.choice(["large", "large", "mw690", "orj360"])
        name = f"006{self.token(5)}{self.r.choice(['gy1', 'ly1'])}i{self.token(6).lower()}j30zk0{self.token(4).lower()}"
        return (
            f'<img style="" src="https://tvax{self.r.randrange(1, 5)}.sinaimg.cn/{size}/{name}.jpg" '
            'referrerpolicy="no-referrer">'
        )

    def weibo_video(self) -> str:
        vid = self.token(24)
        return (
            '<br clear="both"><div style="clear: both"></div><video controls="controls" '
            f'poster="https://tvax1.sinaimg.cn/orj480/{self.token(20).lower()}.jpg" style="width: 100%">'
            f'<source src="https://f.video.weibocdn.com/o0/{vid}.mp4?label=mp4_720p&amp;template=1280x720.25.0'
            f'&amp;Expires={self.r.randrange(1_740_000_000, 1_760_000_000)}&amp;ssig={self.token(10)}">'
            '<p>视频无法显示，请前往<a href="https://video.weibo.com/show?fid=1034%3A'
            f'{self.r.randrange(10**15, 10**16)}" target="_blank" rel="noopener noreferrer">微博视频</a>观看。</p>'
            "</video>"
        )

    def wechat_img(self) -> str:
        fmt = self.r.choice(["png", "jpeg", "gif"])
        ratio = self.r.choice(["0.5625", "0.75", "1", "1.3333"])
        return (
            '<p style="text-align: center;"><img class="rich_pages wxw-img" '
            f'data-src="https://mmbiz.qpic.cn/mmbiz_{fmt}/{self.token(40)}/640?wx_fmt={fmt}&amp;from=appmsg" '
            f'data-ratio="{ratio}" data-type="{fmt}" data-w="1080" '
            "src=\"data:image/svg+xml,%3C%3Fxml version='1.0'%3F%3E%3Csvg width='1px' height='1px'%3E%3C/svg%3E\">"
            "</p>"
        )

    def html_list(self, ordered: bool, items: int, nested: bool = False) -> str:
        tag = "ol" if ordered else "ul"
        lis = []
        for i in range(items):
            inner = f"<strong>{self.r.choice(OBJECTS)}</strong>：{self.zh_text(1)}"
            if nested and i == 0:
                inner += self.html_list(False, 2)
            lis.append(f"<li>{inner}</li>")
        return f"<{tag}>{''.join(lis)}</{tag}>"

    def code_block(self) -> str:
        r = self.r
        name = r.choice(["load_notes", "sync_vault", "parse_feed", "hash_body", "write_atomic"])
        var = r.choice(["items", "notes", "rows", "paths"])
        lang = r.choice(["python", "python", "javascript", "bash", "json"])
        if lang == "python":
            code = (
                f"def {name}({var}: list[str], limit: int = {r.randrange(5, 500)}) -> dict:\n"
                f"    out = {{}}\n"
                f"    for i, x in enumerate({var}):\n"
                f"        if i >= limit or x == '' or '<' in x and '&' in x:\n"
                f"            break\n"
                f"        out[x] = len(x) | {r.randrange(1, 64)}\n"
                f"    return out\n"
            )
        elif lang == "javascript":
            code = (
                f"export async function {name}({var}) {{\n"
                f"  const res = await fetch(`/api/{var}?n=${{{var}.length}}&v={r.randrange(9)}`);\n"
                f"  if (res.status >= 400 && res.status < 500) return [];\n"
                f"  return (await res.json()).filter((x) => x.score > {r.random():.2f});\n"
                f"}}\n"
            )
        elif lang == "bash":
            code = (
                f"find ./{var} -name '*.md' -mtime -{r.randrange(1, 30)} | sort | head -n {r.randrange(5, 50)} \\\n"
                f"  | xargs -I{{}} sh -c 'wc -c \"{{}}\" >> /tmp/{name}.log' && echo done\n"
            )
        else:
            code = json.dumps(
                {"name": name, var: [r.randrange(100) for _ in range(4)], "note": "a < b & c"},
                indent=2,
                ensure_ascii=False,
            ) + "\n"
        return f'<pre><code class="language-{lang}">{html.escape(code, quote=False)}</code></pre>'

    def table(self) -> str:
        r = self.r
        cols = r.randrange(3, 7)
        heads = ["模型", "参数量", "得分", "延迟 (ms)", "备注", "Model", "Score"][:cols]
        rows = []
        for _ in range(r.randrange(3, 12)):
            cells = [r.choice(PRODUCTS)]
            for j in range(1, cols):
                v = r.random()
                if v < 0.1:
                    cells.append("a | b")  # a pipe inside a cell
                elif v < 0.2:
                    cells.append(f"{r.choice(OBJECTS)}<br>{r.choice(TAILS)}")
                elif v < 0.6:
                    cells.append(f"{r.uniform(0, 100):.1f}")
                else:
                    cells.append(r.choice(TAILS))
            rows.append("<tr>" + "".join(f"<td>{c}</td>" for c in cells) + "</tr>")
        head = "<tr>" + "".join(f"<th>{h}</th>" for h in heads) + "</tr>"
        return f"<table><thead>{head}</thead><tbody>{''.join(rows)}</tbody></table>"

    # -- bodies ---------------------------------------------------------------------------
    def weibo(self) -> tuple[str, str, str]:
        r = self.r
        topics = [self.topic() for _ in range(r.choices([0, 1, 2], [0.3, 0.45, 0.25])[0])]
        parts = ["".join(t[0] for t in topics)]
        paras = []
        for _ in range(r.randrange(1, 9)):
            text = self.zh_text(r.randrange(1, 4))
            if r.random() < 0.25:
                text += self.emoticon()
            if r.random() < 0.15:
                nick = r.choice(NICKS)
                text = f'<a href="https://weibo.com/n/{nick}">@{nick}</a> ' + text
            paras.append(text)
        if r.random() < 0.3:
            paras.append("<br>".join(f"- {self.zh_text(1)}" for _ in range(r.randrange(2, 6))))
        parts.append("<br><br>".join(paras) + "<br><br>")
        if r.random() < 0.5:
            parts.append(f"{r.choice(['感兴趣的可以点击：', '原文：', '传送门：'])}{self.sina_link()}")
        nimg = r.choices([0, 1, 2, 4, 9], [0.4, 0.25, 0.15, 0.12, 0.08])[0]
        parts.append("".join(self.weibo_img() + "<br><br>" for _ in range(nimg)))
        if r.random() < 0.08:
            parts.append(self.weibo_video())
        body = "".join(parts)
        plain = "".join(t[1] for t in topics) + TAG_RE.sub("", paras[0])
        title = plain[:78] + ("..." if len(plain) > 78 else "")
        uid = r.choice(self.uids)
        url = f"https://weibo.com/{uid}/{self.token(9)}"
        return title, url, body

    def wechat(self, blocks: int) -> tuple[str, str, str]:
        r = self.r
        title = f"{r.choice(PRODUCTS)}{r.choice(VERBS)}{r.choice(OBJECTS)}：{r.choice(TAILS)}"
        lines = ['<div class="rich_media_content" id="js_content">', "<section>"]
        for i in range(blocks):
            v = r.random()
            if i % 6 == 0:
                lines.append(f"<h2>{i // 6 + 1}. {r.choice(OBJECTS)}{r.choice(TOPIC_TAILS)}</h2>")
            if v < 0.45:
                lines.append(
                    f'<p><span style="font-size: 15px;">{self.zh_text(r.randrange(1, 5))}</span></p>'
                )
            elif v < 0.6:
                lines.append(f"<p>{self.zh_text(1)}<strong>{self.zh_text(1)}</strong>{self.zh_text(1)}</p>")
            elif v < 0.75:
                lines.append(self.wechat_img())
            elif v < 0.87:
                lines.append(self.html_list(r.random() < 0.4, r.randrange(2, 6), nested=r.random() < 0.2))
            elif v < 0.94:
                lines.append(f"<blockquote><p>{self.zh_text(2)}</p></blockquote>")
            else:
                lines.append('<p style="text-align: center;"><span style="color: #888;">'
                             f"图：{r.choice(PRODUCTS)} 的{r.choice(OBJECTS)}</span></p>")
        lines += ["</section>", "</div>"]
        url = f"https://mp.weixin.qq.com/s/{self.token(22, B64URL)}"
        return title, url, "\n".join(lines)

    def page(self) -> tuple[str, str, str]:
        r = self.r
        title = f"用 {r.choice(PRODUCTS)} {r.choice(VERBS)}{r.choice(OBJECTS)}的{r.randrange(3, 12)}个细节"
        lines = ["<article>", f"<h1>{html.escape(title)}</h1>"]
        for i in range(r.randrange(4, 14)):
            v = r.random()
            if i % 4 == 0:
                lines.append(f"<h2>{r.choice(OBJECTS)}</h2>")
            if v < 0.4:
                lines.append(
                    f"<p>{self.zh_text(1)}调用 <code>{r.choice(['sync()', 'load --all', 'a|b', '&lt;br&gt;'])}</code> "
                    f"之后，{self.zh_text(r.randrange(1, 3))}</p>"
                )
            elif v < 0.65:
                lines.append(self.code_block())
            elif v < 0.8:
                lines.append(self.table())
            elif v < 0.9:
                lines.append(self.html_list(True, r.randrange(2, 7), nested=r.random() < 0.3))
            else:
                lines.append(f'<p><a href="https://example.com/docs/{self.token(6).lower()}">{self.en_text(1)}</a></p>')
        lines.append("</article>")
        host = r.choice(["zhuanlan.zhihu.com/p/", "juejin.cn/post/", "www.jianshu.com/p/", "blog.example.net/"])
        url = f"https://{host}{r.randrange(10**9, 10**10)}"
        return title, url, "\n".join(lines)

    def arxiv(self) -> tuple[str, str, str]:
        r = self.r
        title = f"{r.choice(EN_OBJECTS).title()}: {r.choice(EN_SUBJECTS)} {r.choice(EN_VERBS)} {r.choice(EN_OBJECTS)}"
        text = self.en_text(r.randrange(5, 12))
        # wrap at ~78 columns like the collector's arXiv abstracts
        out, line = [], ""
        for word in text.split(" "):
            if len(line) + len(word) + 1 > 78:
                out.append(line)
                line = word
            else:
                line = f"{line} {word}" if line else word
        out.append(line)
        url = f"http://arxiv.org/abs/25{r.randrange(1, 13):02d}.{r.randrange(10000, 99999)}v{r.randrange(1, 3)}"
        return title, url, "\n".join(out) + "\n"

    def make(self, kind: str) -> tuple[str, str, str]:
        if kind == "weibo":
            return self.weibo()
        if kind == "wechat":
            return self.wechat(self.r.randrange(8, 40))
        if kind == "page":
            return self.page()
        if kind == "arxiv":
            return self.arxiv()
        return self.wechat(self.r.randrange(150, 500))  # long: roughly 25-130 KB


def note_text(title: str, url: str, body: str, summary: str, kind: str, saved: str, day: str) -> str:
    source, typ = SOURCES[kind]
    return (
        f"# {title}\n\n**URL**: {url}\n\n## 原始摘要\n\n{body}\n\n## AI 摘要\n\n{summary}\n\n"
        f"## 元数据\n\n- **来源**: {source}\n- **类型**: {typ}\n- **保存时间**: {saved}\n"
        f"- **目录日期**: {day}\n"
    )


_UNSAFE = str.maketrans({c: "_" for c in '/\\:*?"<>| \t\n'})


def file_name(title: str, taken: set[str]) -> str:
    base = title.translate(_UNSAFE).strip("._") or "untitled"
    if len(base) > 76:  # 76 CJK characters + suffix stay under 255 bytes
        base = base[:76] + "..."
    name, k = f"{base}.md", 2
    while name in taken:
        name, k = f"{base}_{k}.md", k + 1
    return name


def generate(root: Path, n: int, seed: int) -> Corpus:
    """Write n notes under root/<YYYY-MM-DD>/ and return what was written."""
    gen = NoteGenerator(seed)
    r = gen.r
    corpus = Corpus(root)
    ndates = max(30, min(60, 30 + n // 3000))
    first = date(2025, 3, 1)
    weights = [r.uniform(0.5, 1.5) for _ in range(ndates)]
    total_w = sum(weights)
    counts = [int(n * w / total_w) for w in weights]
    for i in range(n - sum(counts)):
        counts[i % ndates] += 1
    kinds, kweights = zip(*KIND_WEIGHTS)
    originals: list[Original] = []
    for di, count in enumerate(counts):
        day = (first + timedelta(days=di)).isoformat()
        folder = root / day
        folder.mkdir(parents=True, exist_ok=True)
        taken: set[str] = set()
        todays: list[Original] = []
        for _ in range(count):
            saved = f"{day}T{r.randrange(24):02d}:{r.randrange(60):02d}:{r.randrange(60):02d}Z"
            o = None
            if originals and r.random() < RESAVE_RATE:
                o = r.choice(originals)
                if o.filename in taken:
                    o = None
            if o is not None:
                summary = o.summary if r.random() < 0.5 else r.choice(gen.summaries)
                text = note_text(o.title, o.url, o.body, summary, o.kind, saved, day)
                name = o.filename
                corpus.resaves += 1
            else:
                kind = r.choices(kinds, kweights)[0]
                title, url, body = gen.make(kind)
                summary = r.choice(gen.summaries)
                name = file_name(title, taken)
                text = note_text(title, url, body, summary, kind, saved, day)
                todays.append(Original(title, url, body, summary, kind, name))
                corpus.kinds[kind] = corpus.kinds.get(kind, 0) + 1
            taken.add(name)
            data = text.encode("utf-8")
            path = folder / name
            path.write_bytes(data)
            corpus.files.append(path)
            corpus.total_bytes += len(data)
        originals.extend(todays)  # re-saves only repeat notes from earlier days
    corpus.dates = ndates
    return corpus


BODY_START = "\n## 原始摘要\n\n"
BODY_END = "\n\n## AI 摘要\n"


def extract_body(text: str) -> str:
    start = text.index(BODY_START) + len(BODY_START)
    return text[start : text.index(BODY_END, start)]


def change_inputs(corpus: Corpus, fraction: float, seed: int) -> list[Path]:
    """Change one sentence in the body of `fraction` of the inputs; return the changed files."""
    r = random.Random(seed ^ 0x5EED)
    k = max(1, round(len(corpus.files) * fraction))
    chosen = r.sample(corpus.files, k)
    for i, path in enumerate(chosen):
        text = path.read_text("utf-8")
        start = text.index(BODY_START) + len(BODY_START)
        end = text.index(BODY_END, start)
        body = text[start:end]
        mark = f"（第{i + 1}处修订：这里补了一句说明。）"
        for stop in ("。", ". "):
            j = body.find(stop)
            if j != -1:
                body = body[: j + 1] + mark + body[j + 1 :]
                break
        else:
            body = mark + body
        path.write_text(text[:start] + body + text[end:], "utf-8")
    return chosen
