"""The queue of index updates, and the embedded FTS5 index tables inside the SQLite database.

The FTS5 tables are created by a migration (not lazily on first use) so that they exist in every
database the project migrates, test databases included, where a table created inside a test's
transaction would vanish with its rollback.  On PostgreSQL nothing is created here: the embedded
index then lives in its own SQLite file (settings.SEARCH_SQLITE_PATH).
"""
from django.db import migrations, models


def create_fts5_tables(apps, schema_editor):
    if schema_editor.connection.vendor != "sqlite":
        return
    from search.backends.fts5 import FTS5Backend

    schema_editor.connection.ensure_connection()
    FTS5Backend(connection=schema_editor.connection.connection)  # creates the tables if missing


def drop_fts5_tables(apps, schema_editor):
    if schema_editor.connection.vendor != "sqlite":
        return
    for statement in ("DROP TABLE IF EXISTS searchidx_fts", "DROP TABLE IF EXISTS searchidx_key", "DROP TABLE IF EXISTS searchidx_doc",
                      "DROP TABLE IF EXISTS searchidx_meta"):
        schema_editor.execute(statement)


class Migration(migrations.Migration):
    initial = True
    dependencies: list = []

    operations = [
        migrations.CreateModel(
            name="PendingIndexUpdate",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("page_id", models.PositiveIntegerField(unique=True, verbose_name="页面 ID")),
                ("queued_at", models.DateTimeField(auto_now=True, verbose_name="排队时间")),
                ("attempts", models.PositiveIntegerField(default=1, verbose_name="尝试次数")),
                ("last_error", models.TextField(blank=True, verbose_name="最近错误")),
            ],
            options={"verbose_name": "待同步的索引更新", "verbose_name_plural": "待同步的索引更新",
                     "ordering": ["queued_at"]},
        ),
        migrations.RunPython(create_fts5_tables, drop_fts5_tables),
    ]
