"""The ledger's URLs: the pages (urls_pages) and the Excel/Word import and export (urls_io)."""

from django.urls import include, path

app_name = "ledger"

urlpatterns = [
    path("io/", include("ecoinspect.ledger.urls_io")),
    path("", include("ecoinspect.ledger.urls_pages")),
]
