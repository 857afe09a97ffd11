import traceback
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, no_translations
from tqdm import tqdm

from articles.jekyll.importing import IMPORTED, KEPT, UNCHANGED, UPDATED, SiteImport, site_yaml
from articles.jekyll.posts import JekyllError, find_posts
from articles.jekyll.site import Site, SiteError
from articles.models.tags import company_index


class Command(BaseCommand):
    help = (
        "Import a Jekyll site (its root folder: _config.yml and every _posts folder below it), "
        "or single post files and folders of them. Importing a post again updates the article it "
        "made, unless the desk has changed that article since."
    )

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="+", metavar="PATH")
        parser.add_argument("--dry-run", action="store_true",
                            help="Do everything and undo it: the report says what a real run would do.")
        parser.add_argument("--owner", metavar="USERNAME", help="The account new articles belong to.")
        parser.add_argument("--force", action="store_true",
                            help="Also take changed files for articles edited in the desk since: each becomes "
                                 "a new working copy to be reviewed, never straight to readers.")

    @no_translations  # the report speaks one language, whatever the server's
    def handle(self, *args, paths, dry_run, owner, force, verbosity, **options):
        owner_user = self._owner(owner)
        sites = self._sites(paths)
        total = sum(len(files) for _, files in sites)
        if not total:
            raise CommandError(f"no .md or .markdown files found in: {' '.join(paths)}")

        companies_by_name = company_index()
        counts = dict.fromkeys([IMPORTED, UPDATED, UNCHANGED, KEPT, "failed"], 0)
        verbs = {IMPORTED: "imported", UPDATED: "updated", UNCHANGED: "unchanged", KEPT: "left alone"}
        if dry_run:
            verbs.update({IMPORTED: "would import", UPDATED: "would update", KEPT: "would leave alone"})
        # The bar draws on a terminal only, so logs and tests see just the report lines.
        progress = tqdm(total=total, unit="post", disable=None, leave=False, file=self.stderr._out)

        def failed(path, exc):
            counts["failed"] += 1
            reason = str(exc) if isinstance(exc, JekyllError) else f"unexpected {type(exc).__name__}: {exc}"
            progress.write(f"ERROR {path}: {' '.join(reason.split())}", file=self.stderr._out)
            if verbosity >= 2 and not isinstance(exc, JekyllError):
                progress.write(traceback.format_exc(), file=self.stderr._out)

        for site, files in sites:
            for line in site.skipped:
                self.stdout.write(f"skipped {line}")
            run = SiteImport(site, owner=owner_user, dry_run=dry_run, force=force,
                             companies_by_name=companies_by_name)
            read = run.read(files)
            # A folder inside a site is read as part of it: every other post of the site
            # is planned too (read quietly), so that links to them and translations of
            # them work whichever folder comes in first.
            named = set(files)
            others = [post for _, post in run.read([path for path in site.post_files() if path not in named])
                      if not isinstance(post, Exception)]
            run.plan([post for _, post in read if not isinstance(post, Exception)] + others)
            for path, post in read:
                if isinstance(post, Exception):
                    progress.update()
                    failed(path, post)
            for post, result in run.import_all([post for _, post in read if not isinstance(post, Exception)]):
                path = post.path
                progress.update()
                if isinstance(result, Exception):
                    # One file's problem, whatever it is, is that file's line: the others go on.
                    failed(path, result)
                    continue
                counts[result.outcome] += 1
                if verbosity >= 1:
                    progress.write(
                        f"{verbs[result.outcome]} {path} → {result.article.slug} "
                        f"({result.article.get_status_display()})",
                        file=self.stdout._out,
                    )
                    for note in result.notes:
                        progress.write(f"  note: {note}", file=self.stdout._out)
        progress.close()

        summary = (
            "{prefix}imported {imported}, updated {updated}, unchanged {unchanged}, left alone {kept}, failed {failed}"
        ).format(prefix="dry run: " if dry_run else "", **counts)
        self.stdout.write(summary)
        if counts["failed"]:
            raise CommandError(f"{counts['failed']} of {total} files could not be imported")

    def _sites(self, paths):
        """``[(site, files)]``: a site root brings every post of the site; a file or a
        folder brings its own posts, read as part of the site around it."""
        by_root = {}
        for name in paths:
            path = Path(name)
            if not path.exists():
                raise CommandError(f"no such file or folder: {name}")
            try:
                if path.is_dir() and ((path / "_config.yml").is_file() or (path / "_config.yaml").is_file()):
                    site = Site.at(path, site_yaml)
                    files = site.post_files()
                else:
                    site = Site.around(path, site_yaml)
                    files = site.within(find_posts([path]))
            except SiteError as exc:
                raise CommandError(f"cannot read the site's configuration: {exc}") from None
            root = site.root.resolve()
            _, known_files = by_root.setdefault(root, (site, {}))
            known_files.update(dict.fromkeys(files))  # a dict: ordered, and each file once
        return [(site, sorted(files)) for site, files in by_root.values()]

    def _owner(self, username):
        if not username:
            return None
        try:
            return get_user_model().objects.get_by_natural_key(username)
        except get_user_model().DoesNotExist:
            raise CommandError(f"no user named {username!r}") from None
