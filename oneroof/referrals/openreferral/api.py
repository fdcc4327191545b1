"""The Open Referral UK API, read-only and open: the directory is public information, and
other directories read it from here (GET /openreferral/services, /services/{id})."""

from django.http import JsonResponse
from django.urls import reverse
from django.views.decorators.http import require_GET

from oneroof.workforce.models import Service

from .directory import export_directory, export_service

PROFILE = "https://openreferraluk.org"  # the UK profile of HSDS 3.0


@require_GET
def api_root(request):
    return JsonResponse(
        {
            "version": "3.0",
            "profile": PROFILE,
            "services_url": request.build_absolute_uri(reverse("openreferral:service_list")),
        }
    )


@require_GET
def service_list(request):
    """The whole directory as one page of fully nested services (a neighbourhood has dozens)."""
    response = JsonResponse(export_directory(), json_dumps_params={"indent": 2})
    if request.GET.get("download"):
        response["Content-Disposition"] = 'attachment; filename="oneroof-services.json"'
    return response


@require_GET
def service_detail(request, public_id):
    try:
        return JsonResponse(export_service(public_id), json_dumps_params={"indent": 2})
    except Service.DoesNotExist:
        return JsonResponse({"detail": "There is no service with that id."}, status=404)
