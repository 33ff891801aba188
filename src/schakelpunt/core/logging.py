"""Keep citizen service numbers (BSN) out of every log line."""

import logging
import re

from stdnum.nl import bsn

NINE_DIGITS = re.compile(r"(?<!\d)\d{9}(?!\d)")
MASK = "*********"


def redact_bsn(text: str) -> str:
    """Replace every nine-digit number that passes the BSN eleven-test."""
    return NINE_DIGITS.sub(lambda m: MASK if bsn.is_valid(m.group()) else m.group(), text)


def mask_bsn(value: str) -> str:
    """Show only the last three digits, for messages that must point at one person."""
    return f"******{value[-3:]}" if value else ""


class RedactBSNFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        redacted = redact_bsn(message)
        if redacted != message:
            record.msg, record.args = redacted, None
        if record.exc_info and not record.exc_text:
            # Formatters reuse exc_text when it is set: redact the traceback once, here.
            record.exc_text = redact_bsn(logging.Formatter().formatException(record.exc_info))
        if record.stack_info:
            record.stack_info = redact_bsn(record.stack_info)
        return True
