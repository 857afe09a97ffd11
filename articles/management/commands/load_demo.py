import datetime as dt
import secrets
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from articles.importing import IMPORTED, UPDATED, import_post
from articles.jekyll import find_posts, read_post
from articles.models import Status
from articles.workflow import apply_transition

DEMO_POSTS = Path(__file__).resolve().parents[2] / "demo"

# The demo files are dated around this day; loading shifts every date by whole days
# so that today keeps the same place among them: most are already published and one
# stays scheduled a few days ahead, whenever the demo is loaded.
DEMO_TODAY = dt.date(2026, 11, 27)

DEMO_USERS = [
    # username, first name, superuser, group
    ("admin", "管理者", True, None),
    ("editor", "編集 太郎", False, "Editors"),
    ("writer", "記者 花子", False, "Writers"),
]
# This demo draft waits in the editors' review queue.
DEMO_SUBMITTED = "quantum-roadmap"


class Command(BaseCommand):
    help = (
        "Load demo articles and demo accounts (admin, editor, writer) with fresh random "
        "passwords, printed once. For local development only."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--force", action="store_true", help="Load the demo even with DEBUG off (it sets known accounts)."
        )

    def handle(self, *args, force, **options):
        if not settings.DEBUG and not force:
            raise CommandError(
                "load_demo creates accounts and articles for local development; DEBUG is off, so this looks like "
                "production. Use --force if you really mean it."
            )
        with transaction.atomic():
            passwords = self._users()
            articles = self._articles()
        self.stdout.write(self.style.SUCCESS(f"{len(articles)} demo articles loaded."))
        for article in articles:
            state = "scheduled" if article.is_scheduled else article.get_status_display()
            self.stdout.write(f"  [{state}] {article.title}")
        self.stdout.write("Demo accounts (passwords are new on every run):")
        for username, password in passwords.items():
            self.stdout.write(f"  {username:<8} {password}")

    def _users(self):
        User = get_user_model()
        passwords = {}
        for username, full_name, is_superuser, group in DEMO_USERS:
            user, _ = User.objects.get_or_create(username=username)
            # Japanese names: family name first, kept whole so get_full_name() shows it as written.
            user.first_name, user.last_name = full_name, ""
            user.email = f"{username}@example.com"
            user.is_superuser = is_superuser
            # Editors look after categories and company aliases in the admin.
            user.is_staff = is_superuser or group == "Editors"
            passwords[username] = secrets.token_urlsafe(12)
            user.set_password(passwords[username])
            user.save()
            if group:
                user.groups.add(Group.objects.get(name=group))
        return passwords

    def _articles(self):
        writer = get_user_model().objects.get(username="writer")
        shift = timezone.localdate() - DEMO_TODAY
        articles = []
        for path in find_posts([DEMO_POSTS]):
            result = import_post(read_post(path), owner=writer)
            article = result.article
            # Dated as if written the days before today, once: an article the import
            # left as it was has its days already.
            if article.published_at and result.outcome in (IMPORTED, UPDATED):
                article.published_at += shift
                article.last_published_at = article.published_at
                article.save(update_fields=["published_at", "last_published_at"])
            if article.slug == DEMO_SUBMITTED and article.status == Status.DRAFT:
                apply_transition(article, "submit", writer)
            articles.append(article)
        return articles
