from django.urls import path

from . import views

app_name = "audit"
urlpatterns = [
    path("break-glass/", views.break_glass_list, name="break_glass_list"),
    path("break-glass/<int:pk>/review/", views.break_glass_review, name="break_glass_review"),
    path("self-claimed/<int:pk>/review/", views.self_claim_review, name="self_claim_review"),
    path("sign-in/", views.sign_in_review, name="sign_in_review"),
]
