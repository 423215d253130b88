"""Strict profile documents (README, Profiles): JSON or YAML 1.2 core, no surprises, only DocumentError on bad input."""

from __future__ import annotations

import contextlib
import json
import math

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from autoscaler.documents import MAX_DEPTH, MAX_DOCUMENT_BYTES, DocumentError, parse_document

# ------------------------------------------------------------------ JSON


def test_json_object_parses_into_plain_values() -> None:
    assert parse_document('{"version": 1, "min": 2, "name": "x", "on": true, "list": [1.5, null]}') == {
        "version": 1,
        "min": 2,
        "name": "x",
        "on": True,
        "list": [1.5, None],
    }


def test_json_rejects_a_duplicate_key() -> None:
    with pytest.raises(DocumentError, match=r"^duplicate key 'min'$"):
        parse_document('{"min": 1, "max": 3, "min": 2}')


def test_json_rejects_a_duplicate_key_in_a_nested_object() -> None:
    with pytest.raises(DocumentError, match=r"^duplicate key 'a'$"):
        parse_document('{"limits": {"a": 1, "a": 1}}')


@pytest.mark.parametrize("constant", ["NaN", "Infinity", "-Infinity"])
def test_json_rejects_non_finite_constants(constant: str) -> None:
    with pytest.raises(DocumentError) as caught:
        parse_document(f'{{"target": {constant}}}')
    assert str(caught.value) == f"{constant} is not a number a profile accepts"


def test_json_syntax_error_names_line_and_column() -> None:
    with pytest.raises(DocumentError) as caught:
        parse_document('{"version": 1\n "min": 1}')
    assert str(caught.value) == "invalid JSON at line 2 column 2: Expecting ',' delimiter"


def test_a_yaml_flow_mapping_is_read_as_yaml_not_refused_as_json() -> None:
    assert parse_document("{version: 1, min: 2}") == {"version": 1, "min": 2}


def test_json_unterminated_list_names_line_and_column() -> None:
    with pytest.raises(DocumentError, match=r"^invalid JSON at line 1 column 5: Expecting ',' delimiter$"):
        parse_document("[1,2")


def test_json_with_trailing_data_is_rejected_with_its_position() -> None:
    with pytest.raises(DocumentError, match=r"^invalid JSON at line 2 column 1: Extra data$"):
        parse_document('{"a": 1}\n{"b": 2}')


def test_json_raw_control_character_in_a_string_is_rejected_with_its_position() -> None:
    with pytest.raises(DocumentError, match=r"^invalid JSON at line 1 column 8: Invalid control character"):
        parse_document('{"a": "\x07"}')


def test_json_escaped_control_character_stays_in_the_string() -> None:
    assert parse_document('{"a": "x\\u0000y"}') == {"a": "x\x00y"}


def test_json_unicode_keys_and_values_survive() -> None:
    assert parse_document('{"\u00e9t\u00e9": "\u2603 \U0001f600"}') == {"\u00e9t\u00e9": "\u2603 \U0001f600"}


def test_json_after_leading_whitespace_is_still_json() -> None:
    with pytest.raises(DocumentError, match=r"^duplicate key 'a'$"):
        parse_document('  \n\t{"a": 1, "a": 2}')


# ------------------------------------------------------------------ YAML 1.2 core schema

YAML_SCALARS = """\
off_: off
yes_: yes
on_: on
no_: no
y_: y
n_: n
Yes_: Yes
OFF_: OFF
sexagesimal: 1:30
octal_looking: 010
hex: 0x10
octal: 0o10
underscored: 1_000
date: 2026-01-01
timestamp: 2026-01-01T00:00:00Z
lower_true: true
title_true: True
upper_true: TRUE
title_false: False
mixed_true: tRUE
tilde: ~
null_: null
Null_: Null
empty:
plus: +5
minus_zero: -0
decimal: 1.5
exponent: 1e3
"""


