"""The one rule for which lines are fenced code, and the places that must leave code alone."""
from conftest import write
from vault_export.convert.fences import fenced_code_lines, fenced_pieces
from vault_export.convert.tidy import tidy


def code(text: str) -> str:
    """The text with each line marked C (fenced code) or . (not)."""
    return "".join("C" if flag else "." for flag in fenced_code_lines(text))


# -- the rule
def test_backtick_and_tilde_fences():
    assert code("a\n```\nx\n```\nb\n~~~\ny\n~~~\nc") == ".CCC.CCC."


def test_a_closing_fence_may_be_longer_but_not_shorter():
    assert code("````\n```\nx\n`````\nb") == "CCCC."


def test_the_other_fence_character_does_not_close():
    assert code("~~~\n```\n~~~\nb") == "CCC."


def test_text_after_a_closing_fence_makes_it_content():
    assert code("```\n``` x\n```\nb") == "CCC."


def test_a_backtick_fence_info_string_has_no_backtick():
    assert code("``` a`b\nx") == ".." and code("~~~ a`b\nx") == "CC"


def test_up_to_three_spaces_of_indent():
    assert code("   ```\nx\n   ```\nb") == "CCC." and code("    ```\nx") == ".."


def test_an_unclosed_fence_runs_to_the_end():
    assert code("```\nx\n\ny") == "CCCC"


def test_fences_in_quotes_end_with_the_quote():
    assert code("> ```\n> x\n>\n> ```\nb") == "CCCC." and code("> ```\n> x\n\n```") == "CC.C"


def test_fences_in_nested_list_items():
    assert code("- a\n\n  1. ```\n     x    y\n     ```\n\n     t") == "..CCC.."
    assert code("- ```\n  x\nb") == "CC."  # the item ends, and its code with it


def test_pieces_join_back_into_the_text():
    text = "a\n~~~\nx\n~~~\nb\n"
    assert list(fenced_pieces(text)) == [(False, "a\n"), (True, "~~~\nx\n~~~\n"), (False, "b\n")]


# -- tidy (Markdown the converter wrote) leaves code alone, tilde fences too
def test_tidy_leaves_tilde_fenced_code_alone():
    assert tidy("a    b\n\n~~~\nc    d\n~~~") == "a b\n\n~~~\nc    d\n~~~"
    assert tidy("~~~\n> a\n\n> b\n~~~") == "~~~\n> a\n\n> b\n~~~"  # quotes inside are not joined


# -- a note's body, from a Markdown input, through the command line
def test_quotes_in_tilde_fenced_code_around_backticks_are_left_alone(run_cli, inbox, vault):
    body = "~~~md\n```\n> a\n\n> b\n```\n~~~"
    write(inbox / "n.md", f"---\ntitle: Fenced\n---\n{body}\n")
    assert run_cli("export", inbox, "--vault", vault).exit_code == 0
    assert (vault / "Clippings" / "Fenced.md").read_text("utf-8").endswith(f"\n{body}\n")
