"""Seed the company vocabulary with the names a tech desk writes about.

Editors keep the list up to date in the admin; the aliases let the import and the
editorial checks recognise a company however it is written (AWS, アマゾン…).
"""

from django.db import migrations
from django.utils.text import slugify

KNOWN_COMPANIES = {
    "NVIDIA": ["Nvidia", "エヌビディア"],
    "AMD": ["Advanced Micro Devices", "エーエムディー"],
    "Intel": ["インテル"],
    "Google": ["グーグル", "Alphabet", "Google DeepMind", "DeepMind"],
    "Amazon": ["AWS", "Amazon Web Services", "アマゾン", "アマゾン・ウェブ・サービス"],
    "Apple": ["アップル"],
    "Microsoft": ["マイクロソフト", "Azure"],
    "Meta": ["Meta Platforms", "Facebook", "フェイスブック"],
    "OpenAI": ["オープンAI"],
    "Anthropic": ["アンソロピック"],
    "TSMC": ["台湾積体電路製造", "Taiwan Semiconductor"],
    "Samsung": ["サムスン", "サムスン電子", "Samsung Electronics"],
    "SoftBank": ["ソフトバンク", "ソフトバンクグループ"],
    "Sony": ["ソニー", "ソニーグループ"],
    "Toyota": ["トヨタ", "トヨタ自動車"],
    "IBM": ["アイ・ビー・エム"],
    "Oracle": ["オラクル"],
    "Arm": ["Arm Holdings"],
    "Qualcomm": ["クアルコム"],
    "Tesla": ["テスラ"],
    "xAI": [],
    "Mistral AI": ["ミストラル"],
    "Baidu": ["百度", "バイドゥ"],
    "Alibaba": ["アリババ", "阿里巴巴"],
    "Tencent": ["テンセント", "騰訊"],
    "Huawei": ["ファーウェイ", "華為"],
    "Broadcom": ["ブロードコム"],
    "Micron": ["マイクロン"],
    "SK hynix": ["SKハイニックス"],
    "Rapidus": ["ラピダス"],
    "Preferred Networks": ["PFN", "プリファードネットワークス"],
    "NTT": ["日本電信電話", "NTTデータ"],
    "KDDI": [],
    "Fujitsu": ["富士通"],
    "NEC": ["日本電気"],
    "Hitachi": ["日立", "日立製作所"],
    "Panasonic": ["パナソニック"],
    "Salesforce": ["セールスフォース"],
    "Adobe": ["アドビ"],
    "Netflix": ["ネットフリックス"],
    "Cerebras": ["セレブラス"],
    "Hugging Face": ["ハギングフェイス"],
}


def seed(apps, schema_editor):
    CompanyTag = apps.get_model("articles", "CompanyTag")
    for name, aliases in KNOWN_COMPANIES.items():
        CompanyTag.objects.get_or_create(
            name=name,
            defaults={"slug": slugify(name, allow_unicode=True), "aliases": "\n".join(aliases)},
        )


def unseed(apps, schema_editor):
    CompanyTag = apps.get_model("articles", "CompanyTag")
    CompanyTag.objects.filter(name__in=KNOWN_COMPANIES, tagged_articles__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [("articles", "0001_initial")]
    operations = [migrations.RunPython(seed, unseed)]
