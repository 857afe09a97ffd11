import datetime as dt
import hashlib
import io
import secrets
import shutil
import tempfile
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone, translation
from PIL import Image, ImageColor, ImageDraw

from articles.jekyll.importing import IMPORTED, UPDATED, import_post
from articles.jekyll.posts import find_posts, read_post
from articles.models import Article, AuthorProfile, Status
from articles.publishing.workflow import apply_transition

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
        "Load the demo articles and accounts (admin, editor, writer) once; their random "
        "passwords are printed on every run. For local development only."
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
        # Made once: a second run (`make run` again) changes nothing, so that nobody is
        # logged out and no edit, state or mail of the desk's is undone or repeated.
        with transaction.atomic():
            passwords = self._users()
            articles, loaded = self._articles()
        with translation.override(settings.LANGUAGE_CODE):
            if loaded:
                self.stdout.write(self.style.SUCCESS(f"{loaded} demo articles loaded."))
            else:
                self.stdout.write("The demo was loaded before: nothing changed.")
            for article in articles:
                self.stdout.write(f"  [{article.state_label}] {article.title}")
        self.stdout.write("Demo accounts:")
        for username, password in passwords.items():
            shown = password or f"(changed since; to set one: manage.py changepassword {username})"
            self.stdout.write(f"  {username:<8} {shown}")

    def _users(self):
        """The demo accounts, made once with random passwords kept in
        EDITORIAL_DEMO_ACCOUNTS_FILE (readable by this user only) to be shown again."""
        User = get_user_model()
        remembered = _read_accounts()
        passwords = {}
        for username, full_name, is_superuser, group in DEMO_USERS:
            user, created = User.objects.get_or_create(username=username)
            if created:
                # Japanese names: family name first, kept whole so get_full_name() shows it as written.
                user.first_name, user.last_name = full_name, ""
                user.email = f"{username}@example.com"
                user.is_superuser = is_superuser
                # Editors look after categories and company aliases in the admin.
                user.is_staff = is_superuser or group == "Editors"
                remembered[username] = secrets.token_urlsafe(12)
                user.set_password(remembered[username])
                user.save()
                if group:
                    user.groups.add(Group.objects.get(name=group))
                if group == "Writers":
                    # Readers meet the demo's writer on a page of her own (bylines link there).
                    AuthorProfile.objects.create(
                        user=user, name=full_name, slug=username,
                        bio="半導体とAIの現場を取材する記者。デモ用の架空の人物です。",
                    )
            password = remembered.get(username)
            passwords[username] = password if password and user.check_password(password) else None
        _write_accounts(remembered)
        return passwords

    def _articles(self):
        writer = get_user_model().objects.get(username="writer")
        shift = timezone.localdate() - DEMO_TODAY
        articles, loaded = [], 0
        for path in find_posts([DEMO_POSTS]):
            post = read_post(path)
            existing = Article.objects.filter(jekyll_key=post.key).first()
            if existing is not None:
                articles.append(existing)  # the desk's now, as it left it
                continue
            with tempfile.TemporaryDirectory() as folder:
                # Each demo article gets a cover of its own, drawn here and imported as a
                # site's picture would be: the front page and the cards show pictures.
                root = Path(folder)
                (root / "covers").mkdir()
                (root / "covers" / f"{path.stem}.png").write_bytes(demo_cover(path.stem))
                shutil.copy(path, root / path.name)
                post = read_post(root / path.name)
                post.image = f"/covers/{path.stem}.png"
                result = import_post(post, owner=writer)
            article = result.article
            loaded += 1
            # Dated as if written the days before today.
            if article.published_at and result.outcome in (IMPORTED, UPDATED):
                article.published_at += shift
                article.last_published_at = article.published_at
                article.save(update_fields=["published_at", "last_published_at"])
            if article.slug == DEMO_SUBMITTED and article.status == Status.DRAFT:
                apply_transition(article, "submit", writer)
            articles.append(article)
        return articles, loaded


def demo_cover(name, size=(1600, 900)):
    """A made-up picture for a demo article: bands and circles in colours of its own
    (from its name), as a PNG. Nobody's photograph."""
    seed = int(hashlib.sha256(name.encode()).hexdigest(), 16)
    hue = seed % 360
    image = Image.new("RGB", size)
    draw = ImageDraw.Draw(image)
    for band in range(12):
        shade = ImageColor.getrgb(f"hsl({(hue + band * 4) % 360}, 55%, {22 + band * 4}%)")
        draw.rectangle([0, band * size[1] // 12, size[0], (band + 1) * size[1] // 12], fill=shade)
    for ring in range(5):
        radius = 80 + (seed >> (ring * 5)) % 220
        x, y = (seed >> (ring * 7)) % size[0], (seed >> (ring * 11)) % size[1]
        colour = ImageColor.getrgb(f"hsl({(hue + 150 + ring * 20) % 360}, 70%, 60%)")
        draw.ellipse([x - radius, y - radius, x + radius, y + radius], outline=colour, width=18)
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()


def _read_accounts():
    path = Path(settings.EDITORIAL_DEMO_ACCOUNTS_FILE)
    try:
        return dict(line.split(" ", 1) for line in path.read_text().splitlines() if " " in line)
    except FileNotFoundError:
        return {}


def _write_accounts(accounts):
    path = Path(settings.EDITORIAL_DEMO_ACCOUNTS_FILE)
    path.touch(mode=0o600, exist_ok=True)
    path.write_text("".join(f"{name} {password}\n" for name, password in accounts.items()))
