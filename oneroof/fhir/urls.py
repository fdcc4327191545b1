from .api import api

app_name = "fhir"
urlpatterns = api.urls[0]
