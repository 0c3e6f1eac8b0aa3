"""Public pages of the petitions app (no log-in), mounted at /public/petitions/ (docs/petitions/disclosure.md);
a batch page with ?format=docx|xlsx downloads its table."""

from django.urls import path

from .views import public

app_name = "petitions_public"

urlpatterns = [
    path("", public.public_index, name="index"),
    path("status/", public.public_status, name="status"),
    path("batches/<int:pk>/", public.public_batch, name="batch"),
]
