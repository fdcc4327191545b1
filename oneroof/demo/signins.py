"""The demo's sign-ins. Development only: every one has the same, published password."""

DEMO_PASSWORD = "oneroof-demo"

DEMO_SIGN_INS: list[tuple[str, str]] = [
    ("coordinator", "Grace Okafor, district nurse and Mrs Patel's named coordinator"),
    ("nurse", "Aisha Khan, district nurse in Mrs Patel's care team"),
    ("socialworker", "Sam Reid, social worker in Mrs Patel's care team"),
    ("gp", "Dr Tom Hughes, GP at Riverside Medical Practice (Mrs Patel's GP)"),
    ("physio", "Ben Carter, physiotherapist with no relationship to Mrs Patel"),
    ("reception", "Lucy Ward, receptionist at Riverside Medical Practice"),
    ("triage", "Rebecca Stone, physiotherapist who triages MSK physiotherapy referrals"),
    (
        "optician",
        "Nadia Shah, optometrist at Riverside Opticians (refers; sees only her referrals)",
    ),
    (
        "pharmacist",
        "Olivia Bennett, community pharmacist at Bridge Road Pharmacy (refers; records "
        "vaccinations and medicines she gives)",
    ),
    ("school", "Mr Peter Lowe, teacher at Riverside Academy (refers; sees only his referrals)"),
    ("privacy", "Privacy officer: sees who opened which record"),
    (
        "manager",
        "Dana Price, neighbourhood manager: sees the measures and sets the access settings, "
        "opens no record",
    ),
    ("patel", "Mrs Meera Patel, resident"),
    ("priya", "Priya Patel, resident, Mrs Patel's daughter and carer (with her consent)"),
]
