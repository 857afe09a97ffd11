"""Other projects' apps as this site installs them: their sections of the admin named in
the desk's language (their own names are English only: 「AXES」, 「TASKS DATABASE BACKEND」)."""

from axes.apps import AppConfig as AxesConfig
from django.utils.translation import gettext_lazy as _
from django_tasks_db.apps import TasksAppConfig


class LoginAttemptsConfig(AxesConfig):
    verbose_name = _("Login attempts")


class BackgroundTasksConfig(TasksAppConfig):
    verbose_name = _("Background tasks")
