from django.conf import settings


def portal(request):
    """Return the names every template needs: site name, the visitor's department, whether this is the print view."""
    user = getattr(request, "user", None)
    return {
        "site_name": settings.WAGTAIL_SITE_NAME,
        "user_department": getattr(user, "department", None) if user and user.is_authenticated else None,
        # ?print=1: any page as printed (base.html applies print.css on screen and hides the navigation).
        "print_view": request.GET.get("print") == "1",
    }
