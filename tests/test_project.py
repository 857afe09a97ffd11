"""The project as a whole: settings, migrations, the seeded vocabulary, the demo."""

import os
import re
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import IntegrityError
from django.http import HttpRequest
from django.utils import timezone

from articles.models import Article, CompanyTag, Status

ROOT = Path(__file__).resolve().parents[1]


def import_settings(**env):
    environment = {k: v for k, v in os.environ.items() if k not in {"SECRET_KEY", "DEBUG"}}
    environment.update(env)
    return subprocess.run(
        [sys.executable, "-c", "import editorial.settings"],
        cwd=ROOT, env=environment, capture_output=True, text=True, check=False,
    )


def test_the_code_map_names_every_module():
    """docs/architecture.md is the map a newcomer reads first (issue 22): every module of
    the app is named there, by its path or by its name in its folder's row."""
    text = (ROOT / "docs" / "architecture.md").read_text(encoding="utf-8")
    missing = []
    for path in sorted((ROOT / "articles").rglob("*.py")):
        relative = path.relative_to(ROOT).as_posix()
        if "/migrations/" in relative or path.name == "__init__.py":
            continue
        folder = relative.rsplit("/", 1)[0] + "/"
        if relative not in text and not (folder in text and f"`{path.stem}`" in text):
            missing.append(relative)
    assert not missing, f"not on the map in docs/architecture.md: {missing}"


def test_production_refuses_to_start_without_a_secret_key():
    result = import_settings(DEBUG="0")
    assert result.returncode != 0
    assert "SECRET_KEY is not set" in result.stderr


def test_production_refuses_the_development_key():
    result = import_settings(
        DEBUG="0", SECRET_KEY="django-insecure-development-only-key-do-not-use-in-production"
    )
    assert result.returncode != 0 and "development key" in result.stderr


def test_development_and_configured_production_start():
    assert import_settings(DEBUG="1").returncode == 0
    assert import_settings(DEBUG="0", SECRET_KEY="a-real-secret-from-the-environment").returncode == 0


def test_site_defaults(settings):
    assert settings.LANGUAGE_CODE == "ja"
    assert settings.TIME_ZONE == "Asia/Tokyo" and settings.USE_TZ
    # Django's LocaleMiddleware, readers' pages taking their language from the address.
    assert "articles.middleware.LanguageMiddleware" in settings.MIDDLEWARE


@pytest.mark.django_db
def test_no_model_changes_without_a_migration():
    out = StringIO()
    call_command("makemigrations", "--check", "--dry-run", stdout=out)
    assert "No changes detected" in out.getvalue()


@pytest.mark.django_db
def test_known_companies_are_seeded_with_aliases():
    names = set(CompanyTag.objects.values_list("name", flat=True))
    assert {"NVIDIA", "AMD", "Intel", "Google", "Amazon", "Apple", "Microsoft", "Meta", "OpenAI",
            "Anthropic", "TSMC", "Samsung", "SoftBank", "Sony", "Toyota", "IBM", "Oracle", "Arm",
            "Qualcomm", "Tesla"} <= names
    amazon = CompanyTag.objects.get(name="Amazon")
    assert {"AWS", "アマゾン"} <= set(amazon.alias_list)


@pytest.mark.django_db
def test_the_database_refuses_an_unknown_status(make_article):
    article = make_article(status=Status.DRAFT)
    with pytest.raises(IntegrityError):
        Article.objects.filter(pk=article.pk).update(status="bogus")


@pytest.mark.django_db
def test_the_database_refuses_published_without_a_date(make_article):
    article = make_article()
    with pytest.raises(IntegrityError):
        Article.objects.filter(pk=article.pk).update(published_at=None)


@pytest.mark.django_db
def test_saving_renders_the_body_and_its_reading_time(make_article):
    article = make_article(body="あ" * 501)
    assert article.body_html == f"<p>{'あ' * 501}</p>"
    assert article.reading_time == 2
    article.body = "短い本文"
    article.save(update_fields=["body"])
    article.refresh_from_db()
    assert article.body_html == "<p>短い本文</p>" and article.reading_time == 1


@pytest.mark.django_db
def test_load_demo_creates_accounts_and_articles(client, settings):
    settings.DEBUG = True  # as `make run` runs it
    out = StringIO()
    call_command("load_demo", stdout=out)
    output = out.getvalue()
    published = Article.objects.published()
    assert published.count() >= 4
    # One demo draft waits in the editors' review queue.
    assert Article.objects.filter(status=Status.IN_REVIEW).count() == 1
    scheduled = Article.objects.filter(published_revision__isnull=False, published_at__gt=timezone.now())
    assert scheduled.count() == 1, "one demo article stays scheduled, whenever the demo is loaded"
    assert all(a.companies.exists() and a.topics.exists() and a.category for a in published)
    # Every printed password logs its account in.
    for username in ["admin", "editor", "writer"]:
        line = next(line for line in output.splitlines() if line.strip().startswith(username + " "))
        assert client.login(request=HttpRequest(), username=username, password=line.split()[-1])
    # Loading twice gives the same articles, not copies.
    call_command("load_demo", stdout=StringIO())
    assert Article.objects.published().count() == published.count()