def test_yaml_reads_scalars_with_the_1_2_core_schema() -> None:
    assert parse_document(YAML_SCALARS) == {
        "off_": "off",
        "yes_": "yes",
        "on_": "on",
        "no_": "no",
        "y_": "y",
        "n_": "n",
        "Yes_": "Yes",
        "OFF_": "OFF",
        "sexagesimal": "1:30",
        "octal_looking": 10,
        "hex": "0x10",
        "octal": "0o10",
        "underscored": "1_000",
        "date": "2026-01-01",
        "timestamp": "2026-01-01T00:00:00Z",
        "lower_true": True,
        "title_true": True,
        "upper_true": True,
        "title_false": False,
        "mixed_true": "tRUE",
        "tilde": None,
        "null_": None,
        "Null_": None,
        "empty": None,
        "plus": 5,
        "minus_zero": 0,
        "decimal": 1.5,
        "exponent": 1000.0,
    }


def test_yaml_integer_010_is_ten_not_eight() -> None:
    value = parse_document("min: 010")["min"]
    assert value == 10
    assert type(value) is int


def test_yaml_infinities_and_nan_are_floats_for_the_schema_to_reject() -> None:
    data = parse_document("a: .inf\nb: -.inf\nc: +.INF\nd: .nan\ne: .NaN\n")
    assert data["a"] == math.inf
    assert data["b"] == -math.inf
    assert data["c"] == math.inf
    assert math.isnan(data["d"])
    assert math.isnan(data["e"])


def test_yaml_quoted_scalars_stay_strings() -> None:
    assert parse_document("a: '1'\nb: \"true\"\nc: 'null'\n") == {"a": "1", "b": "true", "c": "null"}


def test_yaml_rejects_a_duplicate_key_with_its_line() -> None:
    with pytest.raises(DocumentError, match=r"^duplicate key 'min' \(line 3\)$"):
        parse_document("min: 1\nmax: 2\nmin: 3\n")


def test_yaml_anchor_is_rejected() -> None:
    with pytest.raises(DocumentError, match=r"^anchors are not allowed \(line 1\)$"):
        parse_document("a: &x 1\n")


def test_yaml_alias_to_an_undefined_anchor_is_rejected_as_an_alias() -> None:
    with pytest.raises(DocumentError, match=r"^aliases are not allowed \(line 2\)$"):
        parse_document("a: 1\nb: *x\n")


BILLION_LAUGHS = """\
a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]
b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]
c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]
d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]
e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]
f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]
g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]
h: &h [*g,*g,*g,*g,*g,*g,*g,*g,*g]
i: &i [*h,*h,*h,*h,*h,*h,*h,*h,*h]
"""


def test_yaml_billion_laughs_fails_on_its_first_anchor() -> None:
    with pytest.raises(DocumentError) as caught:
        parse_document(BILLION_LAUGHS)
    assert str(caught.value) == "anchors are not allowed (line 1)"


def test_yaml_merge_key_is_only_a_plain_string_key() -> None:
    assert parse_document("<<: {a: 1}\n") == {"<<": {"a": 1}}


@pytest.mark.parametrize(
    ("text", "tag"),
    [
        ("a: !!python/object:os.system x\n", "tag:yaml.org,2002:python/object:os.system"),
        ("a: !!python/object/apply:os.system ['true']\n", "tag:yaml.org,2002:python/object/apply:os.system"),
        ("a: !!binary aGVsbG8=\n", "tag:yaml.org,2002:binary"),
        ("a: !custom x\n", "!custom"),
        ("a: !!str 1\n", "tag:yaml.org,2002:str"),
        ("a: !!int 1\n", "tag:yaml.org,2002:int"),
    ],
)
def test_yaml_explicit_tags_are_rejected(text: str, tag: str) -> None:
    with pytest.raises(DocumentError) as caught:
        parse_document(text)
    assert str(caught.value) == f"explicit tag {tag} is not allowed (line 1)"


