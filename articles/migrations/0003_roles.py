"""The desk's two roles, as groups with their permissions.

Writers create articles and edit their own drafts; editors also review, approve,
publish and unpublish any article. Who may take which action is decided in
articles/workflow.py from these permissions.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

ROLES = {
    "Writers": [
        "add_article", "change_article", "view_article", "view_category",
        "view_companytag", "view_topictag", "add_comment", "view_comment", "view_revision",
    ],
    "Editors": [
        "add_article", "change_article", "view_article", "review_article",
        "add_category", "change_category", "view_category",
        "add_companytag", "change_companytag", "view_companytag",
        "add_topictag", "change_topictag", "view_topictag",
        "add_comment", "view_comment", "view_revision", "view_transition",
    ],
}


def create_roles(apps, schema_editor):
    # Permissions are normally created after all migrations; the groups need them now.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, codenames in ROLES.items():
        group, _ = Group.objects.get_or_create(name=name)
        group.permissions.add(*Permission.objects.filter(content_type__app_label="articles", codename__in=codenames))


def remove_roles(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=ROLES).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0002_known_companies"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]
    operations = [migrations.RunPython(create_roles, remove_roles)]
