from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from .selectors import home_context


@login_required
def home(request):
    return render(request, "dashboard/home.html", home_context(user=request.user))
