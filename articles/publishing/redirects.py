"""Old addresses keep working: a moved article and an imported Jekyll post answer 301."""

from urllib.parse import unquote

from django.conf import settings
from django.http import HttpResponsePermanentRedirect
from django.utils import translation

from articles.models import Redirect


def remember(article, *paths, take_over=False):
    """Send ``paths`` to ``article`` from now on (a path already its own is skipped), in
    two queries however many paths, and none written for those already sent there.

    A path another article has already is left to it unless ``take_over`` (an article's
    own old address, moving with it): ``[(path, that article's title)]`` of those left."""
    current = unquote(article.canonical_path())
    paths = {path for path in (unquote(path.strip()) for path in paths) if path and path != current}
    if not paths:
        return []
    known = {row.old_path: row for row in Redirect.objects.filter(old_path__in=paths).select_related("article")}
    others = [path for path, row in known.items() if row.article_id != article.pk]
    if others and take_over:
        Redirect.objects.filter(old_path__in=others).update(article=article)
    Redirect.objects.bulk_create([Redirect(old_path=path, article=article) for path in sorted(paths - known.keys())])
    return [] if take_over else [(path, known[path].article.title) for path in sorted(others)]


def remember_taken_down(article):
    """Keep the address readers had for an article being unpublished, whatever its
    columns say later (back in the desk as a draft with another name): it answers 410."""
    Redirect.objects.get_or_create(old_path=unquote(article.canonical_path()), defaults={"article": article})


def was_taken_down(path):
    """Whether ``path`` (the default language's form) is where a now unpublished article
    was once public."""
    candidates = {path, path.rstrip("/"), path.rstrip("/") + "/"}
    redirect = Redirect.objects.select_related("article").filter(old_path__in=candidates).order_by("pk").first()
    return redirect is not None and redirect.article.last_published_at is not None \
        and not redirect.article.is_live


def default_language_path(path):
    """``path`` without a language prefix other than the default one's (/en/x → /x)."""
    language = translation.get_language_from_path(path)
    if language and language != settings.LANGUAGE_CODE:
        return path.removeprefix(f"/{language}")
    return path


class UrlChange:
    """Remember the article's public address before a change, and redirect from it after.

        with UrlChange(article):
            ...change slug or date...
    """

    def __init__(self, article):
        self.article = article
        self.old = article.canonical_path() if article.is_live else None

    def __enter__(self):
        return self

    def __exit__(self, *exc_info):
        if exc_info[0] is None and self.old and self.article.is_live:
            remember(self.article, self.old, take_over=True)
        return False


class RedirectFallbackMiddleware:
    """Like django.contrib.redirects, for articles: a 404 whose path an article used to
    have becomes a 301 to where it is now, while the article is public."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if response.status_code != 404:
            return response
        # Old addresses are kept in the default language's form; /en/… finds them too
        # (and is sent to the English page).
        path = default_language_path(request.path)
        candidates = {path, path.rstrip("/"), path.rstrip("/") + "/"}
        redirect = (
            Redirect.objects.select_related("article").filter(old_path__in=candidates).order_by("pk").first()
        )
        if redirect is None or not redirect.article.is_public:
            return response
        return HttpResponsePermanentRedirect(redirect.article.get_absolute_url())
