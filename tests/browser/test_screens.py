"""The pages a newsroom uses every day, as a newcomer sees them after `make run`: each
saved as a screenshot at 1280 and 375 px (test-artifacts/screens/, for people to look
at), and none may scroll sideways on a phone."""

from io import StringIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command

from articles.media import images
from articles.models import Article, Status

from ..images import photo
from .conftest import ARTIFACTS
from .test_desk_flow import log_in

pytestmark = pytest.mark.django_db(transaction=True)

SCREENS = ARTIFACTS / "screens"


@pytest.fixture
def demo(settings, editor):
    settings.DEBUG = True
    call_command("load_demo", stdout=StringIO())
    # A picture just uploaded, which the task worker has not made yet (no worker runs here).
    pending, _created = images.upload(SimpleUploadedFile("new.jpg", photo(1600, 1200)), alt_text="処理中の写真")
    published = Article.objects.published().exclude(cover=None).first() or Article.objects.published().first()
    in_review = Article.objects.filter(status=Status.IN_REVIEW).first()
    company = published.companies.first()
    return {
        "home": "/",
        "article": published.get_absolute_url(),
        "company": company.get_absolute_url() if company else "/companies/",
        "search": "/search/?q=AI",
        "categories": "/categories/",
        "author": "/authors/writer/",
        "desk-list": "/desk/articles/",
        "editor": f"/desk/articles/{published.pk}/edit/",
        "review": f"/desk/articles/{in_review.pk}/",
        "inbox": "/desk/inbox/",
        "dashboard": "/desk/",
        "new-article": "/desk/articles/new/",
        "library": "/desk/images/",
        **({"picture": f"/desk/images/{published.cover_id}/"} if published.cover_id else {}),
        "profile": "/desk/profile/",
        "picture-processing": f"/desk/images/{pending.pk}/",
    }


@pytest.mark.parametrize("width", [1280, 375])
def test_every_page_at_both_widths(live_server, page, demo, width):
    SCREENS.mkdir(parents=True, exist_ok=True)
    page.set_viewport_size({"width": width, "height": 900})
    log_in(page, live_server, "editor")
    too_wide = {}
    for name, path in demo.items():
        page.goto(live_server.url + path)
        page.wait_for_load_state("networkidle")
        page.screenshot(path=SCREENS / f"{name}-{width}.png", full_page=True)
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        if overflow > 0:
            too_wide[name] = overflow
    assert too_wide == {}
