"""What readers see. Every page starts from ``Article.objects.published()``."""

from urllib.parse import unquote

from django.conf import settings
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.templatetags.static import static
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST
from django.views.generic import DetailView, ListView

from articles.converters import static_or_address
from articles.media.pictures import image_data
from articles.models import Article, AuthorProfile, Category, CompanyTag, PublicNote, Status, TopicTag
from articles.publishing import redirects
from articles.reading import caching, cards, front, public_data, readership, search
from articles.reading.article_head import article_head
from articles.rendering.dates import machine_time
from articles.throttling import client_ip


class PublishedArticlesMixin:
    """Published, due articles, newest first, paginated as ids: the page's cards come
    from ``cards.kept()`` (made once per change of their article, not per request)."""

    model = Article
    paginate_by = settings.EDITORIAL_PAGE_SIZE
    template_name = "articles/article_list.html"

    def get_queryset(self):
        return KeptPages(self)

    def articles(self):
        """The list's articles, as a query."""
        return Article.objects.published().order_by("-published_at", "-id")

    def known_count(self):
        """How many articles the list has, if counted already (articles/reading/public_data.py)."""
        return None

    # The areas of the page cache (articles/reading/caching.py) whose changes move this list.
    list_areas = (caching.LIVE,)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        # Its cards show these articles; a change of any of them is a change of the page.
        caching.shows(*self.list_areas)
        caching.shows_articles(context["object_list"])
        context["cards"] = self.page_cards(list(context["object_list"]))
        return context

    def page_cards(self, ids):
        return cards.kept(ids)


class KeptPages:
    """A list's ids as its paginator reads them: its length as the view knows it
    (``known_count``), each page kept until the list's areas change, as its stored page
    would be. The query is built only for a page that is not kept: a page made afresh
    then asks the database nothing for its articles."""

    def __init__(self, view):
        self.view = view

    def __len__(self):
        known = self.view.known_count()
        return known if known is not None else self.view.articles().count()

    def __getitem__(self, part):
        view = self.view
        return caching.remember(f"page-ids:{'|'.join(view.list_areas)}:{part.start}:{part.stop}",
                                lambda: list(view.articles().values_list("pk", flat=True)[part]),
                                areas=view.list_areas)


class ArticleListView(PublishedArticlesMixin, ListView):
    def known_count(self):
        return public_data.published_count()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        if context["page_obj"].number == 1:
            # The front page: the stories editors chose, the newest, the sections, the
            # most read.
            caching.shows(caching.FRONT)
            chosen = front.chosen_ids()
            caching.shows_articles(chosen)
            context["lead"] = cards.lead(chosen[0]) if chosen else ""
            context["features"] = cards.kept(chosen[1:])
            # The newest without those above (cards kept in the cache: made again for nothing).
            context["cards"] = cards.kept([pk for pk in context["object_list"] if pk not in chosen])
            context["sections"] = cards.sections(front.sections())
            context["ranking"] = cards.ranking([
                (_("Last 24 hours"), readership.most_read("today")),
                (_("This week"), readership.most_read("week")),
            ])
        return context

    def render_to_response(self, context, **kwargs):
        response = super().render_to_response(context, **kwargs)
        if "lead" in context:
            # Changes with time alone: stories leave at their time, the most read move.
            response.keep_seconds = front.EXPIRY_SECONDS
        return response


class FilteredArticleListView(PublishedArticlesMixin, ListView):
    """The published articles of one company, topic or category."""

    filter_model = None
    filter_field = None
    heading_label = None
    feed = None  # the name its feeds' URLs start with

    # A company or topic is public once a published article carries it; before that
    # its name belongs to a draft (categories are made in the admin, and always public).
    needs_published_article = True

    def get(self, request, *args, **kwargs):
        self.filter_object = public_data.filter_object(self.filter_model, kwargs["slug"],
                                                       self.needs_published_article)
        return super().get(request, *args, **kwargs)

    def articles(self):
        return public_data.filtered(super().articles(), self.filter_model, self.filter_field, self.filter_object)

    def known_count(self):
        return self.filter_object.article_count

    @property
    def list_areas(self):
        return (caching.list_area(self.area_kind, self.filter_object.pk),)

    def get_context_data(self, **kwargs):
        slug = {"slug": self.filter_object.slug}
        return super().get_context_data(
            filter_object=self.filter_object, heading_label=self.heading_label,
            feed_url=reverse(f"articles:{self.feed}-feed", kwargs=slug),
            atom_url=reverse(f"articles:{self.feed}-feed-atom", kwargs=slug),
            **kwargs,
        )


