from hypothesis import assume, given
from hypothesis import strategies as st

from claimgraph.schema.text import QuoteLocator, alias_key, fold, nfc

words = st.text(alphabet=st.characters(blacklist_categories=("Cs", "Zs", "Cc")), min_size=1, max_size=8)


@given(st.lists(words, min_size=3, max_size=30), st.data())
def test_a_quote_with_other_whitespace_is_found_at_its_span(tokens, data):
    text = nfc(" ".join(tokens))
    i = data.draw(st.integers(0, len(tokens) - 1))
    j = data.draw(st.integers(i, len(tokens) - 1))
    quote = "\n  ".join(tokens[i:j + 1])  # same words, other whitespace
    assume(fold(nfc(quote))[0].strip())
    span = QuoteLocator(text).locate(quote)
    assert span is not None
    start, end = span
    assert fold(text[start:end])[0] == fold(nfc(quote).strip())[0]


def test_typographic_quotes_fold_to_plain_ones():
    text = "Er sagte, es werde ein „großer Sprung“ sein."
    start, end = QuoteLocator(text).locate('ein "großer Sprung" sein')
    assert text[start:end] == "ein „großer Sprung“ sein"


def test_a_missing_quote_is_not_found():
    assert QuoteLocator("Grok 3 ships in December.").locate("Grok 4") is None


def test_alias_keys_ignore_case_space_and_hyphens():
    assert alias_key("Grok 3") == alias_key("Grok-3") == alias_key("grok3")
    assert alias_key("Grok 3") != alias_key("Grok 2")
