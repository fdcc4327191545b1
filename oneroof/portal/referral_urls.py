"""The public self-referral pages, open to anyone: /refer/."""

from django.urls import path

from . import referrals

app_name = "self_referral"
urlpatterns = [
    path("", referrals.service_list, name="service_list"),
    path("sent/", referrals.sent, name="sent"),
    path("<uuid:public_id>/", referrals.self_refer, name="self_refer"),
]
