"""Properties of the access-rights engine over many request times, rotas and surgeries.

`definition` restates docs/architecture.md's definitions as directly as it can, in local wall-clock
terms where the definition speaks of the working day and in elapsed time where it speaks of
hours; the engine must agree with it for every case hypothesis finds. Each case has a surgery's
week, and a neighbourhood with or without a centre (whose GP sessions cover the times the surgery
is closed) and with or without telephone consultations counting as GP appointments.
"""

from datetime import UTC, date, datetime, time, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from oneroof.access.opening import bank_holidays
from oneroof.access.rights import (
    LONDON,
    Candidate,
    NeighbourhoodTerms,
    Right,
    RightRequest,
    UnmetReason,
    WorkingWeek,
    offer,
    search_window,
)

HOLIDAYS = bank_holidays(2026) | bank_holidays(2027) | bank_holidays(2028)
HORIZON = timedelta(weeks=6)
PROFESSIONALS = range(1, 7)

request_times = st.datetimes(
    min_value=datetime(2026, 1, 1),
    max_value=datetime(2027, 12, 31),
    timezones=st.just(LONDON),
    allow_imaginary=False,
)


@st.composite
def working_weeks(draw):
    hours = {}
    for weekday in range(7):
        if draw(st.booleans()):
            opens = draw(st.integers(6 * 60, 12 * 60))
            closes = draw(st.integers(opens + 30, 22 * 60))
            hours[weekday] = (time(opens // 60, opens % 60), time(closes // 60, closes % 60))
    return WorkingWeek(hours=hours, closed_dates=HOLIDAYS)


@st.composite
def candidates(draw, at):
    count = draw(st.integers(0, 25))
    result = []
    for pk in range(1, count + 1):
        # From ten hours before the request to five days after, on a 5-minute grid.
        offset = timedelta(minutes=5 * draw(st.integers(-120, 5 * 24 * 12)))
        is_gp = draw(st.booleans())
        result.append(
            Candidate(
                slot_id=pk,
                professional_id=draw(st.sampled_from(PROFESSIONALS)),
                start=(at.astimezone(UTC) + offset).astimezone(LONDON),
                mode=draw(st.sampled_from(["face_to_face", "phone", "video", "home_visit"])),
                in_practice_team=draw(st.booleans()),
                is_gp=is_gp,
                is_clinician=is_gp or draw(st.booleans()),  # a GP is a clinician
                at_centre=draw(st.booleans()),
            )
        )
    return result


@st.composite
def neighbourhoods(draw):
    centre = draw(st.none() | working_weeks())
    return NeighbourhoodTerms(centre=centre, telephone_counts=draw(st.booleans()))


def open_at(moment: datetime, week: WorkingWeek) -> bool:
    """Whether a surgery with this week is open at `moment`, from first principles."""
    local = moment.astimezone(LONDON)
    day = local.date()
    if day.weekday() == 6 or day in HOLIDAYS or day.weekday() not in week.hours:
        return False
    opens, closes = week.hours[day.weekday()]
    return datetime.combine(day, opens, LONDON) <= local < datetime.combine(day, closes, LONDON)


def close_of_day(at: datetime, week: WorkingWeek) -> datetime | None:
    """The definition's "end of the surgery's working day of t", from first principles."""
    local = at.astimezone(LONDON)
    day = local.date()
    if day.weekday() == 6 or day in HOLIDAYS or day.weekday() not in week.hours:
        return None
    closes = datetime.combine(day, week.hours[day.weekday()][1], LONDON)
    return closes if at.astimezone(UTC) < closes.astimezone(UTC) else None


def definition(
    ask: RightRequest, c: Candidate, week: WorkingWeek, terms: NeighbourhoodTerms
) -> bool:
    elapsed = c.start.astimezone(UTC) - ask.at.astimezone(UTC)
    if elapsed <= timedelta(0):
        return False
    centre_gp_while_shut = (
        terms.centre is not None and c.at_centre and c.is_gp and not open_at(c.start, week)
    )
    if ask.right is Right.SAME_DAY:
        close = close_of_day(ask.at, week)
        at_surgery = close is not None and c.start < close and c.in_practice_team
        centre_close = close_of_day(ask.at, terms.centre) if terms.centre else None
        at_centre = centre_close is not None and c.start < centre_close and centre_gp_while_shut
        return (at_surgery and c.is_clinician) or at_centre
    if ask.right is Right.WITHIN_48H:
        gp_appointment = c.mode in ("face_to_face", "home_visit") or (
            terms.telephone_counts and c.mode in ("phone", "video")
        )
        return (
            c.is_gp
            and gp_appointment
            and elapsed <= timedelta(hours=48)
            and (c.in_practice_team or centre_gp_while_shut)
        )
    return (
        c.in_practice_team
        and c.is_gp
        and c.professional_id == ask.chosen_gp_id
        and elapsed > timedelta(hours=48)
    )


@st.composite
def cases(draw):
    at = draw(request_times)
    right = draw(st.sampled_from(list(Right)))
    chosen = draw(st.sampled_from(PROFESSIONALS)) if right is Right.BOOK_AHEAD else None
    usual = draw(st.none() | st.sampled_from(PROFESSIONALS))
    week, terms = draw(working_weeks()), draw(neighbourhoods())
    return RightRequest(right, at, chosen, usual), draw(candidates(at)), week, terms


@settings(max_examples=400, deadline=None)
@given(cases())
def test_offer_is_exactly_the_slots_that_meet_the_definition(case):
    ask, slots, week, terms = case
    result = offer(ask, slots, week, terms)
    expected = {c.slot_id for c in slots if definition(ask, c, week, terms)}
    assert {c.slot_id for c in result.options} == expected
    assert len(result.options) == len(expected)  # nothing offered twice


@settings(max_examples=400, deadline=None)
@given(cases())
def test_offer_is_unmet_exactly_when_there_is_nothing_to_offer(case):
    ask, slots, week, terms = case
    result = offer(ask, slots, week, terms)
    assert result.met == bool(result.options)
    if not result.met:
        centre_closed = terms.centre is None or close_of_day(ask.at, terms.centre) is None
        closed = (
            ask.right is Right.SAME_DAY and close_of_day(ask.at, week) is None and centre_closed
        )
        assert result.unmet_reason is (UnmetReason.CLOSED if closed else UnmetReason.NO_CAPACITY)


@settings(max_examples=400, deadline=None)
@given(cases())
def test_offer_puts_the_usual_gp_first_then_earliest(case):
    ask, slots, week, terms = case
    options = offer(ask, slots, week, terms).options
    prefer = ask.usual_gp_id is not None and ask.right is not Right.BOOK_AHEAD
    keys = [
        (prefer and c.professional_id != ask.usual_gp_id, c.start.astimezone(UTC)) for c in options
    ]
    assert keys == sorted(keys)


@settings(max_examples=300, deadline=None)
@given(cases())
def test_same_day_options_start_on_the_local_day_of_the_request(case):
    ask, slots, week, terms = case
    ask = RightRequest(Right.SAME_DAY, ask.at, None, ask.usual_gp_id)
    for option in offer(ask, slots, week, terms).options:
        assert option.start.astimezone(LONDON).date() == ask.at.astimezone(LONDON).date()


@settings(max_examples=300, deadline=None)
@given(cases())
def test_search_window_holds_every_option(case):
    ask, slots, week, terms = case
    window = search_window(ask, week, terms, horizon=HORIZON)
    for option in offer(ask, slots, week, terms).options:
        assert window is not None
        after, until = window
        assert after < option.start <= until


@settings(max_examples=300, deadline=None)
@given(request_times, st.data())
def test_within_48h_and_book_ahead_split_a_gps_slots_at_48_hours(at, data):
    """Every future slot of the chosen GP meets exactly one of the two GP rights."""
    week = data.draw(working_weeks())
    slots = [
        Candidate(c.slot_id, 1, c.start, c.mode, True, True) for c in data.draw(candidates(at))
    ]
    terms = NeighbourhoodTerms(telephone_counts=True)  # every mode counts, so the split is clean
    soon = offer(RightRequest(Right.WITHIN_48H, at, None, None), slots, week, terms).options
    ahead = offer(RightRequest(Right.BOOK_AHEAD, at, 1, None), slots, week, terms).options
    future = {c.slot_id for c in slots if c.start > at}
    assert {c.slot_id for c in soon} | {c.slot_id for c in ahead} == future
    assert not {c.slot_id for c in soon} & {c.slot_id for c in ahead}


@settings(max_examples=200, deadline=None)
@given(st.sampled_from(sorted(HOLIDAYS)), st.integers(0, 24 * 60 - 1), working_weeks())
def test_same_day_on_a_bank_holiday_is_always_closed(day, minute, week):
    at = datetime.combine(day, time(minute // 60, minute % 60), LONDON)
    slots = [Candidate(1, 1, at + timedelta(minutes=1), "phone", True, True)]
    result = offer(RightRequest(Right.SAME_DAY, at), slots, week)
    assert result.unmet_reason is UnmetReason.CLOSED


@settings(max_examples=200, deadline=None)
@given(st.integers(0, 103), st.integers(0, 24 * 60 - 1))
def test_same_day_on_a_sunday_is_always_closed(week_number, minute):
    day = date(2026, 1, 4) + timedelta(weeks=week_number)  # 4 January 2026 is a Sunday
    at = datetime.combine(day, time(minute // 60, minute % 60), LONDON)
    every_day = WorkingWeek(hours={d: (time(0, 0), time(23, 59)) for d in range(7)})
    slots = [Candidate(1, 1, at + timedelta(seconds=30), "phone", True, True)]
    assert offer(RightRequest(Right.SAME_DAY, at), slots, every_day).unmet_reason is (
        UnmetReason.CLOSED
    )


@settings(max_examples=300, deadline=None)
@given(request_times, working_weeks())
def test_same_day_is_open_exactly_until_the_close(at, week):
    """One minute before the close a slot a few seconds on is offered; at the close, nothing."""
    close = close_of_day(at, week)
    if close is None:
        return
    before = max(at.astimezone(UTC), close.astimezone(UTC) - timedelta(minutes=1))
    slot = Candidate(1, 1, before + (close - before) / 2, "phone", True, True)
    assert offer(RightRequest(Right.SAME_DAY, before), [slot], week).met
    assert offer(RightRequest(Right.SAME_DAY, close), [slot], week).unmet_reason is (
        UnmetReason.CLOSED
    )


@settings(max_examples=400, deadline=None)
@given(cases())
def test_every_option_meets_the_right_asked_for(case):
    """Whatever the neighbourhood: same day is a clinician today, before the later close;
    within 48 hours is a GP, in the 48 hours, in a mode that counts; book ahead is the GP
    chosen, past 48 hours. A GP of another practice only ever at the centre, while the surgery
    is closed."""
    ask, slots, week, terms = case
    at = ask.at.astimezone(UTC)
    closes = [close_of_day(ask.at, w) for w in (week, terms.centre) if w is not None]
    for option in offer(ask, slots, week, terms).options:
        start = option.start.astimezone(UTC)
        assert start > at
        if not option.in_practice_team:
            assert option.at_centre and option.is_gp and terms.centre is not None
            assert not open_at(option.start, week)
        if ask.right is Right.SAME_DAY:
            assert option.is_clinician
            assert start < max(c for c in closes if c is not None)
            assert option.start.astimezone(LONDON).date() == ask.at.astimezone(LONDON).date()
        elif ask.right is Right.WITHIN_48H:
            assert option.is_gp and start - at <= timedelta(hours=48)
        else:
            assert option.professional_id == ask.chosen_gp_id and option.in_practice_team
            assert start - at > timedelta(hours=48)


@settings(max_examples=400, deadline=None)
@given(cases())
def test_no_within_48h_option_is_outside_the_48_hours(case):
    ask, slots, week, terms = case
    ask = RightRequest(Right.WITHIN_48H, ask.at, None, ask.usual_gp_id)
    at = ask.at.astimezone(UTC)
    for option in offer(ask, slots, week, terms).options:
        assert timedelta(0) < option.start.astimezone(UTC) - at <= timedelta(hours=48)


@settings(max_examples=400, deadline=None)
@given(cases())
def test_telephone_never_counts_for_48h_when_the_neighbourhood_says_face_to_face(case):
    ask, slots, week, terms = case
    ask = RightRequest(Right.WITHIN_48H, ask.at, None, ask.usual_gp_id)
    face_to_face = NeighbourhoodTerms(centre=terms.centre, telephone_counts=False)
    result = offer(ask, slots, week, face_to_face)
    assert all(o.mode in ("face_to_face", "home_visit") for o in result.options)
    # and the setting only ever adds remote options to what face to face offers
    with_phone = offer(ask, slots, week, NeighbourhoodTerms(terms.centre, True)).options
    assert {o.slot_id for o in result.options} == {
        o.slot_id for o in with_phone if o.mode in ("face_to_face", "home_visit")
    }


@settings(max_examples=300, deadline=None)
@given(cases())
def test_a_centre_only_adds_options_and_never_takes_one_away(case):
    """The centre's GP sessions cover the surgery's closed hours: the surgery's own options stay."""
    ask, slots, week, terms = case
    without = NeighbourhoodTerms(centre=None, telephone_counts=terms.telephone_counts)
    alone = {o.slot_id for o in offer(ask, slots, week, without).options}
    assert alone <= {o.slot_id for o in offer(ask, slots, week, terms).options}
