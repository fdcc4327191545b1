"""What makes a break-glass reason: a kind chosen from a short list, and words that say what
happened. Only the first kind, giving clinical care now, may change the record; the others
read it. A privacy officer reviews every grant, and a reason that says nothing
("aaaaaaaaaa", "x x x x x") gives them nothing to review, so it is refused."""

import re
from collections import Counter

from django.db import models


class BreakGlassReason(models.TextChoices):
    CARE_NOW = "care_now", "I am giving this person clinical care now"
    SAFEGUARDING = "safeguarding", "A safeguarding concern about this person"
    ARRANGING_CARE = "arranging_care", "Arranging urgent care for this person with another service"
    OTHER = "other", "Another reason"


# Which kinds may change the record as well as read it.
CAN_CHANGE = frozenset({BreakGlassReason.CARE_NOW})

MIN_LENGTH, MAX_LENGTH = 10, 1000
MIN_WORDS, MIN_LETTERS = 3, 5
WORD = re.compile(r"[^\W\d_]{2,}")  # two or more letters, in any alphabet


class InvalidReason(ValueError):
    """The reason given does not say why the record is needed."""


def is_read_only(kind: str) -> bool:
    return kind not in CAN_CHANGE


def check_reason(kind: str, text: str) -> str:
    """The reason's text, stripped, or InvalidReason with what to do about it."""
    if kind not in BreakGlassReason.values:
        raise InvalidReason("Choose why you need to see this record")
    text = (text or "").strip()
    if not text:
        raise InvalidReason("Enter why you need to see this record")
    if len(text) < MIN_LENGTH:
        raise InvalidReason(f"Reason must be {MIN_LENGTH} characters or more")
    if len(text) > MAX_LENGTH:
        raise InvalidReason(f"Reason must be {MAX_LENGTH} characters or fewer")
    words = [word.casefold() for word in WORD.findall(text)]
    letters = {char for word in words for char in word}
    characters = Counter(char for char in text.casefold() if not char.isspace())
    mostly_one = characters.most_common(1)[0][1] > 0.4 * sum(characters.values())
    if len(set(words)) < MIN_WORDS or len(letters) < MIN_LETTERS or mostly_one:
        raise InvalidReason(
            "Describe the reason in words: what has happened, and why the person's team cannot help"
        )
    return text
