"""What the workflow announces, for the parts that follow it without the workflow
knowing them (connected in ``apps.ArticlesConfig.ready``)."""

from django.dispatch import Signal

# An article changed state through the workflow, within that change's transaction:
# ``transition`` (the audit trail's new line) and ``article`` (as saved). The inbox
# files it; the pictures' uses follow what the article now shows. (Readers' pages
# follow the article's own save: articles/reading/public_changes.py.)
transition_recorded = Signal()

# A library picture's words (alt text, caption, credit) or its renditions changed, or it
# has just been made: ``image``. The desk's articles that show it are rendered again
# (articles/publishing/columns.py); live ones keep the words they were approved with.
picture_changed = Signal()
