from axes.apps import AppConfig as AxesConfig
from django.apps import AppConfig
from django.core import checks
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _
from django_tasks_db.apps import TasksAppConfig


class ArticlesConfig(AppConfig):
    name = "articles"
    verbose_name = _("Articles")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from . import caching, system_checks

        caching.connect_signals()
        checks.register(system_checks.postgres_ctype_handles_japanese, checks.Tags.database)
        checks.register(system_checks.shared_cache, checks.Tags.caches, deploy=True)
        post_migrate.connect(_restore_search_index, sender=self)


# Other apps' sections of the admin, named in the desk's language (their own names are
# English only: 「AXES」, 「TASKS DATABASE BACKEND」).
class LoginAttemptsConfig(AxesConfig):
    verbose_name = _("Login attempts")


class BackgroundTasksConfig(TasksAppConfig):
    verbose_name = _("Background tasks")


def _restore_search_index(using, **kwargs):
    """On SQLite, altering the article table rebuilds it and drops the search triggers."""
    from django.db import connections

    from .search import install_index

    install_index(connections[using])
