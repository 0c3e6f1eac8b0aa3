from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from ecoinspect.api.router import api
from ecoinspect.orgs.views import EcoLoginView

urlpatterns = [
    path("accounts/login/", EcoLoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("api/v1/", api.urls),
    path("orgs/", include("ecoinspect.orgs.urls")),
    path("ledger/", include("ecoinspect.ledger.urls")),
    path("petitions/", include("ecoinspect.petitions.urls")),
    path("public/petitions/", include("ecoinspect.petitions.urls_public")),
    path("audit/", include("ecoinspect.audit.urls")),
    path("notifications/", include("ecoinspect.notifications.urls")),
    path("exports/", include("ecoinspect.common.urls")),
    path("", include("ecoinspect.dashboard.urls")),
]

handler403 = "ecoinspect.common.errorviews.forbidden"
handler404 = "ecoinspect.common.errorviews.not_found"
handler500 = "ecoinspect.common.errorviews.server_error"
