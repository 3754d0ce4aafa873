"""What the index stores for English texts (measures.indexing.tokens)."""

from measures.indexing import tokens


def test_a_sentence_run_into_the_next_is_read_as_two_words():
    # "floods.The" was one host-name token to PostgreSQL's parser: neither word was found.
    _, _, body = tokens("en", "", "", "the epidemic and floods.The provincial department")
    assert "floods. The" in body


def test_domain_names_and_abbreviations_stay_as_written():
    _, _, body = tokens("en", "", "", "see www.qingdao.gov.cn, e.g. the U.S. rules")
    assert "www.qingdao.gov.cn" in body and "U.S." in body
