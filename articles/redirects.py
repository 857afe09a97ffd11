"""Old addresses keep working: a moved article and an imported Jekyll post answer 301."""

import contextlib
import datetime as dt
import re
from urllib.parse import unquote

from django.http import HttpResponsePermanentRedirect
from django.utils import timezone

from .models import Redirect


def remember(article, *paths):
    """Send ``paths`` to ``article`` from now on (a path already its own is skipped), in
    two queries however many paths, and none written for those already sent there."""
    current = unquote(article.get_absolute_url())
    paths = {path for path in (unquote(path.strip()) for path in paths) if path and path != current}
    if not paths:
        return
    known = dict(Redirect.objects.filter(old_path__in=paths).values_list("old_path", "article_id"))
    moved = [path for path, article_id in known.items() if article_id != article.pk]
    if moved:
        Redirect.objects.filter(old_path__in=moved).update(article=article)
    Redirect.objects.bulk_create([Redirect(old_path=path, article=article) for path in sorted(paths - known.keys())])


class UrlChange:
    """Remember the article's public address before a change, and redirect from it after.

        with UrlChange(article):
            ...change slug or date...
    """

    def __init__(self, article):
        self.article = article
        self.old = article.get_absolute_url() if article.is_live else None

    def __enter__(self):
        return self

    def __exit__(self, *exc_info):
        if exc_info[0] is None and self.old and self.article.is_live:
            remember(self.article, self.old)
        return False


def jekyll_paths(post):
    """Where Jekyll served ``post``: its permalink, or the default
    ``/<categories>/<yyyy>/<mm>/<dd>/<name>.html`` (in the usual spellings)."""
    paths = []
    if post.permalink:
        paths.append(post.permalink if post.permalink.startswith("/") else "/" + post.permalink)
    dated = re.match(r"^(\d{4}-\d{2}-\d{2})-(.+)$", post.path.stem)
    name = dated[2] if dated else post.path.stem
    # Jekyll dates the URL in its site's time zone, which we do not know: the file
    # name's day, and the post's in UTC and in ours, cover the usual set-ups.
    days = set()
    if post.date:
        days |= {post.date.astimezone(dt.UTC).date(), timezone.localtime(post.date).date()}
    if dated:
        with contextlib.suppress(ValueError):
            days.add(dt.date.fromisoformat(dated[1]))
    for categories in {"/".join(post.categories), "/".join(post.categories).lower()}:
        prefix = f"/{categories}" if categories else ""
        paths += [f"{prefix}/{day:%Y/%m/%d}/{name}.html" for day in sorted(days)]
    return paths


class RedirectFallbackMiddleware:
    """Like django.contrib.redirects, for articles: a 404 whose path an article used to
    have becomes a 301 to where it is now, while the article is public."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if response.status_code != 404:
            return response
        candidates = {request.path, request.path.rstrip("/"), request.path.rstrip("/") + "/"}
        redirect = (
            Redirect.objects.select_related("article").filter(old_path__in=candidates).order_by("pk").first()
        )
        if redirect is None or not redirect.article.is_public:
            return response
        return HttpResponsePermanentRedirect(redirect.article.get_absolute_url())