@pytest.mark.django_db
def test_load_demo_refuses_to_run_in_production_unless_forced(settings):
    from django.core.management.base import CommandError

    settings.DEBUG = False
    with pytest.raises(CommandError, match="DEBUG"):
        call_command("load_demo", stdout=StringIO())
    assert not Article.objects.exists()
    call_command("load_demo", "--force", stdout=StringIO())
    assert Article.objects.exists()


# ---------------------------------------------------------------------------------
# Production settings: `manage.py check --deploy` reports nothing under the README's.


def readme_production_settings():
    """The KEY=value lines of the README's production settings block, with a real key."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    block = readme.split("```env\n", 1)[1].split("```", 1)[0]
    settings = dict(line.split("=", 1) for line in block.splitlines() if line and not line.startswith("#"))
    settings["SECRET_KEY"] = "Xq3v9Lr8sT2mN7pK4wZ6yB1cH5jD0fG8aE3uI9oP2lR7tY4kM6nQ1xW5zV8bC0dF"
    return settings


def check_deploy(**env):
    # Only what a production server would have: nothing from this test run's environment.
    environment = {name: os.environ[name] for name in ("PATH", "HOME", "LANG") if name in os.environ}
    environment.update(env)
    return subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT, env=environment, capture_output=True, text=True, check=False,
    )


def test_check_deploy_reports_nothing_under_the_readmes_production_settings():
    result = check_deploy(**readme_production_settings())
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_check_deploy_notices_what_production_misses():
    settings = readme_production_settings()
    del settings["REDIS_URL"]
    result = check_deploy(**settings)
    assert result.returncode != 0 and "articles.W002" in result.stderr


def test_every_page_carries_a_content_security_policy_without_inline_code(client, db):
    policy = client.get("/")["Content-Security-Policy"]
    directives = dict(part.strip().split(" ", 1) for part in policy.split(";") if part.strip())
    assert directives["script-src"] == "'self'" and directives["style-src"] == "'self'"
    assert directives["frame-ancestors"] == "'none'" and directives["object-src"] == "'none'"
    assert "unsafe-inline" not in policy and "unsafe-eval" not in policy


INLINE_CODE = [
    (re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*type=\"application/(?:ld\+)?json\")[^>]*>", re.I), "inline script"),
    (re.compile(r"<style\b", re.I), "inline style element"),
    (re.compile(r"\sstyle=", re.I), "style attribute"),
    (re.compile(r"\son[a-z]+=", re.I), "event handler attribute"),
    (re.compile(r"javascript:", re.I), "javascript: URL"),
]


@pytest.mark.parametrize("template", sorted((ROOT / "templates").rglob("*.html")), ids=lambda p: p.name)
def test_templates_hold_no_inline_code(template):
    text = template.read_text(encoding="utf-8")
    for pattern, what in INLINE_CODE:
        assert not pattern.search(text), f"{what} in {template.relative_to(ROOT)}"


@pytest.mark.django_db
def test_loading_the_demo_again_changes_nothing(client, settings, tmp_path):
    """`make run` a second time: the same passwords (printed again, last), nobody logged
    out, the desk's edits and states kept, no mail sent again."""
    import dataclasses

    from django.contrib.auth import get_user_model
    from django.core import mail

    from articles.publishing.editing import Content, save_working_copy

    settings.DEBUG = True
    settings.EDITORIAL_DEMO_ACCOUNTS_FILE = tmp_path / "demo-accounts"
    first = StringIO()
    call_command("load_demo", stdout=first)
    writer = get_user_model().objects.get(username="writer")
    password_hash = writer.password
    article = Article.objects.published().order_by("pk").first()
    save_working_copy(article, dataclasses.replace(Content.of(article.latest_revision), body="机で直した本文。"),
                      writer, base_version=article.version)
    states = dict(Article.objects.values_list("pk", "status"))
    mail.outbox.clear()

    again = StringIO()
    call_command("load_demo", stdout=again)
    writer.refresh_from_db()
    assert writer.password == password_hash
    assert Article.objects.get(pk=article.pk).latest_revision.body == "机で直した本文。"
    assert dict(Article.objects.values_list("pk", "status")) == states
    assert mail.outbox == []
    # The login details come last, and still work.
    lines = [line for line in again.getvalue().splitlines() if line.strip()]
    assert lines[-1].strip().startswith("writer ")
    assert client.login(request=HttpRequest(), username="writer", password=lines[-1].split()[-1])
    assert "[scheduled]" not in first.getvalue() and "[予約済み" in first.getvalue()


