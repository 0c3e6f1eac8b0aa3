"""The JSON API at /api/v1/: session or bearer-token authentication, the pages' own scoping.

Every app mounts its own router by declaring ``api_routers = ((prefix, "module:attribute"), ...)`` on its
AppConfig; nothing here names an app.
"""

from __future__ import annotations

import importlib

from django.apps import apps
from ninja import NinjaAPI

from ecoinspect.core.api import install_error_handlers

from .auth import ActiveSessionAuth, TokenAuth, signed_in_only

api = NinjaAPI(
    title="ecoinspect API",
    version="1",
    description="生态环境保护督察迎检系统接口。与页面相同的权限范围：每个请求只看到本单位有权查看的数据。",
    auth=[TokenAuth(), ActiveSessionAuth()],
    urls_namespace="api",
    docs_decorator=signed_in_only,  # the schema and the docs page: signed-in people and tokens only
)
install_error_handlers(api)


def _mount() -> None:
    for config in apps.get_app_configs():
        for prefix, target in getattr(config, "api_routers", ()):
            module_name, attribute = target.split(":")
            api.add_router(prefix, getattr(importlib.import_module(module_name), attribute))


_mount()
