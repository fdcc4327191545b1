from django.urls import path

from . import acting, booking, referrals, sharing, sign_in, views

app_name = "portal"
urlpatterns = [
    path("", views.summary, name="summary"),
    path("sign-in/", sign_in.resident_sign_in, name="sign_in"),
    path("acting-for/<uuid:public_id>/", views.proxy_summary, name="proxy_summary"),
    path("acting-for/<uuid:public_id>/appointments/", acting.start, name="acting_start"),
    path("acting-for/stop/", acting.stop, name="acting_stop"),
    path("sharing/", sharing.sharing, name="sharing"),
    path("who-opened-my-record/", views.record_access_list, name="record_access"),
    path("referrals/", referrals.referral_list, name="referral_list"),
    path("appointments/", booking.appointment_list, name="appointment_list"),
    path("appointments/book/", booking.appointment_request, name="appointment_request"),
    path("appointments/usual-gp/", booking.usual_gp, name="usual_gp"),
    path(
        "appointments/requests/<uuid:public_id>/",
        booking.appointment_options,
        name="appointment_options",
    ),
    path(
        "appointments/<uuid:public_id>/cancel/",
        booking.appointment_cancel,
        name="appointment_cancel",
    ),
    path("appointments/<uuid:public_id>/feedback/", booking.feedback_give, name="feedback_give"),
    path("appointments/offers/<uuid:public_id>/book/", booking.offer_book, name="offer_book"),
]
