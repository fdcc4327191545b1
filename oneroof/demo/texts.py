"""Words for care plans, MDT decisions and contacts: what matters and goals in the person's own
words, actions in the team's."""

# need -> what matters to the person
WHAT_MATTERS: dict[str, tuple[str, ...]] = {
    "frail": (
        "Staying in my own home and not having another fall.",
        "Being able to get to the shops and to church on my own.",
        "Looking after my garden again, even if it's just the pots by the door.",
    ),
    "mental": (
        "Feeling like myself again and getting out of the house.",
        "Keeping well enough to keep my job.",
        "Being a good dad to my kids, and sleeping through the night.",
    ),
    "palliative": (
        "Being comfortable, and at home with my family around me.",
        "Not going back into hospital. I want to be in my own bed.",
    ),
    "social": (
        "Not worrying about money all the time.",
        "Having someone to talk to during the week.",
    ),
    "dementia": (
        "My family knowing what I want while I can still tell them.",
        "Staying at home with the people I know.",
    ),
    "conditions": (
        "Keeping my health under control so I can keep doing the things I enjoy.",
        "Seeing my grandchildren grow up.",
        "Not having to go up to the hospital so often.",
    ),
}

# need -> goals in the person's words
GOALS: dict[str, tuple[str, ...]] = {
    "frail": (
        "Walk to the end of my street without my frame by the summer.",
        "Get in and out of the bath safely.",
        "Not fall again.",
    ),
    "mental": (
        "Get back to seeing my friends once a week.",
        "Feel less anxious when I go out.",
    ),
    "palliative": ("Stay comfortable and free of pain.", "Be at home when the time comes."),
    "social": ("Sort out my debts so I can sleep at night.", "Join a group and make a friend."),
    "dementia": ("Keep going to the day centre on Wednesdays.", "Make a plan for the future."),
    "conditions": (
        "Keep out of hospital this winter.",
        "Get my sugar levels down so I can keep driving.",
        "Be less breathless on the stairs.",
    ),
}

# (profession, need, action description)
ACTIONS: tuple[tuple[str, str, str], ...] = (
    (
        "physiotherapist",
        "frail",
        "Home exercise programme for strength and balance; review in six weeks.",
    ),
    (
        "occupational_therapist",
        "frail",
        "Assess bathroom and stairs for grab rails and a bath seat.",
    ),
    ("district_nurse", "frail", "Falls risk assessment and check of footwear and eyesight."),
    (
        "pharmacist",
        "conditions",
        "Structured medication review: check each medicine is still needed.",
    ),
    (
        "district_nurse",
        "conditions",
        "Weekly weight and ankle check; tell the GP if weight goes up by 2kg in three days.",
    ),
    ("gp", "conditions", "Review blood tests and blood pressure at the next appointment."),
    ("mental_health", "mental", "Fortnightly check-in and referral to talking therapies."),
    ("gp", "mental", "Review antidepressant dose in four weeks."),
    ("link_worker", "social", "Referral to Citizens Advice for debt and benefits advice."),
    ("link_worker", "social", "Introduce to the Tuesday lunch club at the community centre."),
    ("social_worker", "social", "Care Act needs assessment and carer's assessment."),
    ("care_worker", "frail", "Morning visit to help with washing and dressing."),
    (
        "palliative_care",
        "palliative",
        "Advance care planning conversation; anticipatory medicines in the home.",
    ),
    ("social_worker", "dementia", "Memory service follow-up and support for the family carer."),
    ("mental_health", "dementia", "Review sleep and agitation with the family."),
)

MDT_DECISIONS: tuple[str, ...] = (
    "Continue the current plan; review again in three months.",
    "Increase home care to twice daily; social worker to arrange.",
    "Medication review done: two medicines stopped, blood pressure to be rechecked.",
    "Refer to the falls service; physiotherapist to visit this week.",
    "Carer under strain: carer's assessment offered and respite explored.",
    "Discussed wishes for end of life care; preferred place of care recorded.",
    "Mood improving; step down mental health support and keep link worker contact.",
)

# profession -> contact summaries
CONTACT_SUMMARIES: dict[str, tuple[str, ...]] = {
    "gp": (
        "Reviewed blood pressure and medicines.",
        "Chest infection: antibiotics prescribed, safety-netting advice given.",
        "Annual review of long-term conditions.",
        "Discussed test results; no changes needed.",
    ),
    "practice_nurse": ("Annual asthma review.", "Blood tests taken.", "Flu vaccination given."),
    "district_nurse": (
        "Home visit: leg dressing changed, healing well.",
        "Observations stable; weight unchanged.",
        "Checked pressure areas; new cushion ordered.",
    ),
    "social_worker": ("Care needs reviewed with the family.", "Discussed carer support."),
    "care_worker": ("Morning call: washed and dressed, breakfast made.",),
    "physiotherapist": ("Exercise programme reviewed; walking further.",),
    "occupational_therapist": ("Bathroom assessed; grab rails ordered.",),
    "palliative_care": ("Symptoms reviewed; comfortable.", "Talked through wishes with family."),
    "mental_health": ("Check-in: mood a little better.", "Reviewed coping plan."),
    "pharmacist": ("Medication review: one medicine stopped.",),
    "link_worker": (
        "Met at the community centre; joined the lunch club.",
        "Helped with a benefits form.",
    ),
    "health_visitor": ("Development check.",),
}
