import sys

from hypothesis import assume, given
from hypothesis import strategies as st

from claimgraph.schema.text import OTHER_SPACES, QuoteLocator, alias_key, fold, nfc

words = st.text(alphabet=st.characters(blacklist_categories=("Cs", "Zs", "Cc")), min_size=1, max_size=8)


@given(st.lists(words, min_size=3, max_size=30), st.data())
def test_a_quote_with_other_whitespace_is_found_at_its_span(tokens, data):
    text = nfc(" ".join(tokens))
    i = data.draw(st.integers(0, len(tokens) - 1))
    j = data.draw(st.integers(i, len(tokens) - 1))
    quote = "\n  ".join(tokens[i:j + 1])  # same words, other whitespace
    assume(fold(nfc(quote)).strip())
    span = QuoteLocator(text).locate(quote)
    assert span is not None
    start, end = span
    assert fold(text[start:end]) == fold(nfc(quote).strip())


spaced = st.lists(st.sampled_from(["a", "b", "ab", " ", "  ", "\n\t ", "„", "“", "x"]), max_size=40).map("".join)


@given(spaced, st.lists(spaced, min_size=1, max_size=12))
def test_many_quotes_at_once_are_found_where_one_at_a_time_finds_them(text, quotes):
    locator = QuoteLocator(text)
    together = locator.locate_all(quotes)
    for quote in quotes:
        alone = locator.locate(quote)
        assert together[quote] == alone
        folded = fold(nfc(quote).strip())
        naive = fold(text).find(folded) if folded else -1
        assert (alone is None) == (naive < 0)
        if alone is not None:
            assert fold(text[alone[0]:alone[1]]) == folded


def test_frequent_short_quotes_do_not_stop_the_search_for_rare_ones():
    text = "a " * 200_000 + "the rare end"
    quotes = ["a", "a a", "a a a", "a a a a", "the rare end", "missing"]
    found = QuoteLocator(text).locate_all(quotes)
    assert found["a"] == (0, 1) and found["the rare end"] == (400_000, 400_012) and found["missing"] is None


def test_typographic_quotes_fold_to_plain_ones():
    text = "Er sagte, es werde ein „großer Sprung“ sein."
    start, end = QuoteLocator(text).locate('ein "großer Sprung" sein')
    assert text[start:end] == "ein „großer Sprung“ sein"


def test_a_missing_quote_is_not_found():
    assert QuoteLocator("Grok 3 ships in December.").locate("Grok 4") is None


def test_alias_keys_ignore_case_space_and_hyphens():
    assert alias_key("Grok 3") == alias_key("Grok-3") == alias_key("grok3")
    assert alias_key("Grok 3") != alias_key("Grok 2")


def test_the_whitespace_list_is_every_character_python_calls_whitespace():
    assert set(OTHER_SPACES) | {" "} == {chr(c) for c in range(sys.maxunicode + 1) if chr(c).isspace()}
