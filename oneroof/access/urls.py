from django.urls import path

from . import hub, neighbourhood, views

app_name = "access"
urlpatterns = [
    path("", views.booking_find, name="booking_find"),
    path("people/<uuid:public_id>/", views.appointment_book, name="appointment_book"),
    path("people/<uuid:public_id>/book/", views.slot_book, name="slot_book"),
    path("people/<uuid:public_id>/usual-gp/", views.usual_gp_choose, name="usual_gp_choose"),
    path("requests/<uuid:public_id>/", views.request_view, name="request_view"),
    path("requests/<uuid:public_id>/book/", views.request_book, name="request_book"),
    path("requests/<uuid:public_id>/resolve/", hub.request_resolve, name="request_resolve"),
    path("requests/<uuid:public_id>/wait/", hub.waiting_add, name="waiting_add"),
    path(
        "appointments/<uuid:public_id>/cancel/", views.appointment_cancel, name="appointment_cancel"
    ),
    path(
        "appointments/<uuid:public_id>/rebook/", views.appointment_rebook, name="appointment_rebook"
    ),
    path(
        "appointments/<uuid:public_id>/status/", views.appointment_status, name="appointment_status"
    ),
    path("day/", views.day_list, name="day_list"),
    path("worklist/", hub.worklist, name="worklist"),
    path("waiting-list/", hub.waiting_list, name="waiting_list"),
    path("waiting-list/<uuid:public_id>/book/", hub.waiting_book, name="waiting_book"),
    path("waiting-list/<uuid:public_id>/remove/", hub.waiting_remove, name="waiting_remove"),
    path("rota/", hub.rota_view, name="rota_view"),
    path("rota/generate/", hub.rota_generate, name="rota_generate"),
    path("rota/sessions/new/", hub.rota_session_add, name="rota_session_add"),
    path(
        "neighbourhood-settings/",
        neighbourhood.neighbourhood_settings,
        name="neighbourhood_settings",
    ),
]
