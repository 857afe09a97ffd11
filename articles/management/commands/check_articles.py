from django.core.management.base import BaseCommand, CommandError

from articles.checks.article_text import ArticleText, Vocabulary
from articles.checks.editorial import run_checks
from articles.checks.findings import ERROR
from articles.models import Article, Revision, Status


class Command(BaseCommand):
    help = (
        "Run the editorial checks over stored articles (their working copies) and print a report. "
        "Exits non-zero when any article has an error-level finding."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--status", action="append", choices=[s.value for s in Status],
            help="Only articles in this state (repeatable). Default: all.",
        )
        parser.add_argument("--slug", action="append", help="Only this article (repeatable).")
        parser.add_argument("--errors-only", action="store_true", help="Print error-level findings only.")

    def handle(self, *args, status, slug, errors_only, **options):
        articles = Article.objects.select_related("latest_revision").order_by("pk")
        if status:
            articles = articles.filter(status__in=status)
        if slug:
            articles = articles.filter(slug__in=slug)
        checked = failing = 0
        vocabulary = Vocabulary()
        for article in articles.iterator(chunk_size=500):
            revision = article.latest_revision
            if revision is None:
                continue
            revision.article = article  # the article at hand: no query for it
            checked += 1
            text = ArticleText.of_revision(revision, vocabulary=vocabulary)
            findings = run_checks(text)
            if not text.has_fresh_markup:
                # Saved before summaries were kept: keep this one, the next run needs no rendering.
                Revision.objects.filter(pk=revision.pk).update(markup=text.markup)
            if any(finding.level == ERROR for finding in findings):
                failing += 1
            shown = [f for f in findings if f.level == ERROR] if errors_only else findings
            if not shown:
                continue
            self.stdout.write(f"{article.slug} ({article.get_status_display()}): {article.latest_revision.title}")
            for finding in shown:
                where = f" [{finding.where}]" if finding.where else ""
                line = f"  {finding.level.upper():<7} {finding.code}: {finding.message}{where}"
                self.stdout.write(self.style.ERROR(line) if finding.level == ERROR else line)
        self.stdout.write(f"checked {checked} articles: {failing} with errors")
        if failing:
            raise CommandError(f"{failing} of {checked} articles have errors")
