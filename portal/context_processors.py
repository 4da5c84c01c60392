from django.conf import settings


def portal(request):
    """Return the names every template needs: site name and the visitor's department."""
    user = getattr(request, "user", None)
    return {
        "site_name": settings.WAGTAIL_SITE_NAME,
        "user_department": getattr(user, "department", None) if user and user.is_authenticated else None,
    }
