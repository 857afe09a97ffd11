"""What a new database starts with, besides its tables (0001): the desk's two roles, the
vocabularies to start from (companies with their other spellings, the house style,
products), the search index, and the rows the page cache counts in. Every step may run
again and changes nothing then (a database made before the squash runs it once more).

The code each step needs is frozen here, not imported from the app: a migration does
the same thing whatever the app becomes. (The search index's statements are the ones
articles/reading/search.py keeps putting back after a table rebuild on SQLite.)
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations
from django.utils import timezone
from django.utils.text import slugify

# The desk's two roles. Writers create articles and edit their own drafts; editors also
# review, approve, publish and unpublish any article (articles/publishing/permissions.py).
ROLES = {
    "Writers": [
        "add_article", "change_article", "view_article", "view_category",
        "view_companytag", "view_topictag", "add_comment", "view_comment", "view_revision",
    ],
    "Editors": [
        "add_article", "change_article", "view_article", "review_article",
        "add_category", "change_category", "view_category",
        "add_companytag", "change_companytag", "view_companytag",
        "add_topictag", "change_topictag", "view_topictag",
        "add_comment", "view_comment", "view_revision", "view_transition",
    ],
}

# The company vocabulary a tech desk writes about; the aliases let the import and the
# checks recognise a company however it is written. Editors keep it in the admin.
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

# The desk's spelling book to start with: common IT terms in the desk's spelling (long
# vowel marks on -er words as JIS Z 8301 and Microsoft write them; okurigana as the
# cabinet notice gives them).
LONG_VOWEL = "語末の長音を付ける（JIS Z 8301、Microsoft のスタイルガイドと同じ）"
CUSTOM = "慣用に合わせて長音を付けない"
OKURIGANA = "送り仮名は本則どおり（「送り仮名の付け方」）"
KANA = "補助的な用法はひらがなで書く（「公用文における漢字使用等について」）"

TERMS = [
    ("サーバー", ["サーバ"], LONG_VOWEL),
    ("ユーザー", ["ユーザ"], LONG_VOWEL),
    ("コンピューター", ["コンピュータ"], LONG_VOWEL),
    ("ブラウザー", ["ブラウザ"], LONG_VOWEL),
    ("フォルダー", ["フォルダ"], LONG_VOWEL),
    ("パラメーター", ["パラメータ"], LONG_VOWEL),
    ("プロセッサー", ["プロセッサ"], LONG_VOWEL),
    ("ドライバー", ["ドライバ"], LONG_VOWEL),
    ("プリンター", ["プリンタ"], LONG_VOWEL),
    ("エディター", ["エディタ"], LONG_VOWEL),
    ("コントローラー", ["コントローラ"], LONG_VOWEL),
    ("ルーター", ["ルータ"], LONG_VOWEL),
    ("データ", ["データー"], CUSTOM),
    ("メモリ", ["メモリー"], CUSTOM),
    ("セキュリティ", ["セキュリティー"], CUSTOM),
    ("アーキテクチャ", ["アーキテクチャー"], CUSTOM),
    ("バッファ", ["バッファー"], CUSTOM),
    ("インターフェース", ["インタフェース", "インターフェイス", "インタフェイス"], ""),
    ("ウェブ", ["ウエブ"], ""),
    ("ソフトウェア", ["ソフトウエア"], ""),
    ("ハードウェア", ["ハードウエア"], ""),
    ("ミドルウェア", ["ミドルウエア"], ""),
    ("問い合わせ", ["問合せ", "問い合せ", "問合わせ"], OKURIGANA),
    ("申し込み", ["申込み"], OKURIGANA),
    ("組み込み", ["組込み"], OKURIGANA),
    ("読み込み", ["読込み"], OKURIGANA),
    ("書き込み", ["書込み"], OKURIGANA),
    ("取り扱い", ["取扱い"], OKURIGANA),
    ("引っ越し", ["引越し"], OKURIGANA),
    ("できる", ["出来る"], KANA),
    ("ください", ["下さい"], KANA),
]

# Products and terms search finds in every spelling: the names Japanese tech news
# writes in katakana as often as in Latin letters.
PRODUCTS = [
    ("Trainium", ["トレイニウム"]),
    ("Inferentia", ["インファレンシア"]),
    ("Graviton", ["グラビトン"]),
    ("Blackwell", ["ブラックウェル"]),
    ("Hopper", ["ホッパー"]),
    ("CUDA", ["クーダ"]),
    ("GeForce", ["ジーフォース"]),
    ("Gemini", ["ジェミニ"]),
    ("Copilot", ["コパイロット"]),
    ("ChatGPT", ["チャットGPT"]),
    ("Snapdragon", ["スナップドラゴン"]),
    ("Ryzen", ["ライゼン"]),
    ("Xeon", ["ジーオン"]),
    ("Kubernetes", ["クバネティス", "クーベネティス"]),
]

SQLITE_SEARCH = [
    "CREATE VIRTUAL TABLE IF NOT EXISTS articles_search USING fts5("
    "search_text, content='articles_article', content_rowid='id', tokenize='trigram')",
    """CREATE TRIGGER IF NOT EXISTS articles_search_insert AFTER INSERT ON articles_article BEGIN
        INSERT INTO articles_search(rowid, search_text) VALUES (new.id, new.search_text); END""",
    """CREATE TRIGGER IF NOT EXISTS articles_search_delete AFTER DELETE ON articles_article BEGIN
        INSERT INTO articles_search(articles_search, rowid, search_text) VALUES ('delete', old.id, old.search_text); END""",
    """CREATE TRIGGER IF NOT EXISTS articles_search_update AFTER UPDATE OF search_text ON articles_article BEGIN
        INSERT INTO articles_search(articles_search, rowid, search_text) VALUES ('delete', old.id, old.search_text);
        INSERT INTO articles_search(rowid, search_text) VALUES (new.id, new.search_text); END""",
]
POSTGRESQL_SEARCH = [
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    "CREATE INDEX IF NOT EXISTS article_search_trgm ON articles_article USING gin (search_text gin_trgm_ops)",
    # Statistics per tag (up to 1,000 tags), not one average for all: the planner then
    # knows a tag on three articles from one on thirty thousand and picks a plan for each.
    "ALTER TABLE articles_taggedcompany ALTER COLUMN tag_id SET STATISTICS 1000",
    "ALTER TABLE articles_taggedtopic ALTER COLUMN tag_id SET STATISTICS 1000",
]


def create_roles(apps, schema_editor):
    # Permissions are normally created after all migrations; the groups need them now.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, codenames in ROLES.items():
        group, _ = Group.objects.get_or_create(name=name)
        group.permissions.add(*Permission.objects.filter(content_type__app_label="articles", codename__in=codenames))


def seed_vocabularies(apps, schema_editor):
    CompanyTag = apps.get_model("articles", "CompanyTag")
    for name, aliases in KNOWN_COMPANIES.items():
        CompanyTag.objects.get_or_create(
            name=name, defaults={"slug": slugify(name, allow_unicode=True), "aliases": "\n".join(aliases)})
    HouseStyleTerm = apps.get_model("articles", "HouseStyleTerm")
    for preferred, variants, note in TERMS:
        HouseStyleTerm.objects.get_or_create(preferred=preferred, defaults={"variants": "\n".join(variants),
                                                                              "note": note})
    ProductName = apps.get_model("articles", "ProductName")
    for name, aliases in PRODUCTS:
        ProductName.objects.get_or_create(name=name, defaults={"aliases": "\n".join(aliases)})


def install_search(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    for statement in {"sqlite": SQLITE_SEARCH, "postgresql": POSTGRESQL_SEARCH}.get(vendor, []):
        schema_editor.execute(statement)


def count_from_zero(apps, schema_editor):
    # The one generation row, made here so that concurrent first changes never make two;
    # scheduled articles are looked at from now on (articles/reading/public_changes.py came_due).
    PublicGeneration = apps.get_model("articles", "PublicGeneration")
    if not PublicGeneration.objects.exists():
        PublicGeneration.objects.create(counter=0, due_checked_at=timezone.now())
    apps.get_model("articles", "PublicCount").objects.get_or_create(kind="all", key=0, defaults={"articles": 0})


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.RunPython(create_roles, migrations.RunPython.noop),
        migrations.RunPython(seed_vocabularies, migrations.RunPython.noop),
        migrations.RunPython(install_search, migrations.RunPython.noop),
        migrations.RunPython(count_from_zero, migrations.RunPython.noop),
    ]
