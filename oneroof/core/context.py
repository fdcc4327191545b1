"""The header navigation each kind of user sees."""

from django.urls import reverse

from .roles import is_privacy_officer, person_of, professional_of


def _items(request) -> list[dict]:
    user = request.user
    if professional_of(user) is not None:
        return [
            {"text": "Find a person", "href": reverse("care:person_find")},
            {"text": "My tasks", "href": reverse("care:task_list")},
            {"text": "Caseload and huddle", "href": reverse("care:caseload")},
        ]
    if is_privacy_officer(user):
        return [{"text": "Break-glass review", "href": reverse("audit:break_glass_list")}]
    if person_of(user) is not None:
        return [
            {"text": "My summary", "href": reverse("portal:summary")},
            {"text": "Who opened my record", "href": reverse("portal:record_access")},
        ]
    return []


def navigation(request) -> dict:
    if not request.user.is_authenticated:
        return {"nav_items": []}
    items = _items(request)
    for item in items:
        item["current"] = request.path == item["href"]
        item["active"] = request.path.startswith(item["href"])
    return {"nav_items": items}