class CompanyArticleListView(FilteredArticleListView):
    filter_model = CompanyTag
    filter_field = "companies"
    heading_label = _("Company")
    feed = "company"
    area_kind = "company"


class TopicArticleListView(FilteredArticleListView):
    filter_model = TopicTag
    filter_field = "topics"
    heading_label = _("Topic")
    feed = "topic"
    area_kind = "topic"


class CategoryArticleListView(FilteredArticleListView):
    filter_model = Category
    filter_field = "category"
    heading_label = _("Category")
    feed = "category"
    area_kind = "category"
    needs_published_article = False


class AuthorArticleListView(PublishedArticlesMixin, ListView):
    """A writer's page: their profile, then their published articles, newest first."""

    template_name = "articles/author.html"

    def get(self, request, *args, **kwargs):
        self.author = get_object_or_404(AuthorProfile.objects.select_related("picture"), slug=kwargs["slug"])
        return super().get(request, *args, **kwargs)

    def articles(self):
        return super().articles().filter(owner_id=self.author.user_id)

    @property
    def list_areas(self):
        return (caching.list_area("author", self.author.user_id),)

    def get_context_data(self, **kwargs):
        return super().get_context_data(author=self.author, **kwargs)


class TagIndexView(ListView):
    """Every tag of one vocabulary that has published articles, with their counts."""

    template_name = "articles/tag_index.html"
    heading = None

    def get_queryset(self):
        return public_data.public_tags(self.model)

    def get_context_data(self, **kwargs):
        caching.shows(caching.LIVE)  # the tags and their counts move as articles go live or go
        return super().get_context_data(heading=self.heading, **kwargs)


class CompanyIndexView(TagIndexView):
    model = CompanyTag
    heading = _("Companies")


class TopicIndexView(TagIndexView):
    model = TopicTag
    heading = _("Topics")


class CategoryIndexView(TagIndexView):
    model = Category
    heading = _("Categories")


class SearchView(PublishedArticlesMixin, ListView):
    """Ranked matches, paginated as a list of ids: only the page's articles are loaded,
    with the stored plain text their snippets are cut from (no HTML parsed here)."""

    template_name = "articles/search.html"
    # What matches is any live article's text: any change readers could see.
    list_areas = (caching.ANY,)
    # (parameter, model, its field on Article)
    FILTERS = [("company", CompanyTag, "companies"), ("topic", TopicTag, "topics"), ("category", Category, "category")]

    def get_queryset(self):
        self.query = self.request.GET.get("q", "").strip()[:200]
        self.newest_first = self.request.GET.get("sort") == "newest"
        articles = Article.objects.published()
        # Only tags readers can see are choices; anything else narrows to nothing.
        self.chosen = {}
        for name, model, field in self.FILTERS:
            slug = self.request.GET.get(name, "")
            if slug:
                tag = public_data.public_tag(model, slug)
                self.chosen[name] = slug
                articles = public_data.filtered(articles, model, field, tag) if tag else articles.none()
        if not self.query:
            return []
        # Kept until anything readers see changes: the next page of these results, the
        # other language and a second reader asking the same rank nothing again.
        chosen = "&".join(f"{name}={slug}" for name, slug in sorted(self.chosen.items()))
        self.ranking = f"search:{self.newest_first}:{chosen}:{' '.join(search.split_terms(self.query))}"
        return caching.remember(
            self.ranking, lambda: search.ranked_ids(articles, self.query, by_relevance=not self.newest_first))

    def get_context_data(self, **kwargs):
        choices = [(name, model._meta.verbose_name, cards.tag_options(model))
                   for name, model, _field in self.FILTERS]
        kept = self.request.GET.copy()
        kept.pop("page", None)
        context = super().get_context_data(
            query=self.query, max_results=search.MAX_RESULTS, newest_first=self.newest_first,
            filters=[(name, label, tags, self.chosen.get(name, "")) for name, label, tags in choices],
            pagination_query=kept.urlencode(), **kwargs)
        return context

    def page_cards(self, ids):
        """A result's card shows the words that matched in place of the excerpt."""
        if not ids:
            return []

        def snippets():
            snippet = search.snippets(self.query)
            texts = Article.objects.published().filter(pk__in=ids).values_list("pk", "body_text")
            return {pk: snippet(text) for pk, text in texts}

        # Kept as the ranking is: the page's texts are read and cut once, not per request.
        return cards.kept(ids, caching.remember(f"snippets:{self.ranking}:{','.join(map(str, ids))}", snippets))


