"""The app of 区编办 and 区政府法制办's door: disputes (二（一）, 二（四）3), 责任追究 (二（四）7), 监督检查 (三（二）)."""
from django.apps import AppConfig


class CoordinationConfig(AppConfig):
    name = "coordination"
    label = "coordination"
    verbose_name = "协调监督"
    default_auto_field = "django.db.models.BigAutoField"
