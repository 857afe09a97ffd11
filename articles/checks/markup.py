"""Markdown hygiene: pictures without words or not ready, links and addresses that do
not work, headings out of order, markup readers will not get, template code left from
Jekyll."""

from collections import Counter
from urllib.parse import urlsplit

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from articles.checks.article_text import Markup
from articles.checks.findings import ERROR, WARNING, Finding
from articles.media import images, pictures
from articles.models import Image
from articles.rendering.sanitising import ALLOWED_PROTOCOLS


def check_pictures_ready(text):
    """A picture readers would get must exist: one still being made (or that could not be
    made) holds the article back."""
    shown = pictures.shown(text.body, text.cover_id)
    if not shown:
        return
    if text.vocabulary is not None:
        unready = {pk: text.vocabulary.unready_images[pk] for pk in shown if pk in text.vocabulary.unready_images}
    else:
        unready = images.unready(shown)
    processing = [pk for pk in shown if unready.get(pk) == Image.State.PROCESSING]
    failed = [pk for pk in shown if unready.get(pk) == Image.State.FAILED]
    if processing:
        yield Finding("markup.image_processing", ERROR,
                      _("A picture is still being made (%(refs)s): the article can go to readers once it is "
                        "ready, usually within a minute.") % {"refs": ", ".join(f"image:{pk}" for pk in processing)})
    if failed:
        yield Finding("markup.image_failed", ERROR,
                      _("A picture could not be made (%(refs)s): upload it again, or choose another one.")
                      % {"refs": ", ".join(f"image:{pk}" for pk in failed)})


def check_markup(text):
    if text.render_error:
        yield Finding("markup.render", ERROR, text.render_error)
        return
    markup = text.markup
    if markup["flattened"]:
        yield Finding("markup.flattened", ERROR,
                      _("Lists or quotations are nested too deeply to format: readers will see plain "
                        "paragraphs. Reduce the nesting."))
    scanner = Markup(markup["images_without_alt"], markup["external_images"], markup["links"],
                      markup["headings"], Counter(markup["removed"]))
    if scanner.images_without_alt:
        yield Finding("markup.image_alt", ERROR, ngettext(
            "%(count)d image has no alt text: describe it for readers who cannot see it.",
            "%(count)d images have no alt text: describe them for readers who cannot see them.",
            scanner.images_without_alt) % {"count": scanner.images_without_alt})
    if scanner.external_images:
        hosts = ", ".join(sorted(set(scanner.external_images)))
        yield Finding("markup.external_image", WARNING, ngettext(
            "%(count)d image is loaded from another site (%(hosts)s): it may change or vanish, and that site "
            "sees who reads the article. Upload it to the library instead.",
            "%(count)d images are loaded from other sites (%(hosts)s): they may change or vanish, and those "
            "sites see who reads the article. Upload them to the library instead.",
            len(scanner.external_images)) % {"count": len(scanner.external_images), "hosts": hosts})
    referred = pictures.references(text.body)
    if text.vocabulary is not None:
        missing = sorted(set(referred) - text.vocabulary.image_ids)
    else:
        missing = sorted(set(referred) - set(Image.objects.filter(pk__in=referred).values_list("pk", flat=True))
                         ) if referred else []
    if missing:
        yield Finding("markup.missing_image", ERROR,
                      _("The body shows pictures that are not in the library: %(refs)s.")
                      % {"refs": ", ".join(f"image:{pk}" for pk in missing)})
    yield from check_pictures_ready(text)
    for href, label in scanner.links:
        scheme = urlsplit(href.strip()).scheme.lower()
        if not href.strip() or href.strip() == "#":
            yield Finding("markup.link_empty", WARNING, _("A link has no address."), where=f"[{label}]")
        elif scheme and scheme not in ALLOWED_PROTOCOLS:
            yield Finding("markup.link_scheme", ERROR,
                          _("A link uses “%(scheme)s:”, which is removed: only http, https and mailto work.")
                          % {"scheme": scheme}, where=f"[{label}]({href})")
        elif not label.strip():
            yield Finding("markup.link_text", WARNING, _("A link has no text to click."), where=href)
    if 1 in scanner.headings:
        yield Finding("markup.h1", WARNING,
                      _("The body uses a level-1 heading (#); the title is the page's only one. Start at ##."))
    previous = 1
    for level in scanner.headings:
        if level > previous + 1:
            yield Finding("markup.heading_skip", WARNING,
                          _("A level-%(level)d heading follows a level-%(previous)d one: a level is skipped.")
                          % {"level": level, "previous": previous})
            break
        previous = level
    if scanner.removed:
        removed = ", ".join(sorted(scanner.removed))
        yield Finding("markup.removed", WARNING,
                      _("Some raw HTML will be removed when the article is shown: %(removed)s.")
                      % {"removed": removed})


def check_template_code(text):
    """Liquid (or any ``{% %}``/``{{ }}`` template code) left in the prose: what an
    import could not evaluate, and readers would see as text. Code blocks may show it."""
    if text.render_error:
        return
    found = text.markup["template_code"]
    if found:
        shown = ", ".join(dict.fromkeys(" ".join(code.split())[:40] for code in found[:5]))
        yield Finding("markup.template_code", ERROR, ngettext(
            "The body holds template code readers would see as text: %(code)s. Replace it with what it "
            "should show, or put it in a code block.",
            "The body holds %(count)d pieces of template code readers would see as text: %(code)s. Replace "
            "them with what they should show, or put them in code blocks.",
            len(found)) % {"count": len(found), "code": shown})