def test_yaml_tag_directive_cannot_smuggle_a_custom_tag() -> None:
    with pytest.raises(DocumentError, match=r"^explicit tag tag:example.com,2000:foo is not allowed \(line 3\)$"):
        parse_document("%TAG ! tag:example.com,2000:\n---\na: !foo 1\n")


@pytest.mark.parametrize("text", ["a: 1\n---\nb: 2\n", "--- a\n--- b\n"])
def test_yaml_multiple_documents_are_rejected(text: str) -> None:
    with pytest.raises(DocumentError, match=r"^invalid YAML at line 2 column 1: but found another document$"):
        parse_document(text)


def test_yaml_single_document_with_markers_is_accepted() -> None:
    assert parse_document("---\na: 1\n...\n") == {"a": 1}


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("1: a\n", "key 1 is not a string (line 1)"),
        ("null: a\n", "key None is not a string (line 1)"),
        ("true: a\n", "key True is not a string (line 1)"),
        ("a: 1\n1.5: b\n", "key 1.5 is not a string (line 2)"),
    ],
)
def test_yaml_non_string_keys_are_rejected(text: str, message: str) -> None:
    with pytest.raises(DocumentError) as caught:
        parse_document(text)
    assert str(caught.value) == message


def test_yaml_complex_key_is_rejected() -> None:
    with pytest.raises(DocumentError, match=r"is not a string \(line 1\)$"):
        parse_document("? [a]\n: b\n")


def test_yaml_syntax_error_names_line_and_column() -> None:
    with pytest.raises(DocumentError) as caught:
        parse_document("version: 1\nmin: b: c\n")
    assert str(caught.value) == "invalid YAML at line 2 column 7: mapping values are not allowed here"


def test_yaml_unclosed_flow_list_names_line_and_column() -> None:
    with pytest.raises(DocumentError) as caught:
        parse_document("a: [1\n")
    assert str(caught.value) == "invalid YAML at line 2 column 1: expected ',' or ']', but got '<stream end>'"


def test_yaml_tab_indentation_is_rejected_with_its_position() -> None:
    with pytest.raises(DocumentError) as caught:
        parse_document("a:\n\t- b\n")
    assert str(caught.value) == "invalid YAML at line 2 column 1: found character '\\t' that cannot start any token"


@pytest.mark.parametrize("character", ["\x00", "\x07", "\x1b", "\ufffe"])
def test_yaml_control_character_is_a_document_error(character: str) -> None:
    with pytest.raises(DocumentError, match=r"^invalid YAML"):
        parse_document(f"a: b{character}c\n")


def test_yaml_control_character_error_names_line_and_column() -> None:
    with pytest.raises(DocumentError) as caught:
        parse_document("version: 1\nname: b\x07c\n")
    assert "line 2 column 8" in str(caught.value)


def test_yaml_unicode_text_survives() -> None:
    assert parse_document("name: caf\u00e9 \u2603\n\u00e9: \U0001f600\n") == {
        "name": "caf\u00e9 \u2603",
        "\u00e9": "\U0001f600",
    }


def test_yaml_crlf_line_endings_are_accepted() -> None:
    assert parse_document("a: 1\r\nb: 2\r\n") == {"a": 1, "b": 2}


@pytest.mark.parametrize("text", ["", "   \n", "---\n", "# only a comment\n"])
def test_empty_document_is_none(text: str) -> None:
    assert parse_document(text) is None


# ------------------------------------------------------------------ size and depth


def test_document_of_exactly_the_limit_is_parsed() -> None:
    text = "a: " + "x" * (MAX_DOCUMENT_BYTES - 3)
    assert len(text.encode()) == 8192
    assert parse_document(text) == {"a": "x" * 8189}


def test_document_one_byte_over_the_limit_is_refused_before_parsing() -> None:
    text = "{" * 8193  # would be a syntax error if it were parsed
    with pytest.raises(DocumentError) as caught:
        parse_document(text)
    assert str(caught.value) == "8193 bytes: larger than an SSM parameter can hold (8192)"