class ArticleDetailView(DetailView):
    model = Article

    def get_object(self, queryset=None):
        article = public_data.live_article(self.kwargs["slug"])
        if article is None:
            raise Http404
        return article

    def get(self, request, *args, **kwargs):
        try:
            self.object = self.get_object()
        except Http404:
            if (Article.objects.filter(slug=kwargs["slug"], status=Status.UNPUBLISHED).exists()
                    or redirects.was_taken_down(redirects.default_language_path(unquote(request.path)))):
                # It was here and was taken down on purpose: say so, for readers and crawlers.
                return render(request, "410.html", status=410)
            raise
        published_day = timezone.localtime(self.object.published_at).date()
        requested = (kwargs["year"], kwargs["month"], kwargs["day"])
        if requested != (published_day.year, published_day.month, published_day.day):
            # Right article, wrong date (a typo or an old link): send readers to the real one.
            return redirect(self.object, permanent=True)
        related = public_data.related_articles(self.object)
        caching.shows(caching.article_area(self.object.pk))
        caching.shows_articles(related)
        response = self.render_to_response(self.get_context_data(
            object=self.object, related=cards.related(related), preview=False, **page_parts(request, self.object)))
        response.kept_pieces = [self.object.body_piece]  # (articles/reading/compression.py)
        return response


def page_parts(request, article):
    """What a live article's page prints around its body and is the same for every reader
    of a language at an address: its ``head``, the ``meta`` line under its title, its
    ``tags`` and its ``share`` links. Made once per version, as its cards are; with
    translations, again whenever an article goes live (one may be one of them)."""

    def make():
        social = social_image(request, article)
        notes = list(article.public_notes.all())
        canonical_url = request.build_absolute_uri(article.canonical_path())
        return {
            "head": article_head(article, site_name=settings.EDITORIAL_SITE_NAME, canonical_url=canonical_url,
                                 translations=translations(request, article), social_image=social,
                                 structured_data=structured_data(request, article, social, notes)),
            "meta": cards.meta(article),
            "tags": cards.tags(article.company_list, article.topic_list),
            "share": cards.share(canonical_url, article.title),
            "notes": cards.public_notes(notes),
        }

    areas = [caching.article_area(article.pk), *([caching.LIVE] if article.translation_key else [])]
    return caching.remember(f"article-page:{article.pk}:{get_language()}:{request.build_absolute_uri('/')}",
                            make, areas=areas)


def translations(request, article):
    """``[(language, absolute url)]`` of the article and its public translations, for
    hreflang links, with ``x-default``; empty when it has none."""
    if not article.translation_key:
        return []
    others = list(
        Article.objects.published().filter(translation_key=article.translation_key).exclude(pk=article.pk)
        .only("slug", "published_at", "language")
    )
    if not others:
        return []
    links = [
        (item.language or settings.LANGUAGE_CODE, request.build_absolute_uri(item.canonical_path()))
        for item in [article, *others]
    ]
    # The edition for readers of no listed language: the site's own language's, if any.
    default = dict(links).get(settings.LANGUAGE_CODE)
    return [*links, ("x-default", default)] if default else links


