from django import forms

from .models import Article
from .tags import split_company_names


class ArticleForm(forms.ModelForm):
    class Meta:
        model = Article
        fields = [
            "title", "slug", "byline", "owner", "category", "companies", "topics", "excerpt", "body",
            "published_at",
        ]

    def clean_companies(self):
        # An alias tags the company itself (AWS → Amazon); other names become new companies.
        known, new = split_company_names(self.cleaned_data["companies"])
        return [company.name for company in known] + new