def test_document_size_counts_utf8_bytes_not_characters() -> None:
    text = "\u00fc" * 4097  # 4097 characters, 8194 bytes
    with pytest.raises(DocumentError, match=r"^8194 bytes: larger than an SSM parameter can hold \(8192\)$"):
        parse_document(text)


def test_deep_json_nesting_over_the_size_limit_is_refused_by_size() -> None:
    with pytest.raises(DocumentError, match=r"^10000 bytes: larger than"):
        parse_document("[" * 5000 + "]" * 5000)


def test_deep_json_nesting_within_the_size_limit_is_refused() -> None:
    with pytest.raises(DocumentError, match=r"^nested too deeply$"):
        parse_document("[" * 4000 + "]" * 4000)


def test_deep_yaml_flow_nesting_is_refused() -> None:
    with pytest.raises(DocumentError, match=r"^nested too deeply$"):
        parse_document("a: " + "[" * 4000 + "]" * 4000)


def test_json_nested_to_the_maximum_depth_is_accepted() -> None:
    text = "[" * MAX_DEPTH + "1" + "]" * MAX_DEPTH
    assert parse_document(text) == json.loads(text)


def test_json_one_level_deeper_than_the_maximum_is_refused() -> None:
    with pytest.raises(DocumentError, match=r"^nested deeper than 12 levels$"):
        parse_document("[" * 13 + "1" + "]" * 13)


def _yaml_mappings(levels: int) -> str:
    return "".join("  " * i + f"k{i}:\n" for i in range(levels)) + "  " * levels + "leaf\n"


def test_yaml_mappings_nested_twelve_levels_are_accepted() -> None:
    data = parse_document(_yaml_mappings(12))
    for i in range(11):
        data = data[f"k{i}"]
    assert data == {"k11": "leaf"}


def test_yaml_mappings_nested_thirteen_levels_are_refused() -> None:
    with pytest.raises(DocumentError, match=r"^nested deeper than 12 levels$"):
        parse_document(_yaml_mappings(13))


# ------------------------------------------------------------------ no other exception escapes


def test_json_integer_too_long_to_convert_is_a_document_error() -> None:
    # 5000 digits fit in 8 KB; int() refuses more than 4300 digits with a plain ValueError.
    with pytest.raises(DocumentError):
        parse_document('{"max": ' + "1" * 5000 + "}")


def test_yaml_integer_too_long_to_convert_is_a_document_error() -> None:
    with pytest.raises(DocumentError):
        parse_document("max: " + "1" * 5000 + "\n")


def test_lone_surrogate_in_the_text_is_a_document_error() -> None:
    # A Python str can hold one (e.g. from a JSON "\ud800" escape); it has no UTF-8 encoding.
    with pytest.raises(DocumentError):
        parse_document('{"a": "\ud800"}')


# ------------------------------------------------------------------ properties

_KEYS = st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=8)
_SCALARS = st.integers(min_value=-(10**12), max_value=10**12) | st.text(max_size=12) | st.booleans()
_VALUES = _SCALARS | st.lists(_SCALARS, max_size=5)


@given(st.dictionaries(_KEYS, _VALUES, max_size=12))
@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow])
def test_any_json_dict_of_simple_values_round_trips_unchanged(data: dict[str, object]) -> None:
    assert parse_document(json.dumps(data)) == data
    assert parse_document(json.dumps(data, ensure_ascii=False, indent=2)) == data


@given(st.text(max_size=300))
@settings(max_examples=500)
def test_random_text_raises_nothing_but_document_error(text: str) -> None:
    with contextlib.suppress(DocumentError):
        parse_document(text)


@given(st.text(alphabet=st.sampled_from("{}[]:,-?&*!|>\"'#%@` \n\t\\0123456789abcnulltrue.~"), max_size=200))
@settings(max_examples=500)
def test_random_yaml_and_json_punctuation_raises_nothing_but_document_error(text: str) -> None:
    with contextlib.suppress(DocumentError):
        parse_document(text)
