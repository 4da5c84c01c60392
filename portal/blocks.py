"""StreamField blocks for structured documents: law text, discretion rows, workflow steps."""
from wagtail import blocks
from wagtail.snippets.blocks import SnippetChooserBlock


class DivisionBlock(blocks.StructBlock):
    """A heading of the law's structure: 编, 章, 节 (or 一、二、 parts of a notice)."""

    kind = blocks.ChoiceBlock(
        label="层级",
        choices=[("编", "编"), ("章", "章"), ("节", "节"), ("部分", "部分")],
        default="章",
    )
    label = blocks.CharBlock(label="编号", help_text="例如：第一章", max_length=20)
    title = blocks.CharBlock(label="标题", required=False, max_length=200)

    class Meta:
        icon = "title"
        label = "编/章/节"
        template = "portal/blocks/division.html"


class ArticleBlock(blocks.StructBlock):
    """One 条 with its 款 (one per line) and 项; its label is its stable anchor."""

    label = blocks.CharBlock(label="条号", help_text="例如：第十二条、第十条之一", max_length=30)
    heading = blocks.CharBlock(label="条标题", required=False, max_length=100)
    text = blocks.TextBlock(label="条文", help_text="每款、每项一行")

    class Meta:
        icon = "list-ol"
        label = "条"
        template = "portal/blocks/article.html"


class PreambleBlock(blocks.TextBlock):
    class Meta:
        icon = "pilcrow"
        label = "段落"
        template = "portal/blocks/paragraph.html"


class DiscretionRowBlock(blocks.StructBlock):
    """One row of a discretion standard, citable on its own."""

    violation = blocks.CharBlock(label="违法行为", max_length=300)
    legal_basis = blocks.TextBlock(label="法律依据")
    penalty_basis = blocks.TextBlock(label="处罚依据")
    level = blocks.TextBlock(label="违法情节/裁量阶次")
    standard = blocks.TextBlock(label="处罚标准/裁量幅度")
    conditions = blocks.TextBlock(label="适用条件", required=False)

    class Meta:
        icon = "table"
        label = "裁量基准行"


class WorkflowStepBlock(blocks.StructBlock):
    """One step of an enforcement workflow."""

    name = blocks.CharBlock(label="环节", max_length=100)
    department = SnippetChooserBlock("portal.Department", label="责任部门", required=False)
    time_limit_days = blocks.IntegerBlock(label="时限（工作日）", required=False, min_value=0)
    basis = blocks.TextBlock(label="依据", required=False)
    materials = blocks.TextBlock(label="所需材料", required=False)

    class Meta:
        icon = "arrow-right"
        label = "环节"
