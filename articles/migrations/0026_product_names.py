"""Products and terms search finds in every spelling, to start with: the names Japanese
tech news writes in katakana as often as in Latin letters. Editors change it in the admin."""

import articles.text
from django.db import migrations, models

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


def add_products(apps, schema_editor):
    ProductName = apps.get_model("articles", "ProductName")
    for name, aliases in PRODUCTS:
        ProductName.objects.get_or_create(name=name, defaults={"aliases": "\n".join(aliases)})


class Migration(migrations.Migration):

    dependencies = [
        ('articles', '0025_creation_key'),
    ]

    operations = [
        migrations.CreateModel(
            name='ProductName',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('name', models.CharField(max_length=100, unique=True, validators=[articles.text.validate_no_control_characters], verbose_name='name')),
                ('aliases', models.TextField(help_text='Other spellings, one per line (for Trainium: トレイニウム).', verbose_name='aliases')),
            ],
            options={
                'verbose_name': 'product or term',
                'verbose_name_plural': 'products and terms',
                'ordering': ['name'],
            },
        ),
        migrations.RunPython(add_products, migrations.RunPython.noop, elidable=True),
    ]
