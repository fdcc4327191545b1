from django.urls import path

from . import views

app_name = "population"
urlpatterns = [
    path("", views.worklist_list, name="worklist_list"),
    path("<int:pk>/", views.worklist_entry_close, name="worklist_entry_close"),
]
