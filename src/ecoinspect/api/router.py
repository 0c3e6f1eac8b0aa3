"""The JSON API at /api/v1/: session or bearer-token authentication, the pages' own scoping."""

from __future__ import annotations

from ninja import NinjaAPI

from . import errors
from .auth import ActiveSessionAuth, TokenAuth

api = NinjaAPI(
    title="ecoinspect API",
    version="1",
    description="生态环境保护督察迎检系统接口。与页面相同的权限范围：每个请求只看到本单位有权查看的数据。",
    auth=[TokenAuth(), ActiveSessionAuth()],
    urls_namespace="api",
)
errors.install(api)


def _mount() -> None:
    from ecoinspect.dashboard.api import router as dashboard_router
    from ecoinspect.notifications.api import router as notifications_router
    from ecoinspect.orgs.api import router as orgs_router

    api.add_router("/", orgs_router)
    api.add_router("/", dashboard_router)
    api.add_router("/notifications", notifications_router)
    for extra in API_ROUTERS:
        module_name, attr, prefix = extra
        module = __import__(module_name, fromlist=[attr])
        api.add_router(prefix, getattr(module, attr))


#: Routers of later apps: (module, attribute, prefix). Each app adds its own line.
API_ROUTERS: list[tuple[str, str, str]] = [
    ("ecoinspect.ledger.api", "router", "/ledger"),
]

_mount()