def social_image(request, article):
    """The picture of the article's link previews (og:image, twitter:image): its cover's
    1200×630 crop, else the site's own (``EDITORIAL_SOCIAL_IMAGE``); with ``search``,
    the cover's shapes for search engines' rich results."""
    if article.cover is None or not article.cover.is_ready:
        url = request.build_absolute_uri(static_or_address(settings.EDITORIAL_SOCIAL_IMAGE))
        return {"url": url, "width": 1200, "height": 630, "alt": settings.EDITORIAL_SITE_NAME, "search": [url]}
    data = image_data(article.cover)
    return {"url": request.build_absolute_uri(data["social"]), "width": data["social_width"],
            "height": data["social_height"], "alt": article.cover_alt,
            "search": [request.build_absolute_uri(url) for url in data["search"]]
            or [request.build_absolute_uri(data["social"])]}


def structured_data(request, article, social=None, notes=()):
    """schema.org NewsArticle for search engines (printed as JSON-LD); ``social`` is the
    article's ``social_image()``, ``notes`` its ``PublicNote``s (its corrections go in
    ``correction``)."""
    tags = [tag.name for tag in [*article.company_list, *article.topic_list]]
    data = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": article.title,
        "description": article.excerpt,
        "datePublished": machine_time(article.published_at),
        "dateModified": machine_time(article.modified_at),
        "mainEntityOfPage": request.build_absolute_uri(article.canonical_path()),
        "publisher": publisher(request),
        "keywords": tags,
        "inLanguage": article.language or settings.LANGUAGE_CODE,
    }
    data["author"] = author(request, article)
    if article.category:
        data["articleSection"] = article.category.name
    if social:
        data["image"] = social["search"]
    corrections = [{"@type": "CorrectionComment", "text": note.text, "datePublished": machine_time(note.published_at)}
                   for note in notes if note.kind == PublicNote.Kind.CORRECTION]
    if corrections:
        data["correction"] = corrections
    return data


def publisher(request):
    """The site as schema.org's publisher: its name, address and logo."""
    logo = settings.EDITORIAL_PUBLISHER_LOGO
    logo = request.build_absolute_uri(static_or_address(logo)) if logo else ""
    data = {"@type": "Organization", "name": settings.EDITORIAL_SITE_NAME,
            "url": request.build_absolute_uri(reverse("articles:index"))}
    if logo:
        data["logo"] = {"@type": "ImageObject", "url": logo}
    return data


# A credit naming a team rather than a person (ALLFORCES編集部, "Editorial Team").
_TEAM = ("編集部", "編集局", "取材班", "editorial", "editors", "team", "staff", "desk", "newsroom")


def author(request, article):
    """Who wrote ``article``, for schema.org: the writer, linked to their page; a team's
    credit as an organisation; the site itself when the article names nobody."""
    profile = article.author_profile
    name = article.credited_name
    if not name:
        return {k: v for k, v in publisher(request).items() if k != "logo"}
    kind = "Organization" if any(word in name.casefold() for word in _TEAM) or \
        name == settings.EDITORIAL_SITE_NAME else "Person"
    data = {"@type": kind, "name": name}
    if profile is not None and kind == "Person":
        data["url"] = request.build_absolute_uri(profile.get_absolute_url())
    return data


@csrf_exempt  # a beacon from a page any cache may have served: no form, no session
@require_POST
def read_beacon(request):
    """One read of a live article, sent by its page (static/js/reads.js): 204, whatever
    happens, so that the page learns nothing of the counting."""
    article = request.POST.get("article", "")
    if article.isdigit() and len(article) < 19:
        readership.count_read(int(article), client_ip(request))
    response = HttpResponse(status=204)
    patch_cache_control(response, no_store=True)
    return response


def robots_txt(request):
    """Crawlers may read the site, not the desk, the admin, previews or searches."""
    lines = [
        "User-agent: *",
        *(f"Disallow: {path}" for path in ("/desk/", "/admin/", "/accounts/", "/preview/", "/search/")),
        # Readers' pages are in every language the site speaks, under /en/ and the like.
        *(f"Disallow: /{code}{path}" for code, _name in settings.LANGUAGES if code != settings.LANGUAGE_CODE
          for path in ("/preview/", "/search/")),
        f"Sitemap: {request.build_absolute_uri(reverse('sitemap'))}",
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")


def favicon(request):
    """The site's icon for browsers that ask /favicon.ico; pages name it themselves."""
    response = redirect(static("img/favicon.svg"), permanent=True)
    patch_cache_control(response, public=True, max_age=86400)
    return response
