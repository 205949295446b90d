"""File names: safe on every system, unique in the vault, stable."""
import pytest
from hypothesis import given, settings, strategies as st

from vault_export.vault.paths import MAX_NAME_BYTES, NameRegistry, name_from_title, note_filename, safe_filename

FORBIDDEN = set('*"\\/<>:|?#^[]`')
RESERVED = {"CON", "PRN", "AUX", "NUL", *(f"COM{i}" for i in range(10)), *(f"LPT{i}" for i in range(10))}


def test_topics_and_trailing_ellipsis_are_removed():
    assert note_filename("#OpenAI首次回应##人类与AI#ChatGPT不只是个工具了...") == "ChatGPT不只是个工具了"


def test_title_made_only_of_topics_keeps_their_words():
    assert note_filename("#小米史上最强年报#") == "小米史上最强年报"


def test_forbidden_characters_become_spaces():
    assert safe_filename('a: b/c "d" <e>|f?*#^[g]\\h') == "a b c d e f g h"


def test_leading_dots_and_trailing_dots_and_spaces_go():
    assert safe_filename("...hidden. . ") == "hidden"


def test_windows_reserved_names_are_changed():
    assert safe_filename("con") == "con_"
    assert safe_filename("LPT1.txt") == "LPT1_.txt"


NAMES = [
    # Windows refuses 'NUL.txt_.md' as it refuses 'NUL.md': the part before the first dot counts.
    ("nul.txt", "nul_.txt"), ("nul.txt_", "nul_.txt_"), ("Nul, the void", "Nul, the void"), ("aux,", "aux_"),
    # TeX reads as text.
    ("A Smooth Sea Never Made a Skilled $\\texttt{SAILOR}$: Robust Imitation via Learning to Search",
     "A Smooth Sea Never Made a Skilled SAILOR Robust Imitation via Learning to Search"),
    ("Accelerated Decentralized Constraint-Coupled Optimization: A Dual$^2$ Approach",
     "Accelerated Decentralized Constraint-Coupled Optimization A Dual² Approach"),
    ("Bounds of $\\Theta(n^{2})$ for $x_1$", "Bounds of Θ(n²) for x₁"), ("Deals: $5 and $10 off", "Deals $5 and $10 off"),
    # '_ftn _ftnref' in a daily page's link reads to markdownlint as emphasis with a space inside (MD037).
    ("Word HTML footnotes: _ftn/_ftnref pattern", "Word HTML footnotes ftn ftnref pattern"),
    ("snake_case and __init__.py", "snake_case and __init__.py"),
    # No comma, colon or opening mark at the end.
    ("他甩出一篇ICML 2025论文，...", "他甩出一篇ICML 2025论文"), ("Results: (", "Results"), ("，、", "Untitled"),
]


@pytest.mark.parametrize("title, name", NAMES)
def test_names_read_as_the_title_reads_and_every_system_takes_them(title, name):
    assert note_filename(title) == name


def test_nothing_left_is_untitled():
    assert note_filename("???") == "Untitled"
    assert note_filename("...") == "Untitled"


def test_long_cjk_title_is_cut_at_punctuation_within_the_byte_limit():
    title = "这是一个很长的标题，" * 30
    name = note_filename(title)
    assert len(name.encode()) <= MAX_NAME_BYTES
    assert name.endswith("标题")


def test_collisions_get_a_deterministic_suffix_case_insensitively():
    registry = NameRegistry({"Notes"})
    assert [registry.claim(n) for n in ["notes", "NOTES", "Other", "other"]] == \
        ["notes 2", "NOTES 3", "Other", "other 2"]


@given(st.text())
def test_safe_filename_properties(text):
    name = safe_filename(text)
    assert name
    assert not FORBIDDEN & set(name)
    assert all(ord(char) >= 32 and char != "\x7f" for char in name)
    assert len(name.encode()) <= MAX_NAME_BYTES
    assert not name.startswith(".") and not name.endswith((".", " "))
    assert name.split(".")[0].upper() not in RESERVED
    assert safe_filename(name) == name


@given(st.text())
def test_name_from_title_never_raises_and_files_are_safe(title):
    assert safe_filename(name_from_title(title))


TEX_LIKE = st.lists(st.sampled_from(["$", "$$", "\\", "texttt", "{", "}", "^", "_", "2", "x", " ", ",", ".",
                                     "nul", "Con", "#", "，", "…", "%", "&"]), max_size=30).map("".join)


@settings(max_examples=300)
@given(st.one_of(TEX_LIKE, st.text()))
def test_names_of_tex_titles_are_safe_and_stable(title):
    name = note_filename(title)
    assert name and not FORBIDDEN & set(name)
    assert name.split(".")[0].upper() not in RESERVED
    assert not name.endswith(tuple(".,，:;"))
    assert not any(word[:1] == "_" and word.lstrip("_")[:1].isalnum() and "_" not in word.lstrip("_")
                   for word in name.split())
    assert safe_filename(name) == name


@settings(max_examples=200)
@given(st.lists(st.text(max_size=300), max_size=30))
def test_claimed_names_are_unique_and_safe(titles):
    registry = NameRegistry()
    names = [registry.claim(note_filename(title)) for title in titles]
    assert len({name.casefold() for name in names}) == len(names)
    assert all(len(name.encode()) <= MAX_NAME_BYTES and safe_filename(name) == name for name in names)
