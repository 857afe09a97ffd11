"""Running the Jekyll importer the way a person does, for tests."""

from io import StringIO

from django.core.management import call_command
from django.core.management.base import CommandError


def run_import(*paths, **options):
    """``(stdout, stderr, CommandError or None)`` of ``import_jekyll PATHS``."""
    out, err = StringIO(), StringIO()
    try:
        call_command("import_jekyll", *map(str, paths), stdout=out, stderr=err, **options)
    except CommandError as exc:
        return out.getvalue(), err.getvalue(), exc
    return out.getvalue(), err.getvalue(), None
