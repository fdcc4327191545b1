"""Care teams, care plans, tasks and MDT reviews for residents with complex needs.

Complex needs (docs/architecture.md): moderate or severe frailty (eFI > 0.24, 9+ deficits),
or 2+ long-term conditions with a mental health condition, or 4+ long-term conditions, or
housebound, or high use. The generator reads "long-term conditions" as its physical condition
groups and "mental health condition" as any condition of category mental; the population app's
versioned rule set is what the service uses, and it reads the same coded record.
"""

from dataclasses import dataclass, field

import numpy as np

from oneroof.care.models import (
    CarePlan,
    CarePlanAction,
    CarePlanReview,
    Goal,
    MdtReview,
    Task,
)
from oneroof.workforce.models import CareTeam, CareTeamMember

from . import texts
from .morbidity import DEFICIT_INDEX, MODERATE_FRAILTY, Health
from .population import People
from .writer import BulkWriter

DAY = 86_400


def complex_needs(health: Health, high_use: np.ndarray) -> np.ndarray:
    """Who has complex needs (docs/architecture.md), from the chunk's coded record."""
    ltcs = health.physical_ltcs
    mental = health.mental_conditions
    return (
        (health.efi_count >= MODERATE_FRAILTY)
        | ((ltcs >= 2) & (mental >= 1))
        | ((ltcs + mental) >= 4)
        | health.housebound
        | high_use
    )


@dataclass
class Pools:
    """Professional ids by profession, and each practice's GPs."""

    by_profession: dict[str, np.ndarray]
    gps: np.ndarray  # practice index x 3 GP ids

    def pick(self, rng, profession: str) -> int:
        pool = self.by_profession[profession]
        return int(pool[rng.integers(0, len(pool))])


@dataclass
class CareRows:
    teams: list = field(default_factory=list)
    members: list = field(default_factory=list)
    plans: list = field(default_factory=list)
    goals: list = field(default_factory=list)
    actions: list = field(default_factory=list)
    tasks: list = field(default_factory=list)
    reviews: list = field(default_factory=list)
    attendees: list = field(default_factory=list)
    plan_reviews: list = field(default_factory=list)


def needs_of(i: int, people: People, health: Health) -> list[str]:
    """The person's kinds of need, most pressing first."""
    needs = []
    if health.has["palliative"][i]:
        needs.append("palliative")
    if health.has["dementia"][i]:
        needs.append("dementia")
    deficits = health.deficits[i]
    if health.efi_count[i] >= MODERATE_FRAILTY or deficits[DEFICIT_INDEX["housebound"]]:
        needs.append("frail")
    if health.mental_conditions[i] and not health.has["dementia"][i]:
        needs.append("mental")
    if any(health.social[k][i] for k in ("debt", "isolation", "unemployed")):
        needs.append("social")
    needs.append("conditions")
    return needs


_COORDINATOR_FOR_NEED = {
    "palliative": "palliative_care",
    "dementia": "district_nurse",
    "frail": "district_nurse",
    "mental": "mental_health",
    "social": "social_worker",
    "conditions": "district_nurse",
}


def team_professions(rng, i: int, health: Health, needs: list[str]) -> list[str]:
    """Professions that could join the person's team beyond the coordinator and GP."""
    deficits = health.deficits[i]
    wanted = []
    if deficits[DEFICIT_INDEX["falls"]] or deficits[DEFICIT_INDEX["mobility"]]:
        wanted.append("physiotherapist")
    if deficits[DEFICIT_INDEX["housebound"]] or deficits[DEFICIT_INDEX["mobility"]]:
        wanted.append("occupational_therapist")
    if deficits[DEFICIT_INDEX["polypharmacy"]]:
        wanted.append("pharmacist")
    if deficits[DEFICIT_INDEX["care_requirement"]] or "dementia" in needs:
        wanted += ["social_worker", "care_worker"]
    if "social" in needs:
        wanted.append("link_worker")
    if "palliative" in needs:
        wanted.append("palliative_care")
    if "mental" in needs:
        wanted.append("mental_health")
    if not wanted:
        wanted = ["district_nurse", "pharmacist"]
    rng.shuffle(wanted)
    return wanted


