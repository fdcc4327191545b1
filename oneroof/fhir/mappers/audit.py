"""AuditEvent, from the person's audit trail (audit.RecordAccess)."""

from oneroof.fhir import systems

from .common import coding, concept, fhir_datetime, patient_ref, prune

# Why the access was allowed, as a v3 ActReason purpose of use. Relationships that other apps
# register (an open referral, an appointment) are care, so they default to treatment.
PURPOSE_OF_USE = {
    "self": ("PATRQT", "patient requested"),
    "proxy": ("FAMRQT", "family requested"),
    "break_glass": ("ETREAT", "Emergency Treatment"),
}
TREATMENT = ("TREAT", "treatment")
SYSTEM_PURPOSE = "system"  # a connected system, allowed by its SMART system scope


def audit_action_code(action: str) -> str:
    """FHIR audit-event-action: R(ead), C(reate), U(pdate) or E(xecute)."""
    verb = action.split(" ", 1)[0]
    if verb in {"viewed", "read", "searched", "fetched", "opened"}:
        return "R"
    if verb in {"added", "recorded", "created", "booked", "imported"}:
        return "C"
    if verb in {"changed", "completed", "updated", "cancelled"}:
        return "U"
    return "E"


def record_access_to_audit_event(access) -> dict:
    agent = {
        "who": {"display": access.actor_name},
        "name": access.actor_name,
        "role": [{"text": access.actor_role}],
        "requestor": True,
    }
    if access.purpose != SYSTEM_PURPOSE:
        code, display = PURPOSE_OF_USE.get(access.purpose, TREATMENT)
        agent["purposeOfUse"] = [
            concept(systems.V3_ACT_REASON, code, display, text=access.get_purpose_display())
        ]
    return prune(
        {
            "resourceType": "AuditEvent",
            "id": str(access.pk),
            "type": coding(systems.DICOM, "110110", "Patient Record"),
            "action": audit_action_code(access.action),
            "recorded": fhir_datetime(access.at),
            "outcome": "0",
            "agent": [agent],
            "source": {"observer": {"display": "OneRoof"}},
            "entity": [{"what": patient_ref(access.person), "description": access.action}],
        }
    )
