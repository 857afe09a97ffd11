"""The desk's spelling book to start with: common IT terms in the desk's spelling (long
vowel marks on -er words as JIS Z 8301 and Microsoft write them; okurigana as the
cabinet notice gives them). Editors change it in the admin."""

from django.db import migrations

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


def seed(apps, schema_editor):
    HouseStyleTerm = apps.get_model("articles", "HouseStyleTerm")
    for preferred, variants, note in TERMS:
        HouseStyleTerm.objects.get_or_create(preferred=preferred, defaults={"variants": "\n".join(variants),
                                                                              "note": note})


def unseed(apps, schema_editor):
    apps.get_model("articles", "HouseStyleTerm").objects.filter(preferred__in=[t[0] for t in TERMS]).delete()


class Migration(migrations.Migration):
    dependencies = [("articles", "0021_house_style")]
    operations = [migrations.RunPython(seed, unseed)]
