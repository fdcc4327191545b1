"""Finding the free slots that meet a right: one query for the candidates, then the rights
engine decides (rights.offer), so the definitions live in one place."""

from dataclasses import dataclass
from datetime import datetime, timedelta

from oneroof.workforce.models import Profession

from . import rights
from .models import Mode, Slot
from .rights import Right

# book_ahead has no end; the search looks this far past the first 48 hours.
BOOK_AHEAD_HORIZON = timedelta(weeks=6)
BOOK_AHEAD_LIMIT = 200  # enough to choose from; fetched in time order, which is the offer order
NON_CLINICAL = (Profession.RECEPTIONIST,)
ONLINE_MODES = (Mode.FACE_TO_FACE, Mode.PHONE, Mode.VIDEO)  # home visits are arranged by staff


SHOWN = 8  # options a page shows: this many with the usual GP, and this many others


@dataclass(frozen=True)
class Search:
    offer: rights.Offer  # every option
    slots: list[Slot]  # the options a page shows, in the offer's order, with professional and site


def candidate_slots(
    ask: rights.RightRequest,
    *,
    practice,
    week: rights.WorkingWeek,
    not_before: datetime | None = None,
    modes=None,
):
    """The free slots of the practice's team in the right's window: a superset of the options
    (the engine filters), never a subset."""
    window = rights.search_window(ask, week, horizon=BOOK_AHEAD_HORIZON)
    if window is None:
        return Slot.objects.none()
    after, until = window
    if not_before is not None:
        after = max(after, not_before)
    slots = (
        Slot.objects.free()
        .starting(after=after, until=until)
        .filter(professional__organisation=practice, professional__active=True)
        .order_by("start", "pk")
    )
    if ask.right is Right.SAME_DAY:
        slots = slots.exclude(professional__profession__in=NON_CLINICAL)
    else:
        slots = slots.filter(professional__profession=Profession.GP)
    if modes:
        slots = slots.filter(mode__in=modes)
    if ask.right is Right.BOOK_AHEAD:
        slots = slots.filter(professional_id=ask.chosen_gp_id)[:BOOK_AHEAD_LIMIT]
    return slots


CANDIDATE_FIELDS = (
    "pk",
    "professional_id",
    "start",
    "mode",
    "professional__profession",
    "professional__organisation_id",
)


def _candidate(row, practice_id: int) -> rights.Candidate:
    pk, professional_id, start, mode, profession, organisation_id = row
    return rights.Candidate(
        slot_id=pk,
        professional_id=professional_id,
        start=start,
        mode=mode,
        in_practice_team=organisation_id == practice_id,
        is_gp=profession == Profession.GP,
        is_clinician=profession not in NON_CLINICAL,
    )


def as_candidate(slot: Slot, practice_id: int) -> rights.Candidate:
    pro = slot.professional
    row = (slot.pk, pro.pk, slot.start, slot.mode, pro.profession, pro.organisation_id)
    return _candidate(row, practice_id)


def shown(offer: rights.Offer, *, per_group: int = SHOWN) -> list[int]:
    """The slot ids a page shows: the first options with the usual GP (when the right prefers
    them) and the first of the others, in the offer's order."""
    usual = offer.request.usual_gp_id if rights.prefers_usual_gp(offer.request) else None
    with_usual = [o.slot_id for o in offer.options if o.professional_id == usual][:per_group]
    others = [o.slot_id for o in offer.options if o.professional_id != usual][:per_group]
    keep = set(with_usual) | set(others)
    return [o.slot_id for o in offer.options if o.slot_id in keep]


def search(
    ask: rights.RightRequest,
    *,
    practice,
    week: rights.WorkingWeek,
    not_before: datetime | None = None,
    modes=None,
) -> Search:
    """What the person can be offered for this right now: options, or why there are none.

    The candidates are read as plain rows; only the slots a page shows become model objects."""
    rows = candidate_slots(
        ask, practice=practice, week=week, not_before=not_before, modes=modes
    ).values_list(*CANDIDATE_FIELDS)
    offer = rights.offer(ask, (_candidate(row, practice.pk) for row in rows), week)
    ids = shown(offer)
    slots = Slot.objects.select_related("professional", "site").in_bulk(ids)
    return Search(offer, [slots[pk] for pk in ids])
