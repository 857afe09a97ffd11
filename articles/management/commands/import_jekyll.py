from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from articles.importing import import_post
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

    def handle(self, *args, paths, dry_run, owner, verbosity, **options):
        owner_user = self._owner(owner)
        files = find_posts(paths)
        if not files:
            raise CommandError(f"no .md or .markdown files found in: {' '.join(paths)}")

        companies_by_name = company_index()
        counts = {"imported": 0, "updated": 0, "failed": 0}
        verb = {True: "would import", False: "would update"} if dry_run else {True: "imported", False: "updated"}
        # The bar draws on a terminal only, so logs and tests see just the report lines.
        progress = tqdm(files, unit="post", disable=None, leave=False, file=self.stderr._out)
        for path in progress:
            try:
                result = import_post(
                    read_post(path), owner=owner_user, dry_run=dry_run, companies_by_name=companies_by_name
                )
            except JekyllError as exc:
                counts["failed"] += 1
                progress.write(f"ERROR {path}: {exc}", file=self.stderr._out)
                continue
            counts["imported" if result.created else "updated"] += 1
            if verbosity >= 1:
                progress.write(
                    f"{verb[result.created]} {path} → {result.article.slug} ({result.article.get_status_display()})",
                    file=self.stdout._out,
                )
                for note in result.notes:
                    progress.write(f"  note: {note}", file=self.stdout._out)

        summary = "{prefix}imported {imported}, updated {updated}, failed {failed}".format(
            prefix="dry run: " if dry_run else "", **counts
        )
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
