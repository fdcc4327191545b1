from django.contrib.auth.views import LogoutView
from django.urls import path

from . import views

app_name = "core"
urlpatterns = [
    path("", views.home, name="home"),
    path("sign-in/", views.SignInView.as_view(), name="sign_in"),
    path("sign-out/", LogoutView.as_view(next_page="core:sign_in"), name="sign_out"),
]
