import logging

from hypothesis import given
from hypothesis import strategies as st
from stdnum.nl import bsn

from schakelpunt.core.logging import MASK, RedactBSNFilter, mask_bsn, redact_bsn

VALID_BSN = "111222333"  # passes the eleven-test, as the test persons of the BRP do


def test_a_valid_bsn_is_masked_and_other_numbers_are_kept():
    assert bsn.is_valid(VALID_BSN)
    assert redact_bsn(f"lookup {VALID_BSN} failed") == f"lookup {MASK} failed"
    assert redact_bsn("order 123456789 and phone 0612345678") == "order 123456789 and phone 0612345678"


def test_mask_shows_only_the_last_three_digits():
    assert mask_bsn(VALID_BSN) == "******333"


def test_filter_redacts_formatted_log_records(caplog):
    logger = logging.getLogger("schakelpunt.test")
    logger.addFilter(RedactBSNFilter())
    with caplog.at_level(logging.INFO, logger="schakelpunt.test"):
        logger.info("resident %s not found", VALID_BSN)
    logger.filters.clear()
    assert VALID_BSN not in caplog.text
    assert MASK in caplog.text


@given(st.text(alphabet="0123456789 ,-abc", max_size=60))
def test_no_valid_bsn_survives_redaction(text):
    redacted = redact_bsn(text)
    for token in redacted.replace(",", " ").replace("-", " ").split():
        for start in range(len(token) - 8):
            window = token[start : start + 9]
            digits_around = (start > 0 and token[start - 1].isdigit()) or (
                start + 9 < len(token) and token[start + 9].isdigit()
            )
            if window.isdigit() and not digits_around:
                assert not bsn.is_valid(window)


def test_filter_redacts_tracebacks(caplog):
    logger = logging.getLogger("schakelpunt.test")
    logger.addFilter(RedactBSNFilter())
    with caplog.at_level(logging.ERROR, logger="schakelpunt.test"):
        try:
            raise ValueError(f"no resident with {VALID_BSN}")
        except ValueError:
            logger.exception("lookup failed")
    logger.filters.clear()
    assert VALID_BSN not in caplog.text
    assert "no resident with *********" in caplog.text
