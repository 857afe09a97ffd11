import traceback

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, no_translations
from tqdm import tqdm

from articles.importing import IMPORTED, KEPT, UNCHANGED, UPDATED, import_post
from articles.jekyll import JekyllError, find_posts, read_post
from articles.tags import company_index


class Command(BaseCommand):
    help = (
        "Import Jekyll posts (files, or folders of .md/.markdown files). "
        "Importing a post again updates the article it made."
    )

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="+", metavar="PATH")
        parser.add_argument("--dry-run", action="store_true", help="Check and report; write nothing.")
        parser.add_argument("--owner", metavar="USERNAME", help="The account new articles belong to.")

    @no_translations  # the report speaks one language, whatever the server's
    def handle(self, *args, paths, dry_run, owner, verbosity, **options):
        owner_user = self._owner(owner)
        files = find_posts(paths)
        if not files:
            raise CommandError(f"no .md or .markdown files found in: {' '.join(paths)}")

        companies_by_name = company_index()
        counts = dict.fromkeys([IMPORTED, UPDATED, UNCHANGED, KEPT, "failed"], 0)
        verbs = {IMPORTED: "imported", UPDATED: "updated", UNCHANGED: "unchanged", KEPT: "left alone"}
        if dry_run:
            verbs.update({IMPORTED: "would import", UPDATED: "would update", KEPT: "would leave alone"})
        # The bar draws on a terminal only, so logs and tests see just the report lines.
        progress = tqdm(files, unit="post", disable=None, leave=False, file=self.stderr._out)
        for path in progress:
            try:
                result = import_post(
                    read_post(path), owner=owner_user, dry_run=dry_run, companies_by_name=companies_by_name
                )
            except Exception as exc:
                # One file's problem, whatever it is, is that file's line: the others go on.
                counts["failed"] += 1
                reason = str(exc) if isinstance(exc, JekyllError) else f"unexpected {type(exc).__name__}: {exc}"
                progress.write(f"ERROR {path}: {' '.join(reason.split())}", file=self.stderr._out)
                if verbosity >= 2 and not isinstance(exc, JekyllError):
                    progress.write(traceback.format_exc(), file=self.stderr._out)
                continue
            counts[result.outcome] += 1
            if verbosity >= 1:
                progress.write(
                    f"{verbs[result.outcome]} {path} → {result.article.slug} ({result.article.get_status_display()})",
                    file=self.stdout._out,
                )
                for note in result.notes:
                    progress.write(f"  note: {note}", file=self.stdout._out)

        summary = (
            "{prefix}imported {imported}, updated {updated}, unchanged {unchanged}, left alone {kept}, failed {failed}"
        ).format(prefix="dry run: " if dry_run else "", **counts)
        self.stdout.write(summary)
        if counts["failed"]:
            raise CommandError(f"{counts['failed']} of {len(files)} files could not be imported")

    def _owner(self, username):
        if not username:
            return None
        try:
            return get_user_model().objects.get_by_natural_key(username)
        except get_user_model().DoesNotExist:
            raise CommandError(f"no user named {username!r}") from None