class CareSampler:
    def __init__(self, writer: BulkWriter, pools: Pools, today_ord: int, now: int) -> None:
        self.writer = writer
        self.pools = pools
        self.today_ord = today_ord
        self.now = now  # epoch seconds, start of today UTC

    def build(self, rng, people: People, health: Health, who: np.ndarray, usual_gp: np.ndarray):
        """Rows for everyone in `who` (indexes into the chunk); returns their care teams."""
        rows = CareRows()
        team_ids = self.writer.allocate(CareTeam, len(who))
        plan_ids = self.writer.allocate(CarePlan, len(who))
        teams = {}
        for team_id, plan_id, i in zip(
            team_ids.tolist(), plan_ids.tolist(), who.tolist(), strict=True
        ):
            needs = needs_of(i, people, health)
            members = self._team(rng, i, health, needs, int(usual_gp[i]), team_id, rows)
            teams[i] = members
            self._plan(rng, i, people, needs, members, plan_id, rows)
            self._reviews(rng, i, people, members, rows)
        return rows, teams

    def _team(self, rng, i, health, needs, gp, team_id, rows) -> dict[str, int]:
        coordinator_profession = _COORDINATOR_FOR_NEED[needs[0]]
        members = {coordinator_profession: self.pools.pick(rng, coordinator_profession), "gp": gp}
        size = int(rng.integers(2, 6))
        for profession in team_professions(rng, i, health, needs):
            if len(members) >= size:
                break
            members.setdefault(profession, self.pools.pick(rng, profession))
        coordinator = members[coordinator_profession]
        created = self.now - int(rng.integers(60, 700)) * DAY
        rows.teams.append((team_id, i, coordinator, created))
        start = self.today_ord - int(rng.integers(30, 700))
        for professional in dict.fromkeys(members.values()):
            rows.members.append((i, professional, start))
        members["coordinator"] = coordinator
        return members

    def _plan(self, rng, i, people, needs, members, plan_id, rows) -> None:
        need = needs[0]
        what = texts.WHAT_MATTERS[need]
        roll = rng.random()
        # Reviews spread so the huddle always has people due: some overdue, some within two
        # weeks, most later.
        if roll < 0.1:
            review = self.today_ord - int(rng.integers(1, 15))
        elif roll < 0.3:
            review = self.today_ord + int(rng.integers(0, 14))
        else:
            review = self.today_ord + int(rng.integers(14, 120))
        created = self.now - int(rng.integers(30, 600)) * DAY
        updated = min(self.now, created + int(rng.integers(0, 120)) * DAY)
        rows.plans.append(
            (plan_id, i, what[int(rng.integers(0, len(what)))], review, created, updated)
        )
        # Seven plans in ten were reviewed with the person when last changed (chosen by id, so
        # the random draws, and everything made after them, stay as they were).
        if plan_id % 10 < 7:
            rows.plan_reviews.append((plan_id, updated, members["coordinator"]))
        goal_texts = [g for n in needs for g in texts.GOALS[n]]
        goal_count = int(rng.integers(2, 4))
        chosen = rng.choice(len(goal_texts), size=min(goal_count, len(goal_texts)), replace=False)
        goal_refs = []
        for g in chosen.tolist():
            goal_refs.append(len(rows.goals))
            status = "completed" if rng.random() < 0.1 else "active"
            rows.goals.append(
                (
                    plan_id,
                    goal_texts[g],
                    status,
                    self.today_ord + int(rng.integers(30, 180)),
                    created,
                )
            )
        possible = [a for a in texts.ACTIONS if a[0] in members and a[1] in needs]
        if not possible:
            possible = [("gp", "conditions", texts.ACTIONS[5][2])]
        count = min(int(rng.integers(1, 4)), len(possible))
        for a in rng.choice(len(possible), size=count, replace=False).tolist():
            profession, _need, description = possible[a]
            owner = members[profession]
            status = rng.choice(["requested", "in-progress", "completed"], p=[0.5, 0.3, 0.2])
            rows.actions.append(
                (
                    plan_id,
                    goal_refs[a % len(goal_refs)],
                    description,
                    owner,
                    self.today_ord + int(rng.integers(-10, 60)),
                    created,
                    members["coordinator"],
                    i,
                    str(status),
                )
            )

    def _reviews(self, rng, i, people, members, rows) -> None:
        team = sorted(set(members.values()))
        for _ in range(int(rng.choice([0, 1, 1, 2, 3]))):
            held = self.today_ord - int(rng.integers(14, 365))
            decision = texts.MDT_DECISIONS[int(rng.integers(0, len(texts.MDT_DECISIONS)))]
            attendees = rng.choice(
                team, size=min(len(team), int(rng.integers(2, 5))), replace=False
            )
            rows.reviews.append(
                (i, held, decision, members["coordinator"], held + 90, [int(a) for a in attendees])
            )

    def write(self, rng, people: People, rows: CareRows) -> None:
        w = self.writer
        pid = people.ids
        created = w.datetimes(np.array([r[3] for r in rows.teams]))
        w.insert(
            CareTeam,
            ("id", "person_id", "coordinator_id", "created_at"),
            [
                (t, int(pid[i]), c, at)
                for (t, i, c, _s), at in zip(rows.teams, created, strict=True)
            ],
        )
        member_ids = w.allocate(CareTeamMember, len(rows.members))
        team_of = {i: t for t, i, _c, _s in rows.teams}
        w.insert(
            CareTeamMember,
            ("id", "care_team_id", "professional_id", "period_start"),
            [
                (int(m), team_of[i], p, d)
                for m, (i, p, _s), d in zip(
                    member_ids,
                    rows.members,
                    w.dates(np.array([r[2] for r in rows.members])),
                    strict=True,
                )
            ],
        )
        self._write_plans(rng, people, rows)
        self._write_plan_reviews(rows)
        self._write_reviews(people, rows)

    def _write_plan_reviews(self, rows: CareRows) -> None:
        w = self.writer
        at = np.array([r[1] for r in rows.plan_reviews], dtype=np.int64)
        w.insert(
            CarePlanReview,
            ("id", "care_plan_id", "reviewed_on", "summary", "recorded_by_id", "recorded_at"),
            [
                (int(k), plan, day, "Went through the plan together.", by, moment)
                for k, (plan, _at, by), day, moment in zip(
                    w.allocate(CarePlanReview, len(rows.plan_reviews)),
                    rows.plan_reviews,
                    w.dates(at // DAY + 719163),
                    w.datetimes(at),
                    strict=True,
                )
            ],
        )

    def _write_plans(self, rng, people: People, rows: CareRows) -> None:
        w = self.writer
        pid = people.ids
        times = w.datetimes(np.array([r[4] for r in rows.plans]))
        updated = w.datetimes(np.array([r[5] for r in rows.plans]))
        reviews = w.dates(np.array([r[3] for r in rows.plans]))
        w.insert(
            CarePlan,
            ("id", "person_id", "what_matters", "next_review_date", "created_at", "updated_at"),
            [
                (p, int(pid[i]), what, r, c, u)
                for (p, i, what, _r, _c, _u), r, c, u in zip(
                    rows.plans, reviews, times, updated, strict=True
                )
            ],
        )
        goal_ids = w.allocate(Goal, len(rows.goals))
        created = w.datetimes(np.array([g[4] for g in rows.goals]))
        w.insert(
            Goal,
            ("id", "care_plan_id", "description", "lifecycle_status", "target_date", "created_at"),
            [
                (int(g), plan, text, status, d, c)
                for g, (plan, text, status, _t, _c), d, c in zip(
                    goal_ids,
                    rows.goals,
                    w.dates(np.array([g[3] for g in rows.goals])),
                    created,
                    strict=True,
                )
            ],
        )
        action_ids = w.allocate(CarePlanAction, len(rows.actions))
        task_ids = w.allocate(Task, len(rows.actions))
        due = w.dates(np.array([a[4] for a in rows.actions]))
        made = w.datetimes(np.array([a[5] for a in rows.actions]))
        w.insert(
            CarePlanAction,
            (
                "id",
                "care_plan_id",
                "goal_id",
                "description",
                "owner_id",
                "due_date",
                "created_at",
                "created_by_id",
            ),
            [
                (int(a), plan, int(goal_ids[g]), text, owner, d, c, by)
                for a, (plan, g, text, owner, _d, _c, by, _i, _s), d, c in zip(
                    action_ids, rows.actions, due, made, strict=True
                )
            ],
        )
        uuids = w.uuids(rng.bytes(16 * len(rows.actions)), len(rows.actions))
        w.insert(
            Task,
            (
                "id",
                "public_id",
                "person_id",
                "description",
                "status",
                "owner_id",
                "requester_id",
                "action_id",
                "due_date",
                "authored_on",
                "last_modified",
                "completed_note",
            ),
            [
                (
                    int(t),
                    u,
                    int(pid[i]),
                    text,
                    status,
                    owner,
                    by,
                    int(a),
                    d,
                    c,
                    c,
                    "Done and talked through with the person." if status == "completed" else "",
                )
                for t, u, a, (_p, _g, text, owner, _d, _c, by, i, status), d, c in zip(
                    task_ids, uuids, action_ids, rows.actions, due, made, strict=True
                )
            ],
        )

    def _write_reviews(self, people: People, rows: CareRows) -> None:
        w = self.writer
        review_ids = w.allocate(MdtReview, len(rows.reviews))
        held = np.array([r[1] for r in rows.reviews], dtype=np.int64)
        w.insert(
            MdtReview,
            (
                "id",
                "person_id",
                "held_on",
                "decision",
                "recorded_by_id",
                "recorded_at",
                "next_review_date",
            ),
            [
                (int(r), int(people.ids[i]), h, text, by, at, nxt)
                for r, (i, _h, text, by, _n, _a), h, at, nxt in zip(
                    review_ids,
                    rows.reviews,
                    w.dates(held),
                    w.datetimes((held - 719163) * DAY + 14 * 3600),
                    w.dates(held + 90),
                    strict=True,
                )
            ],
        )
        through = MdtReview.attendees.through
        pairs = [
            (int(r), a) for r, row in zip(review_ids, rows.reviews, strict=True) for a in row[5]
        ]
        ids = w.allocate(through, len(pairs))
        w.insert(
            through,
            ("id", "mdtreview_id", "professional_id"),
            [(int(k), r, a) for k, (r, a) in zip(ids, pairs, strict=True)],
        )
