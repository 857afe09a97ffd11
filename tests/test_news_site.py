"""The reader's site as a news site (issue 25): what readers, crawlers and partners read
of it. Metadata is read as a crawler does: the page's JSON-LD parsed, feeds parsed."""

import datetime as dt
import re

import pytest
import time_machine
from django.utils import timezone

from articles.models import Article
from articles.publishing import workflow
from articles.publishing.editing import Content, create_article, save_working_copy

pytestmark = pytest.mark.django_db

# HTML's valid date-time string: at most three decimals of a second.
_HTML_DATETIME = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d(:\d\d(\.\d{1,3})?)?(Z|[+-]\d\d:?\d\d)")


def publish(article, writer, editor):
    for action, user in (("submit", writer), ("approve", editor), ("publish", editor)):
        workflow.apply_transition(article, action, user)
    article.refresh_from_db()
    return article


def corrected(writer, editor):
    """A live article corrected an hour after it was published."""
    with time_machine.travel(timezone.now() - dt.timedelta(hours=1)):
        article = publish(create_article(Content(title="訂正する記事", slug="corrected", excerpt="要約",
                                                 body="数字は 10 です。"), writer), writer, editor)
    save_working_copy(article, Content(title="訂正する記事", slug="corrected", excerpt="要約",
                                       body="数字は 12 です。"), writer, base_version=article.version)
    return publish(Article.objects.get(pk=article.pk), writer, editor)


def datetimes(html):
    return re.findall(r'<time[^>]*\bdatetime="([^"]*)"', html)


class TestTimes:
    def test_a_corrected_article_gives_valid_times_on_its_page_and_cards(self, client, writer, editor):
        article = corrected(writer, editor)
        assert article.last_published_at > article.published_at
        for url in (article.get_absolute_url(), "/", "/en/"):
            html = client.get(url).content.decode()
            found = datetimes(html)
            assert found, url
            assert all(_HTML_DATETIME.fullmatch(value) for value in found), (url, found)

    def test_desk_pages_give_valid_times(self, client, writer, editor):
        article = corrected(writer, editor)
        client.force_login(editor)
        for url in ("/desk/articles/", f"/desk/articles/{article.pk}/", f"/desk/articles/{article.pk}/history/",
                    "/desk/calendar/", "/desk/inbox/"):
            response = client.get(url)
            assert response.status_code == 200, url
            found = datetimes(response.content.decode())
            assert all(_HTML_DATETIME.fullmatch(value) for value in found), (url, found)
