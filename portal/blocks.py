"""StreamField blocks for structured documents: law and 公文 text, discretion rows, workflow steps.

A regulation's body is the reading order of its text (lib.lawtext.document_to_stream):
divisions and articles for a law, provisions for a 公文, passages for every other line
(标题, 发文字号, 主送机关, 沿革, 目录, 落款, 附件, 抄送 …), so that no character of a source is lost.
"""
from wagtail import blocks
from wagtail.snippets.blocks import SnippetChooserBlock

from lib.lawtext import PASSAGE_ROLES, PROVISION_LEVELS


class DivisionBlock(blocks.StructBlock):
    """A heading of the law's structure: 编, 章, 节 (or 一、二、 parts of a notice)."""

    kind = blocks.ChoiceBlock(
        label="层级",
        choices=[("编", "编"), ("章", "章"), ("节", "节"), ("部分", "部分"), ("其他", "其他（无编号标题）")],
        default="章",
    )
    label = blocks.CharBlock(label="编号", help_text="例如：第一章", required=False, max_length=20)
    title = blocks.CharBlock(label="标题", required=False, max_length=200)
    written = blocks.CharBlock(label="原文写法", required=False, max_length=200,
                               help_text="原文标题写法与编号不同时（如“第1章 总则”）保留原文，导出时使用")

    class Meta:
        icon = "title"
        label = "编/章/节"
        template = "portal/blocks/division.html"


class ArticleBlock(blocks.StructBlock):
    """One 条 with its 款 (one per line) and 项; its label is its stable anchor."""

    label = blocks.CharBlock(label="条号", help_text="例如：第十二条、第十条之一", max_length=30)
    heading = blocks.CharBlock(label="条标题", required=False, max_length=100)
    text = blocks.TextBlock(label="条文", help_text="每款、每项一行")
    written = blocks.CharBlock(label="原文写法", required=False, max_length=130,
                               help_text="原文条号写法与条号不同时（如“第12条”“第一条（立法目的）”）保留原文，导出时使用")

    class Meta:
        icon = "list-ol"
        label = "条"
        template = "portal/blocks/article.html"


class ProvisionBlock(blocks.StructBlock):
    """One numbered provision of a 公文 (一、 / （一） / 1． / （1） / ①); its anchor is stable and unique."""

    level = blocks.ChoiceBlock(label="层级", choices=[(str(k), v) for k, v in PROVISION_LEVELS.items()], default="1")
    marker = blocks.CharBlock(label="原文编号", help_text="如：二、（四）3．（1）①", max_length=20)
    label = blocks.CharBlock(label="引用编号", help_text="按本文件编号的完整路径，如：二（四）3（1）", max_length=60)
    anchor = blocks.CharBlock(label="锚点", help_text="文内唯一；重复的编号序列加“-2”等", max_length=70)
    title = blocks.CharBlock(label="标题", required=False, max_length=200)
    text = blocks.TextBlock(label="正文", required=False, help_text="本项自身的段落，每段一行（不含下级各项）")

    class Meta:
        icon = "list-ol"
        label = "公文条目"
        template = "portal/blocks/provision.html"


class PassageBlock(blocks.StructBlock):
    """A line outside the numbered structure, with its role: 标题, 发文字号, 主送机关, 沿革, 落款, 附件, 抄送 …"""

    role = blocks.ChoiceBlock(label="类型", choices=list(PASSAGE_ROLES.items()), default="text")
    owner = blocks.CharBlock(label="所属条目", required=False, max_length=70,
                             help_text="接续某一公文条目的段落：该条目的锚点；否则留空")
    text = blocks.TextBlock(label="文字")

    class Meta:
        icon = "pilcrow"
        label = "段落（带类型）"
        template = "portal/blocks/passage.html"


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
