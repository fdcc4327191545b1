from django.urls import include, path

urlpatterns = [
    path("", include("oneroof.core.urls")),
    path("people/", include("oneroof.care.urls")),
    path("audit/", include("oneroof.audit.urls")),
    path("my/", include("oneroof.portal.urls")),
]

handler403 = "oneroof.core.views.permission_denied"
handler404 = "oneroof.core.views.page_not_found"
