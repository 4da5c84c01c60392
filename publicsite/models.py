"""The site's identification (网站标识): who runs the public site and its registration numbers, shown in every footer.

One record per Wagtail site (``wagtail.contrib.settings``), edited in the admin under 设置 › 网站标识.
Every field but 主办单位 may stay empty: the footer shows only what is filled, and nothing is made up.
The two registration numbers link to the registries that issued them, as those registries require:
the ICP number to the MIIT's ICP/IP地址/域名信息备案管理系统, the 公安机关备案号 to the record's page on
全国互联网安全管理服务平台 (the 14-digit record code in its query address).
"""
import re

from django.core.validators import RegexValidator
from django.db import models
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting

ICP_REGISTRY_URL = "https://beian.miit.gov.cn/"
POLICE_RECORD_URL = "https://beian.mps.gov.cn/#/query/webSearch?code={code}"

WEBSITE_CODE = re.compile(r"(?:[0-9]{10}|bm[0-9]{8})")
ICP_NUMBER = re.compile(r"[\u4e00-\u9fff]ICP备[0-9]{6,12}号(?:-[0-9]{1,3})?")
POLICE_RECORD = re.compile(r"[\u4e00-\u9fff]公网安备 ?([0-9]{14})号")
PHONE = re.compile(r"[0-9()+\- ]{5,30}(?:[，,、；;/] ?[0-9()+\- ]{5,30})*")


def police_record_code(number: str) -> str:
    """Return the 14-digit record code of a 公安机关备案号 ("鲁公网安备 <14 digits>号" → the digits), or ""."""
    match = POLICE_RECORD.fullmatch((number or "").strip())
    return match.group(1) if match else ""


@register_setting(icon="site")
class SiteIdentification(BaseSiteSetting):
    sponsor = models.CharField("主办单位", max_length=100,
                               help_text="网站的主办单位全称，如“淄博市周村区综合行政执法局”")
    organizer = models.CharField("承办单位", max_length=100, blank=True, help_text="负责网站日常运行维护的单位；没有可留空")
    address = models.CharField("地址", max_length=200, blank=True)
    phone = models.CharField(
        "电话", max_length=100, blank=True,
        validators=[RegexValidator(f"^{PHONE.pattern}$", "请填写电话号码（区号-号码，只用数字、连字符和括号）；多个号码用顿号分隔。")],
    )
    email = models.EmailField("邮箱", blank=True)
    website_code = models.CharField(
        "网站标识码", max_length=10, blank=True,
        validators=[RegexValidator(f"^{WEBSITE_CODE.pattern}$", "网站标识码为10位：10位数字，或 bm 加8位数字。")],
        help_text="全国政府网站基本信息数据库分配的网站标识码，以正式通知为准；没有可留空",
    )
    icp_number = models.CharField(
        "ICP备案号", max_length=40, blank=True,
        validators=[RegexValidator(f"^{ICP_NUMBER.pattern}$", "ICP备案号的格式为：省份简称＋“ICP备”＋数字＋“号”，可带“-序号”。")],
        help_text="工业和信息化部ICP备案号，页脚链接到ICP/IP地址/域名信息备案管理系统；没有可留空",
    )
    police_record_number = models.CharField(
        "公安机关备案号", max_length=40, blank=True,
        validators=[RegexValidator(f"^{POLICE_RECORD.pattern}$",
                                   "公安机关备案号的格式为：省份简称＋“公网安备”＋14位数字＋“号”。")],
        help_text="全国互联网安全管理服务平台颁发的备案编号，页脚链接到该平台的备案信息查询；没有可留空",
    )

    panels = [
        MultiFieldPanel([FieldPanel("sponsor"), FieldPanel("organizer")], heading="主办与承办"),
        MultiFieldPanel([FieldPanel("address"), FieldRowPanel([FieldPanel("phone"), FieldPanel("email")])],
                        heading="联系方式"),
        MultiFieldPanel([FieldPanel("website_code"), FieldPanel("icp_number"), FieldPanel("police_record_number")],
                        heading="网站标识与备案"),
    ]

    class Meta:
        verbose_name = "网站标识"
        verbose_name_plural = "网站标识"

    @property
    def icp_url(self) -> str:
        return ICP_REGISTRY_URL if self.icp_number else ""

    @property
    def police_record_url(self) -> str:
        code = police_record_code(self.police_record_number)
        return POLICE_RECORD_URL.format(code=code) if code else ""

    def has_contact(self) -> bool:
        return bool(self.address or self.phone or self.email)
