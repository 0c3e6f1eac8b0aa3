from __future__ import annotations

from django.contrib.auth.signals import user_logged_in, user_login_failed
from django.dispatch import receiver

from .auth import client_ip
from .services import login_attempt_record


@receiver(user_logged_in)
def _logged_in(sender, request, user, **kwargs):
    login_attempt_record(username=user.username, ip_address=client_ip(request), succeeded=True, user=user)


@receiver(user_login_failed)
def _login_failed(sender, credentials, request=None, **kwargs):
    username = credentials.get("username") or ""
    from .selectors import login_is_throttled

    throttled = login_is_throttled(username=username, ip_address=client_ip(request))
    login_attempt_record(
        username=username, ip_address=client_ip(request), succeeded=False, throttled=throttled
    )
