"""The header navigation each kind of user sees."""

from typing import Any

from django.http import HttpRequest
from django.urls import reverse

from .roles import external_referrer_of, is_privacy_officer, person_of, professional_of


def _items(request: HttpRequest) -> list[dict[str, Any]]:
    user = request.user
    if professional_of(user) is not None:
        return [
            {"text": "Find a person", "href": reverse("care:person_find")},
            {"text": "My tasks", "href": reverse("care:task_list")},
            {"text": "Caseload and huddle", "href": reverse("care:caseload")},
            {"text": "Proactive care worklist", "href": reverse("population:worklist_list")},
            {"text": "Appointments", "href": reverse("access:booking_find")},
            {"text": "Referrals", "href": reverse("referrals:referral_list")},
            {"text": "Measures", "href": reverse("measures:neighbourhood_list")},
        ]
    external = external_referrer_of(user)
    if external is not None:
        items = [{"text": "Referrals", "href": reverse("referrals:referral_list")}]
        if external.profession == "pharmacist":
            items += [
                {"text": "Record a vaccination", "href": reverse("care:pharmacy_vaccination")},
                {"text": "Record a medicine", "href": reverse("care:pharmacy_medicine")},
            ]
        return items
    if is_privacy_officer(user):
        return [{"text": "Break-glass review", "href": reverse("audit:break_glass_list")}]
    if user.has_perm("measures.view_measureresult"):  # a neighbourhood or ICB manager
        items = [{"text": "Measures", "href": reverse("measures:neighbourhood_list")}]
        if user.has_perm("workforce.change_neighbourhood"):
            items.append(
                {"text": "Access settings", "href": reverse("access:neighbourhood_settings")}
            )
        return items
    if person_of(user) is not None:
        return [
            {"text": "My summary", "href": reverse("portal:summary")},
            {"text": "My appointments", "href": reverse("portal:appointment_list")},
            {"text": "My referrals", "href": reverse("portal:referral_list")},
            {"text": "Who opened my record", "href": reverse("portal:record_access")},
        ]
    return []


def navigation(request: HttpRequest) -> dict[str, Any]:
    if not request.user.is_authenticated:
        return {"nav_items": []}
    items = _items(request)
    # The section a page is in is the longest link its path starts with: /my/appointments/1/
    # is in "My appointments", not also in "My summary" (/my/).
    within = [item for item in items if request.path.startswith(item["href"])]
    section = max(within, key=lambda item: len(item["href"]), default=None)
    for item in items:
        item["current"] = request.path == item["href"]
        item["active"] = item is section
    return {"nav_items": items}
