from django.apps import AppConfig
from django.core import checks
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class ArticlesConfig(AppConfig):
    name = "articles"
    verbose_name = _("Articles")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from articles import signals, system_checks
        from articles.media import images, pictures
        from articles.publishing import columns, expiry, notifications
        from articles.reading import caching, public_changes
        from articles.rendering import markdown

        markdown.use_picture_data(pictures.data_for)
        public_changes.connect_signals()
        caching.on_came_due(expiry.came_due)
        signals.transition_recorded.connect(images.uses_after_transition, dispatch_uid="images-after-transition")
        signals.transition_recorded.connect(notifications.transition_recorded, dispatch_uid="inbox-after-transition")
        signals.picture_changed.connect(columns.refresh_articles_showing, dispatch_uid="desk-after-picture")
        checks.register(system_checks.postgres_ctype_handles_japanese, checks.Tags.database)
        checks.register(system_checks.shared_cache, checks.Tags.caches, deploy=True)
        post_migrate.connect(_restore_search_index, sender=self)


def _restore_search_index(using, **kwargs):
    """On SQLite, altering the article table rebuilds it and drops the search triggers."""
    from django.db import connections

    from articles.reading.search import install_index

    install_index(connections[using])
