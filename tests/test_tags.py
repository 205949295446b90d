"""normalize_tag: topic and category texts to valid Obsidian tags."""

from vault_export.render.tags import normalize_tag


def test_surrounding_hashes_are_stripped():
    assert normalize_tag('#人工智能#') == '人工智能'


def test_plain_word():
    assert normalize_tag('python') == 'python'


def test_case_is_kept():
    assert normalize_tag('OpenAI') == 'OpenAI'


def test_inner_whitespace_becomes_underscore():
    assert normalize_tag('machine learning') == 'machine_learning'


def test_whitespace_run_becomes_one_underscore():
    assert normalize_tag('a \t b') == 'a_b'


def test_outer_whitespace_is_stripped():
    assert normalize_tag('  a  ') == 'a'


def test_ideographic_space_becomes_underscore():
    assert normalize_tag('全角\u3000空格') == '全角_空格'


def test_ascii_punctuation_is_removed():
    assert normalize_tag('C++') == 'C'


def test_punctuation_between_digits_keeps_numbers_apart():
    assert normalize_tag('v1.5') == 'v1_5'


def test_punctuation_before_letters_is_removed():
    assert normalize_tag('Node.js') == 'Nodejs'


def test_allowed_punctuation_is_kept():
    assert normalize_tag('my-tag_2023') == 'my-tag_2023'


def test_cjk_punctuation_is_removed():
    assert normalize_tag('《三体》：第二部，黑暗森林！') == '三体第二部黑暗森林'


def test_cjk_quotes_and_brackets_are_removed():
    assert normalize_tag('“AI”（人工）【智能】「未来」') == 'AI人工智能未来'


def test_punctuation_next_to_space_leaves_one_underscore():
    assert normalize_tag('AI， 未来') == 'AI_未来'


def test_underscores_at_edges_are_removed():
    assert normalize_tag('_a_/__b') == 'a/b'


def test_nested_tag_is_kept():
    assert normalize_tag('ai/llm') == 'ai/llm'


def test_empty_nesting_segments_are_removed():
    assert normalize_tag('a//b') == 'a/b'


def test_outer_slashes_are_removed():
    assert normalize_tag('/a/b/') == 'a/b'


def test_all_digits_is_not_a_tag():
    assert normalize_tag('2025') is None


def test_hashed_digits_is_not_a_tag():
    assert normalize_tag('#2025#') is None


def test_nested_digits_is_not_a_tag():
    assert normalize_tag('2025/06') is None


def test_digits_with_letters_is_a_tag():
    assert normalize_tag('2025年') == '2025年'


def test_empty_is_not_a_tag():
    assert normalize_tag('') is None


def test_punctuation_only_is_not_a_tag():
    assert normalize_tag('#？！') is None


def test_emoji_is_kept():
    assert normalize_tag('🤖 robots') == '🤖_robots'


def test_emoji_with_variation_selector_is_kept():
    assert normalize_tag('❤️') == '❤️'


def test_emoji_skin_tone_is_kept():
    assert normalize_tag('👍🏽') == '👍🏽'


def test_zero_width_joiner_is_removed():
    assert normalize_tag('👨\u200d💻') == '👨💻'


def test_combining_marks_are_kept():
    assert normalize_tag('हिन्दी') == 'हिन्दी'


def test_other_scripts_are_kept():
    assert normalize_tag('Ελληνικά русский') == 'Ελληνικά_русский'


def test_general_punctuation_block_is_removed():
    assert normalize_tag('a—b…c') == 'abc'


def test_idempotent():
    tag = normalize_tag('《AI， 未来》/ v1.5 //x')
    assert normalize_tag(tag) == tag == 'AI_未来/v1_5/x'
