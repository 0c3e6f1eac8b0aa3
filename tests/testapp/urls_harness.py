"""The test URLs plus views that redirect a ticket's owner away from it: the scoping harness's negative
controls (tests/core/test_scoping_harness.py). Kept out of tests/urls.py so that they need no Case."""

from django.urls import include, path

from tests.urls import urlpatterns as test_urlpatterns

from . import views

harness_patterns = [
    path("<int:pk>/login/", views.bounce_to_login, name="bounce_to_login"),
    path("<int:pk>/refused/", views.refuse_with_message, name="refuse_with_message"),
    path("<int:pk>/missing/", views.forward_to_missing, name="forward_to_missing"),
    path("<int:pk>/home/", views.forward_home, name="forward_home"),
]

urlpatterns = [path("harness/", include((harness_patterns, "harness"))), *test_urlpatterns]
