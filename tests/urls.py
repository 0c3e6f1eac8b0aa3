"""The project's URLs plus the test-only app's."""

from django.urls import include, path

from ecoinspect.config.urls import handler403, handler404, handler500  # noqa: F401
from ecoinspect.config.urls import urlpatterns as project_urlpatterns

urlpatterns = [path("test/", include("tests.testapp.urls")), *project_urlpatterns]
