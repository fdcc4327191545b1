from django.urls import path

from . import api

app_name = "openreferral"
urlpatterns = [
    path("", api.api_root, name="api_root"),
    path("services", api.service_list, name="service_list"),
    path("services/<uuid:public_id>", api.service_detail, name="service_detail"),
]
