"""效力位阶 (regulation_kind: 宪法 added, may stay empty when the text does not tell) and the 修正/修订 history
read from a regulation's amendment block; existing pages get theirs from the 沿革 passage of their body."""

from django.db import migrations, models

from lib.textmeta import parse_history


def fill_history(apps, schema_editor):
    """Store the amendment block of every existing regulation (its body's 沿革 passage) as amendment_history."""
    RegulationPage = apps.get_model("portal", "RegulationPage")
    for page in RegulationPage.objects.only("pk", "body").iterator():
        lines = []
        for block in page.body.raw_data:
            value = block.get("value") or {}
            if block.get("type") == "passage" and isinstance(value, dict) and value.get("role") == "history":
                lines += [line for line in str(value.get("text") or "").split("\n") if line.strip()]
        if lines:
            events, _ = parse_history(lines)
            RegulationPage.objects.filter(pk=page.pk).update(amendment_history=[e.as_dict() for e in events])


class Migration(migrations.Migration):

    dependencies = [
        ('portal', '0009_regulation_body_gongwen_blocks'),
    ]

    operations = [
        migrations.AddField(
            model_name='regulationpage',
            name='amendment_history',
            field=models.JSONField(blank=True, default=list, editable=False, verbose_name='修正/修订沿革'),
        ),
        migrations.AlterField(
            model_name='regulationpage',
            name='regulation_kind',
            field=models.CharField(blank=True, choices=[('constitution', '宪法'), ('law', '法律'), ('admin_regulation', '行政法规'), ('local_regulation', '地方性法规'), ('rule', '规章'), ('normative', '规范性文件'), ('judicial', '司法解释'), ('technical', '技术规范'), ('standard', '国家标准')], default='normative', help_text='法律、行政法规、地方性法规、规章、规范性文件、司法解释等；导入的文本由制定机关读出，正文未载明的留空', max_length=20, verbose_name='效力位阶'),
        ),
        migrations.RunPython(fill_history, migrations.RunPython.noop),
    ]
