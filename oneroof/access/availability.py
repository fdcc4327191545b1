"""Finding the free slots that meet a right: one query for the candidates, then the rights
engine decides (rights.offer), so the definitions live in one place."""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db.models import Q

from oneroof.workforce.models import Profession

from . import rights
from .models import Mode, Slot
from .rights import Right

# book_ahead has no end; the search looks this far past the first 48 hours.
BOOK_AHEAD_HORIZON = timedelta(weeks=6)
BOOK_AHEAD_LIMIT = 200  # enough to choose from; fetched in time order, which is the offer order
NON_CLINICAL = (Profession.RECEPTIONIST,)
ONLINE_MODES = (Mode.FACE_TO_FACE, Mode.PHONE, Mode.VIDEO)  # home visits are arranged by staff
IN_PERSON = (Mode.FACE_TO_FACE, Mode.HOME_VISIT)


SHOWN = 8  # options a page shows: this many with the usual GP, and this many others


@dataclass(frozen=True)
class Search:
    offer: rights.Offer  # every option
    slots: list[Slot]  # the options a page shows, in the offer's order, with professional and site


def _team_or_centre(practice, right: Right) -> Q:
    """The practice's own team, and (for the rights the centre covers) the GP sessions at the
    neighbourhood's centre, whoever's GPs hold them: the engine keeps those at closed hours."""
    team = Q(professional__organisation=practice)
    if right is Right.BOOK_AHEAD:
        return team
    return team | Q(
        site__is_health_centre=True,
        site__neighbourhood_id=practice.neighbourhood_id,
        professional__profession=Profession.GP,
    )


def candidate_slots(
    ask: rights.RightRequest,
    *,
    practice,
    week: rights.WorkingWeek,
    terms: rights.NeighbourhoodTerms = rights.NO_CENTRE,
    not_before: datetime | None = None,
    modes=None,
):
    """The free slots of the practice's team, and of the centre's GP sessions, in the right's
    window: a superset of the options (the engine filters), never a subset."""
    window = rights.search_window(ask, week, terms, horizon=BOOK_AHEAD_HORIZON)
    if window is None:
        return Slot.objects.none()
    after, until = window
    if not_before is not None:
        after = max(after, not_before)
    slots = (
        Slot.objects.free()
        .starting(after=after, until=until)
        .filter(_team_or_centre(practice, ask.right), professional__active=True)
        .order_by("start", "pk")
    )
    if ask.right is Right.SAME_DAY:
        slots = slots.exclude(professional__profession__in=NON_CLINICAL)
    else:
        slots = slots.filter(professional__profession=Profession.GP)
    if modes:
        slots = slots.filter(mode__in=modes)
    if ask.right is Right.WITHIN_48H and not terms.telephone_counts:
        slots = slots.filter(mode__in=IN_PERSON)
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
    "site__is_health_centre",
    "site__neighbourhood_id",
)


def _candidate(row, practice) -> rights.Candidate:
    pk, professional_id, start, mode, profession, organisation_id, is_centre, hood_id = row
    return rights.Candidate(
        slot_id=pk,
        professional_id=professional_id,
        start=start,
        mode=mode,
        in_practice_team=organisation_id == practice.pk,
        is_gp=profession == Profession.GP,
        is_clinician=profession not in NON_CLINICAL,
        at_centre=is_centre and hood_id == practice.neighbourhood_id,
    )


def as_candidate(slot: Slot, practice) -> rights.Candidate:
    pro, site = slot.professional, slot.site
    row = (slot.pk, pro.pk, slot.start, slot.mode, pro.profession, pro.organisation_id)
    return _candidate((*row, site.is_health_centre, site.neighbourhood_id), practice)


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
    terms: rights.NeighbourhoodTerms = rights.NO_CENTRE,
    not_before: datetime | None = None,
    modes=None,
) -> Search:
    """What the person can be offered for this right now: options, or why there are none.

    The candidates are read as plain rows; only the slots a page shows become model objects."""
    rows = candidate_slots(
        ask, practice=practice, week=week, terms=terms, not_before=not_before, modes=modes
    ).values_list(*CANDIDATE_FIELDS)
    offer = rights.offer(ask, (_candidate(row, practice) for row in rows), week, terms)
    ids = shown(offer)
    slots = Slot.objects.select_related("professional", "site").in_bulk(ids)
    return Search(offer, [slots[pk] for pk in ids])
