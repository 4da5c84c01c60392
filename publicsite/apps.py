from django.apps import AppConfig


class PublicSiteConfig(AppConfig):
    """What the public reads besides the pages: feeds, sitemap, API v2 and the page cache."""

    name = "publicsite"
    label = "publicsite"
    verbose_name = "公众网站"

    def ready(self):
        from publicsite import pagecache  # connects signals to models: only once the apps are loaded

        pagecache.connect_signals()