def test_make_run_gives_every_step_the_served_address(tmp_path):
    """Notification links lead to the address `make run` serves; the demo load's too
    (they pointed at port 8000, issue 28 item 4)."""
    import shutil

    if shutil.which("make") is None:
        pytest.skip("make is not installed")
    root = Path(__file__).resolve().parents[1]
    # A stand-in for the project's python that prints what each step sees.
    (tmp_path / "bin").mkdir()
    python = tmp_path / "bin" / "python"
    python.write_text('#!/bin/sh\necho "$@ BASE=$EDITORIAL_BASE_URL"\n')
    python.chmod(0o755)
    (tmp_path / ".runtime").touch()
    environment = {key: value for key, value in os.environ.items() if key != "EDITORIAL_BASE_URL"}
    out = subprocess.run(["make", "run", "HOST=127.0.0.1:18100", f"BIN={tmp_path}/bin",  # noqa: S603, S607
                          f"VENV={tmp_path}"], cwd=root, capture_output=True, text=True, check=True,
                         env=environment).stdout
    assert "load_demo BASE=http://127.0.0.1:18100" in out
    assert "runserver 127.0.0.1:18100 BASE=http://127.0.0.1:18100" in out
    # Between the demo's lines and the server's first one, the page says what is happening.
    assert "Starting the development server at http://127.0.0.1:18100/" in out


def test_make_serve_starts_the_task_worker_again_when_it_stops(tmp_path):
    """Issue 21, item 7: a worker that died (its database restarted) stayed dead."""
    import shutil

    if shutil.which("make") is None or shutil.which("pkill") is None:
        pytest.skip("make or pkill is not installed")
    root = Path(__file__).resolve().parents[1]
    shutil.copy(root / "Makefile", tmp_path / "Makefile")
    (tmp_path / "requirements.txt").touch()
    (tmp_path / "bin").mkdir()
    # Stand-ins: a worker that dies at once, an app server that runs for a few seconds.
    (tmp_path / "bin" / "python").write_text('#!/bin/sh\ncase "$*" in *worker*) echo "worker started"; exit 1;; esac\n')
    (tmp_path / "bin" / "gunicorn").write_text("#!/bin/sh\nsleep 7\n")
    for name in ("python", "gunicorn"):
        (tmp_path / "bin" / name).chmod(0o755)
    (tmp_path / ".runtime").touch()
    result = subprocess.run(["make", "serve", f"BIN={tmp_path}/bin", f"VENV={tmp_path}"],  # noqa: S603, S607
                            cwd=tmp_path, capture_output=True, text=True, timeout=60, check=True)
    assert result.stdout.count("worker started") >= 3, result.stdout + result.stderr
    assert "starting it again" in result.stderr


_MESSAGE_FUNCTIONS = {"gettext", "_", "gettext_lazy", "gettext_noop", "ngettext", "ngettext_lazy", "pgettext",
                      "pgettext_lazy"}


def _marked_messages():
    """``(path, line, msgid, inside an f-string)`` of every literal the app marks for
    translation."""
    import ast

    found = []
    for path in sorted((ROOT / "articles").rglob("*.py")):
        if "migrations" in path.parts:
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        in_fstring = {id(node) for joined in ast.walk(tree) if isinstance(joined, ast.JoinedStr)
                      for node in ast.walk(joined)}
        for node in ast.walk(tree):
            if (isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in _MESSAGE_FUNCTIONS
                    and node.args):
                first = node.args[1] if node.func.id.startswith("pgettext") and len(node.args) > 1 else node.args[0]
                if isinstance(first, ast.Constant) and isinstance(first.value, str):
                    found.append((path.relative_to(ROOT).as_posix(), node.lineno, first.value, id(node) in in_fstring))
    return found


def test_every_message_the_app_marks_reaches_the_japanese_catalogue():
    """A message marked inside an f-string is invisible to xgettext: the next
    ``make messages`` would drop its translation, and Japanese readers would get English
    (the share links and the related articles' heading once did)."""
    from django.utils import translation

    messages = _marked_messages()
    assert len(messages) > 300
    hidden = [f"{path}:{line}" for path, line, _msgid, inside in messages if inside]
    assert not hidden, f"marked inside an f-string, where makemessages cannot see it: {hidden}"
    with translation.override("ja"):
        untranslated = [f"{path}:{line} {msgid!r}" for path, line, msgid, _inside in messages
                        if msgid.isascii() and translation.gettext(msgid) == msgid]
    assert not untranslated, f"not in the Japanese catalogue: {untranslated}"
