from django.urls import path

from . import pharmacy, views

app_name = "care"
urlpatterns = [
    path("find/", views.person_find, name="person_find"),
    path("tasks/", views.task_list, name="task_list"),
    path("tasks/<uuid:task_id>/complete/", views.task_complete, name="task_complete"),
    path("caseload/", views.caseload, name="caseload"),
    path("pharmacy/vaccination/", pharmacy.vaccination_record, name="pharmacy_vaccination"),
    path("pharmacy/medicine/", pharmacy.medicine_record, name="pharmacy_medicine"),
    path("<uuid:public_id>/", views.record_view, name="record_view"),
    path("<uuid:public_id>/break-glass/", views.break_glass_create, name="break_glass_create"),
    path("<uuid:public_id>/plan/", views.plan_edit, name="plan_edit"),
    path("<uuid:public_id>/sharing/", views.sharing_decision, name="sharing_decision"),
    path("<uuid:public_id>/mdt-review/", views.mdt_review_add, name="mdt_review_add"),
    path("<uuid:public_id>/who-opened/", views.record_access_list, name="record_access_list"),
]
