from django.urls import include, path

urlpatterns = [
    path("", include("oneroof.core.urls")),
    path("people/", include("oneroof.care.urls")),
    path("audit/", include("oneroof.audit.urls")),
    path("appointments/", include("oneroof.access.urls")),
    path("my/", include("oneroof.portal.urls")),
    path("fhir/R4/", include("oneroof.fhir.urls")),
    path("referrals/", include("oneroof.referrals.urls")),
    path("refer/", include("oneroof.portal.referral_urls")),
    path("openreferral/", include("oneroof.referrals.openreferral.urls")),
    path("measures/", include("oneroof.measures.urls")),
    path("worklist/", include("oneroof.population.urls")),
    path("performance/", include("oneroof.measures.public_urls")),
]

handler403 = "oneroof.core.views.permission_denied"
handler404 = "oneroof.core.views.page_not_found"
