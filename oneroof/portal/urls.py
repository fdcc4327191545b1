from django.urls import path

from . import sign_in, views

app_name = "portal"
urlpatterns = [
    path("", views.summary, name="summary"),
    path("sign-in/", sign_in.resident_sign_in, name="sign_in"),
    path("acting-for/<uuid:public_id>/", views.proxy_summary, name="proxy_summary"),
    path("who-opened-my-record/", views.record_access_list, name="record_access"),
]
