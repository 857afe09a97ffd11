"""Mechanical fixes the writing checks offer (a variant to the house form, full-width
letters to half-width): saved as a new revision from the review page, or made in the
text being typed in the editor (which then saves it as any edit)."""

from django.contrib import messages
from django.http import JsonResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from articles.checks.editorial import findings_for_revision
from articles.checks.writing import FixNotMade, apply_fixes
from articles.forms.articles import FixForm
from articles.publishing import editing, locks
from articles.views.access import article_for, desk_user_required


@require_POST
@desk_user_required
def fix_article(request, pk):
    article = article_for(request, pk, for_edit=True)
    form = FixForm(request.POST)
    revision = article.latest_revision
    offered = {finding.fix for finding in findings_for_revision(revision) if finding.fix}
    if not form.is_valid() or (form.cleaned_data["old"], form.cleaned_data["new"]) not in offered:
        messages.error(request, _("That fix is no longer offered: the text has changed. Look at the checks again."))
        return redirect("desk:review", pk=article.pk)
    old, new = form.cleaned_data["old"], form.cleaned_data["new"]
    content = editing.Content.of(revision)
    try:
        fixed, count = apply_fixes({name: getattr(content, name) for name in ("title", "excerpt", "body")}, old, new)
    except FixNotMade as exc:
        messages.error(request, str(exc))
        return redirect("desk:review", pk=article.pk)
    for name, text in fixed.items():
        setattr(content, name, text)
    try:
        saved = editing.save_working_copy(article, content, request.user, base_version=form.cleaned_data["version"])
    except editing.EditConflict:
        messages.error(request, _("Someone saved the article meanwhile: nothing was changed. Look at it again."))
        return redirect("desk:review", pk=article.pk)
    except locks.Locked as locked:
        messages.error(request, str(locked))
        return redirect("desk:review", pk=article.pk)
    if saved is None:
        messages.info(request, _("Nothing to change: “%(old)s” is not in the prose any more.") % {"old": old})
    else:
        messages.success(request, _("“%(old)s” changed to “%(new)s” (%(count)d) and saved as version %(version)d.")
                         % {"old": old, "new": new, "count": count, "version": saved.version})
    return redirect("desk:review", pk=article.pk)


@require_POST
@desk_user_required
def fix_text(request):
    """The editor's text with a fix made in its prose (not in code, addresses or
    quotations)."""
    form = FixForm(request.POST, with_text=True)
    if not form.is_valid():
        return JsonResponse({"error": " ".join(m for errors in form.errors.values() for m in errors)}, status=400)
    data = form.cleaned_data
    try:
        fixed, _count = apply_fixes({name: data[name] for name in ("title", "excerpt", "body")}, data["old"],
                                    data["new"])
    except FixNotMade as exc:
        return JsonResponse({"error": str(exc)}, status=503)
    return JsonResponse(fixed)
