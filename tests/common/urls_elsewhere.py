"""A URLconf of a test: the problem page at another address (common.reversing must follow it)."""

from django.http import HttpResponse
from django.urls import include, path


def page(request, pk):
    return HttpResponse(str(pk))


ledger = ([path("<int:pk>/", page, name="problem_detail")], "ledger")
urlpatterns = [path("elsewhere/", include(ledger))]
