"""Template tags of the public site's footer: the site's identification (publicsite.models.SiteIdentification)."""
from django import template
from wagtail.models import Site

from publicsite.models import SiteIdentification

register = template.Library()


@register.inclusion_tag("publicsite/includes/site_footer.html", takes_context=True)
def site_footer(context):
    """Render the footer: 主办/承办单位, 联系方式, 网站标识码 and the two registration numbers that are filled in,
    and the links to the 网站地图."""
    request = context.get("request")
    site = Site.find_for_request(request) if request is not None else None
    # Read, never created here: a GET must not write (SiteIdentification.for_request would insert a blank row).
    identification = SiteIdentification.objects.filter(site=site).first() if site is not None else None
    return {"request": request, "site_name": context.get("site_name"), "identification": identification}
