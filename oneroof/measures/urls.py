"""Staff measures pages, under /measures/."""

from django.urls import path

from . import views

app_name = "measures"
urlpatterns = [
    path("", views.neighbourhood_list, name="neighbourhood_list"),
    path("<str:code>/", views.neighbourhood_view, name="neighbourhood_view"),
    path("<str:code>/report/<str:month>/", views.report_pack, name="report_pack"),
    path("<str:code>/<str:key>/", views.measure_view, name="measure_view"),
    path("<str:code>/<str:key>/<str:chart>.csv", views.chart_csv, name="chart_csv"),
]
