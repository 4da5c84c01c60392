from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from portal.models import Department


class DepartmentViewSet(SnippetViewSet):
    model = Department
    icon = "group"
    menu_label = "部门"
    menu_order = 200
    add_to_admin_menu = True
    list_display = ["name", "short_name", "code", "leader", "is_member"]
    search_fields = ["name", "short_name", "aliases", "code"]


register_snippet(DepartmentViewSet)
