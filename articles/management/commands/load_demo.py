import datetime as dt
import secrets
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from articles.importing import import_post
from articles.jekyll import find_posts, read_post

DEMO_POSTS = Path(__file__).resolve().parents[2] / "demo"

# The demo files are dated around this day; loading shifts every date by whole days
# so that today keeps the same place among them: most are already published and one
# stays scheduled a few days ahead, whenever the demo is loaded.
DEMO_TODAY = dt.date(2026, 11, 27)

DEMO_USERS = [
    # username, first name, superuser
    ("admin", "管理者", True),
    ("editor", "編集者", False),
    ("writer", "記者", False),
]


class Command(BaseCommand):
    help = (
        "Load demo articles and demo accounts (admin, editor, writer) with fresh random "
        "passwords, printed once. For local development only."
    )

    def handle(self, *args, **options):
        with transaction.atomic():
            passwords = self._users()
            articles = self._articles()
        self.stdout.write(self.style.SUCCESS(f"{len(articles)} demo articles loaded."))
        for article in articles:
            state = "scheduled" if article.published_at > timezone.now() else article.status
            self.stdout.write(f"  [{state}] {article.title}")
        self.stdout.write("Demo accounts (passwords are new on every run):")
        for username, password in passwords.items():
            self.stdout.write(f"  {username:<8} {password}")

    def _users(self):
        User = get_user_model()
        passwords = {}
        for username, first_name, is_superuser in DEMO_USERS:
            user, _ = User.objects.get_or_create(username=username)
            user.first_name = first_name
            user.email = f"{username}@example.com"
            user.is_staff = user.is_superuser = is_superuser
            passwords[username] = secrets.token_urlsafe(12)
            user.set_password(passwords[username])
            user.save()
        return passwords

    def _articles(self):
        writer = get_user_model().objects.get(username="writer")
        shift = timezone.localdate() - DEMO_TODAY
        articles = []
        for path in find_posts([DEMO_POSTS]):
            article = import_post(read_post(path), owner=writer).article
            if article.published_at:
                article.published_at += shift
                article.save(update_fields=["published_at"])
            articles.append(article)
        return articles
