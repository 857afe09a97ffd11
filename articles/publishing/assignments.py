"""Who writes an article, who edits it and by when: an editor assigns them; the audit
trail keeps each assignment, the people newly given the work hear of it in the inbox
and by mail, and the dashboard and calendar show what is due."""

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from articles.models import Article, Transition, person_name
from articles.publishing import notifications
from articles.publishing.permissions import is_editor, is_writer


class AssignmentRefused(Exception):
    """The assignment cannot be made; the message says why."""


def assign(article, by, *, writer, editor, due_at):
    """Give ``article`` to ``writer`` (its owner) and ``editor`` (None: nobody yet), due
    at ``due_at`` (None: no due time), as ``by``. Returns the ``Transition`` recorded, or
    None when nothing changed."""
    if not is_editor(by):
        raise PermissionDenied(_("Only editors assign articles."))
    if writer is None or not is_writer(writer):
        raise AssignmentRefused(_("Choose someone who writes articles."))
    if editor is not None and not is_editor(editor):
        raise AssignmentRefused(_("Choose an editor to edit it."))
    due_at = due_at.replace(second=0, microsecond=0) if due_at else None
    with transaction.atomic():
        current = Article.objects.select_for_update().get(pk=article.pk)
        if writer.pk != current.owner_id and current.is_live:
            # Its author page lists it and its byline may name them.
            raise AssignmentRefused(_("Readers know this article by its writer: it keeps them."))
        newly = [person for person, before in ((writer, current.owner_id), (editor, current.assigned_editor_id))
                 if person is not None and person.pk != before]
        if not newly and due_at == current.due_at:
            return None
        current.owner, current.assigned_editor, current.due_at = writer, editor, due_at
        current.save(update_fields=["owner", "assigned_editor", "due_at", "updated_at"])
        transition = Transition.record_step(current, "assign", by, data={
            "writer": person_name(writer), "editor": person_name(editor) if editor else "",
            "due_at": due_at.isoformat() if due_at else None})
        notifications.assigned(transition, newly)
    article.refresh_from_db()
    return transition


def assigned_to(user):
    """The articles ``user`` writes or edits that have a due time and are not out yet,
    the soonest due first."""
    return (Article.objects.filter(Q(owner=user) | Q(assigned_editor=user), due_at__isnull=False,
                                   published_revision__isnull=True)
            .select_related("latest_revision", "owner", "assigned_editor").order_by("due_at"))
