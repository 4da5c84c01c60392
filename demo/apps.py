from django.apps import AppConfig


class DemoConfig(AppConfig):
    """``load_demo``: the demo content set in 周村区, and its demo accounts."""

    name = "demo"
    label = "demo"
    verbose_name = "演示内容"
