"""The public performance pages, under /performance/: no sign-in, disclosure-controlled."""

from django.urls import path

from . import views

app_name = "performance"
urlpatterns = [
    path("", views.public_index, name="index"),
    path("<str:code>/", views.public_neighbourhood, name="neighbourhood_view"),
    path("<str:code>/<str:key>/", views.public_measure, name="measure_view"),
    path("<str:code>/<str:key>/<str:chart>.csv", views.public_chart_csv, name="chart_csv"),
    path(
        "<str:code>/<str:key>/<str:month>/measure-report.json",
        views.measure_report,
        name="measure_report",
    ),
]
