"""Shaping appointments, offers and continuity for pages and messages. Plain classes and
functions: no queries here."""

from dataclasses import dataclass
from datetime import datetime

from django.utils import timezone

from oneroof.core.formats import format_time

from .continuity import Continuity
from .models import Mode, Slot
from .rights import NO_CENTRE, NeighbourhoodTerms, Right, UnmetReason


def when(moment: datetime) -> str:
    """'Tuesday 1 December 2026 at 2:30pm'."""
    local = timezone.localtime(moment)
    return f"{local:%A} {local.day} {local:%B %Y} at {format_time(local)}"


def where(slot: Slot) -> str:
    """How and where: 'Face to face at Riverside Medical Practice', 'By telephone from Riverside
    Neighbourhood Health Centre' (where the clinician calls from), 'Home visit'."""
    if slot.mode == Mode.HOME_VISIT:
        return "Home visit"
    how = {Mode.FACE_TO_FACE: "Face to face at", Mode.PHONE: "By telephone from"}
    return f"{how.get(slot.mode, 'By video from')} {slot.site.name}"


@dataclass(frozen=True)
class Option:
    slot: Slot
    when: str
    where: str
    who: str

    @classmethod
    def of(cls, slot: Slot) -> "Option":
        return cls(slot, when(slot.start), where(slot), slot.professional.name_and_role)


UNMET_MESSAGES = {
    (Right.SAME_DAY, UnmetReason.CLOSED): (
        "The surgery and the neighbourhood centre have closed for today, so there is no "
        "appointment left today."
    ),
    (Right.SAME_DAY, UnmetReason.NO_CAPACITY): (
        "There are no appointments left today with anyone in the practice team, or with a GP "
        "at the neighbourhood centre."
    ),
    (Right.WITHIN_48H, UnmetReason.NO_CAPACITY): (
        "There are no GP appointments free in the next 48 hours, at the surgery or at the "
        "neighbourhood centre."
    ),
    (Right.BOOK_AHEAD, UnmetReason.NO_CAPACITY): (
        "The GP you chose has no appointments free more than 48 hours ahead."
    ),
}


def unmet_message(right: str, reason: str) -> str:
    if reason == UnmetReason.NOT_REGISTERED:
        return "There is no GP surgery to book with: the person is not registered with one."
    return UNMET_MESSAGES[(Right(right), UnmetReason(reason))]


def what_counts(right: Right, terms: NeighbourhoodTerms) -> list[str]:
    """What the neighbourhood counts as meeting the right, said on the offer."""
    notes = []
    if right is Right.WITHIN_48H:
        notes.append(
            "In this neighbourhood a GP appointment within 48 hours can be face to face or "
            "by telephone."
            if terms.telephone_counts
            else "In this neighbourhood a GP appointment within 48 hours is face to face."
        )
    if right is not Right.BOOK_AHEAD and terms.centre is not None:
        notes.append(
            "When the surgery is closed, a GP appointment at the neighbourhood centre meets "
            "this request."
        )
    return notes


class OfferPresenter:
    """The options of one request as a page shows them (availability.shown chose which): the
    usual GP's first, when the right allows a choice of clinician, then everyone else's; and
    what the neighbourhood counts as meeting the right (face to face or by telephone, and the
    centre's GP sessions while the surgery is closed)."""

    def __init__(
        self,
        slots: list[Slot],
        *,
        usual_gp_id: int | None,
        right: str,
        terms: NeighbourhoodTerms = NO_CENTRE,
    ):
        self.right = Right(right)
        self.notes = what_counts(self.right, terms)
        prefer = usual_gp_id is not None and self.right is not Right.BOOK_AHEAD
        usual = [s for s in slots if prefer and s.professional_id == usual_gp_id]
        others = [s for s in slots if not (prefer and s.professional_id == usual_gp_id)]
        self.usual = [Option.of(s) for s in usual]
        self.others = [Option.of(s) for s in others]
        self.usual_gp_name = usual[0].professional.name if usual else None

    @property
    def any(self) -> bool:
        return bool(self.usual or self.others)


def percent(value: float | None) -> str:
    return "Not enough GP contacts" if value is None else f"{round(value * 100)}%"


@dataclass(frozen=True)
class ContinuityPresenter:
    continuity: Continuity
    usual_gp: object | None  # the Professional

    @property
    def usual_gp_text(self) -> str:
        if self.usual_gp is None:
            return "None: no GP chosen and no GP seen in the last 2 years"
        how = "chosen by the person" if self.continuity.usual_gp_chosen else "seen most"
        return f"{self.usual_gp.name} ({how})"

    @property
    def rows(self) -> list[tuple[str, str]]:
        c = self.continuity
        return [
            ("GP contacts in the last 2 years", str(c.contacts)),
            ("Usual provider of care (UPC)", percent(c.upc)),
            ("Continuity of care (Bice-Boxerman COC)", percent(c.coc)),
            ("Sequential continuity (SECON)", percent(c.secon)),
        ]
