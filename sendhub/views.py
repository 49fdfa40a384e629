from django.contrib import messages
from django.http import HttpResponseRedirect, HttpResponseServerError, JsonResponse
from django.shortcuts import render
from django.template import loader
from django.utils.http import url_has_allowed_host_and_scheme
from django.views import View
from django.views.decorators.cache import never_cache
from django.views.generic import TemplateView

from sendhub.access import RulePermissionMixin, public
from sendhub.health import check_broker, check_database
from sendhub.tenancy import ACTIVE_SCHOOL_SESSION_KEY


class HomeView(RulePermissionMixin, TemplateView):
    """Who you are, where you are acting, and what you can open from here."""

    permission_required = "sendhub.view_home"
    template_name = "home.html"


class SwitchSchoolView(RulePermissionMixin, View):
    """Act in another school in which the user holds a membership."""

    permission_required = "sendhub.switch_school"
    http_method_names = ["post"]

    def post(self, request):
        try:
            school_id = int(request.POST.get("school", ""))
        except ValueError:
            school_id = None
        chosen = next((m for m in request.memberships if m.school_id == school_id), None)
        if chosen is None:
            messages.error(request, "You do not work in that school.")
        else:
            request.session[ACTIVE_SCHOOL_SESSION_KEY] = chosen.school_id
            messages.success(request, f"You are now working in {chosen.school.name}.")
        target = request.POST.get("next", "/")
        if not url_has_allowed_host_and_scheme(
            target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        ):
            target = "/"
        return HttpResponseRedirect(target)


@public("load balancers and the container health check probe it")
@never_cache
def healthz(request):
    checks = {"database": check_database(), "broker": check_broker()}
    healthy = all(check["ok"] for check in checks.values())
    return JsonResponse(
        {"status": "ok" if healthy else "unavailable", **checks}, status=200 if healthy else 503
    )


@public("database-only probe; also the one-query baseline page of `manage.py bench`")
@never_cache
def healthz_db(request):
    check = check_database()
    return JsonResponse(
        {"status": "ok" if check["ok"] else "unavailable", "database": check},
        status=200 if check["ok"] else 503,
    )


def error_403(request, exception=None):
    return render(request, "403.html", status=403)


def error_404(request, exception=None):
    return render(request, "404.html", status=404)


def error_500(request):
    # Rendered without the request's context: the database may be what failed.
    return HttpResponseServerError(loader.get_template("500.html").render({}))
