from django.urls import path

from . import views

app_name = "referrals"
urlpatterns = [
    path("", views.referral_list, name="referral_list"),
    path("new/", views.referral_create, name="referral_create"),
    path("worklist/", views.worklist, name="worklist"),
    path("services/", views.directory, name="directory"),
    path("services/import/", views.directory_import, name="directory_import"),
    path("<uuid:public_id>/", views.referral_detail, name="referral_detail"),
    path("<uuid:public_id>/triage/", views.referral_triage, name="referral_triage"),
    path("<uuid:public_id>/book/", views.referral_book, name="referral_book"),
]
