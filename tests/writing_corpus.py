"""A labelled corpus for the Japanese writing checks (issue 23): the kinds of text a tech
desk publishes and imports (release notes with English names and version numbers, link
lists with quoted titles, long explanations with 〜てみる and compound particles, news
copy), written for this project.

Each document says which findings are right (``true``: a rule and a piece of the
sentence or message it is about) and which one-click fixes are right (``fixes``). Every
other finding is wrong, and so is every other fix offered. ``kind`` "ordinary" marks
ordinary prose, for the rate of findings per 1,000 characters.

Read by tests/test_writing_precision.py and benchmarks/writing_precision.py.
"""

RELEASE_NOTES = """\
## バージョン 3.2.0 の変更点

- Script Runner の起動を速くしました。スクリプトの読み込みは以前の半分の時間で終わります。
- File API に `readAll` を追加しました。ファイルを一度に読み込めます。
- Dark mode を既定で有効にしました。モードは設定画面で切り替えられます。
- Service Worker の登録に失敗したときのエラー表示を改善しました。ワーカーの状態はログで確認できます。
- Error messages now name the file that failed. エラーの原因を探しやすくなりました。
- Fixed a crash when the user pressed the Right arrow key twice in the editor!
- Added support for writing files larger than 2 GB on Linux, macOS and Windows hosts, which previously \
failed without any message when the target directory was on a network share. Thanks to everyone who reported it.
- Light テーマの配色を調整しました。write 権限のないフォルダーでは保存ボタンを押せません。

### ダウンロード

- sha256: 9f2c4e7a1b3d5f60718293a4b5c6d7e8f90123456789abcdef0123456789abcd
- sha256: 0a1b2c3d4e5f60718293a4b5c6d7e8f90123456789abcdef0123456789abcdef

詳しくは [リリースノート](https://example.com/releases/3.2.0) をご覧ください。
"""

LINK_LIST = """\
## 今週読んだ記事

- 「１０年後も通用する設計の話！」：長く保守されるシステムの設計を、具体例を交えて解説している。
- 『なぜ私たちはテストを書くのか？』：テストの目的を改めて整理した記事。
- [Issue #573 : cmd.exe 版で「ﾎﾞ」が入力出来ない](https://example.com/issues/573)
- "Why We Moved Our Build System to Bazel and What We Learned Along the Way" — a long write-up \
from a platform team about moving a large repository, with numbers for every step.
- 「サーバーレス時代のログ設計」：ログの保存期間とコストの関係を扱う。
- [なぜ私たちはモノレポをやめたのか！](https://example.com/monorepo)
"""

EXPLANATION = """\
## キャッシュの仕組みを確かめる

まずは手元の環境でキャッシュの動きを確かめてみましょう。設定ファイルを開いて、保存期間を短くしてみます。\
リクエストを何度か送ってみると、二回目からの応答が速くなっていくのが分かります。

この仕組みに対して、よく寄せられる疑問があります。キャッシュによって古いデータが表示されることはないのか、という点です。\
結論から言うと、更新の通知を受け取る仕組みを入れておけば心配はいりません。

公式ドキュメントを参考に、更新の通知について整理しておきます。データベースにおける変更は、\
アプリケーションの層では検知できないことがあります。そのため、変更を記録する表を用意して、\
一定の間隔で読み出す方法がよく使われます。

実際の運用では、監視の画面で保存期間とヒット率を見比べていきます。ヒット率が下がってきたら、\
保存期間を延ばすか、キャッシュするデータを見直します。運用チームとは、どの指標を見るかを事前に決めておくと安心です。

最後に、よくある失敗を一つ紹介します。私はこの設定は不要だと考えていましたが、実際には必要でした。\
キャッシュの削除を手作業で行う時、削除の順序を間違えると、古いデータが残ることがあります。\
削除の手順は必ず文書にしておき、作業の前に読み返すようにしましょう。

手順がわかれば、あとは自動化するだけです。
"""

NEWS = """\
## 新しい推論サーバを発表

ある半導体メーカーは、大規模言語モデルの推論に向けた新しいサーバを発表した。\
新製品は従来の製品と比べて消費電力を三割減らしながら処理性能を二倍に高めたとしており、\
同社は国内外でデータセンターを運営する大手の事業者や大学などの研究機関を主な顧客として想定し、年内にも量産品の出荷を始める計画だという。

発表会では、開発チームの責任者が「電力の制約こそが最大の課題だった」と語った。\
驚きの結果です！市場では価格が焦点になると思われます。競合の製品よりも高くなるかもしれません。

新しいサーバは、既存の管理ツールを利用することができます。ただし、古いファームウェアの状態ででコマンドを実行すると、\
設定が消えることがある。管理画面から最新の版に更新しておく必要がある。

同社によると、出荷の前に一部の顧客がﾃｽﾄ機を試用しており、ＡＰＩの互換性も確かめたという。\
昨日の出来事として、試用機の出来上がりを祝う会も開かれた。問い合わせの窓口は専用の画面から見れる。\
新しい管理画面は素晴らしい使い心地だと評価する声もある。

- サーバメンテナンスの手順は従来と同じ。
    - 予備のサーバを用意しておく。

価格は後日発表するとしている。同社は今後、対応するモデルを増やしていく方針だ。
"""

INTERVIEW = """\
## 開発者に聞く：小さなチームの運用

小さなチームでシステムを運用するには、何を自動化するかを決めることが大切です。\
今回は、五人のチームで決済の基盤を運用している開発者に話を聞きました。

「最初は全部を手で行っていました。障害のたびに同じ作業を繰り返していたので、\
まず手順を文書にして、次にスクリプトにしました」と開発者は振り返ります。

チームでは、障害の対応について週に一度の振り返りを行っています。振り返りでは原因ではなく\
仕組みに注目し、同じ障害が二度と起きないように手順を直していきます。\
このやり方によって、夜間の呼び出しは一年で半分に減ったそうです。

監視についても工夫があります。通知の数を減らすため、すぐに対応が必要なものだけを電話で知らせ、\
それ以外は翌朝に確認する一覧に送っています。通知に対する考え方を揃えておくと、\
担当者が交代しても判断がぶれにくくなります。

これから運用を始めるチームには、まず障害の記録を残すことを勧めているとのことです。\
記録があれば、どこから自動化すべきかが見えてきます。
"""

PLAIN_STYLE = """\
## 検索の精度を測る

検索の精度は、正解の集合を用意して測る。利用者が実際に入力した語を集め、\
それぞれの語で見つかるべき記事を人が選んでおく。

測定では、見つかった記事のうち正解に含まれるものの割合と、正解のうち見つかったものの割合を求める。\
前者が適合率、後者が再現率である。どちらか一方だけを高めるのは難しくない。\
すべての記事を返せば再現率は一になるが、適合率は下がる。

表記の揺れは再現率を下げる大きな要因である。送り仮名の違いや長音の有無によって、\
同じ語が別の語として扱われてしまうからだ。辞書の正規化を使えば、多くの揺れを一つの形にまとめられる。

ただし、正規化には限界もある。辞書に載っていない製品名や、英字と片仮名の対応は別に登録する必要がある。\
こうした対応表は、編集部の用語集と一緒に管理しておくとよい。
"""

TUTORIAL = """\
## コンテナで開発環境を作る

この記事では、コンテナを使って開発環境を用意する手順を説明します。手元の環境を汚さずに、\
チームの全員が同じ版のツールを使えるようになります。

### 準備

まず、コンテナの実行環境をインストールしてください。インストールが終わったら、次のコマンドで版を確かめます。

```bash
docker --version
```

版が表示されれば準備は完了です。表示されない場合は、[公式の手順](https://example.com/install)を見直してください。

### 設定ファイルを書く

プロジェクトの直下に `compose.yaml` を作り、使うサービスを書いていきます。データベースとキャッシュを\
別々のコンテナにしておくと、片方だけを作り直せるので便利です。

1. `compose.yaml` を作る
2. データベースのサービスを追加する
    - 初期データは別のファイルに分けておく
3. コンテナを起動する

起動したら、ブラウザで画面を開いてみてください。ログイン画面が表示されていれば成功です。

### うまく動かないとき

ポートが別のプログラムに使われていると、コンテナは起動しません。設定ファイルでポートの番号を変えてから、\
もう一度起動してみましょう。それでも動かない場合は、ログを読んで原因を探します。
"""

RELEASE_JA = """\
## v2.4.1 の変更点

v2.4.1 では、長時間の運用で起きていたメモリーの増加を修正しました。あわせて、いくつかの表示の不具合を直しています。

### 修正

- 検索結果が 100 件を超えると、最後のページが空になる問題を修正しました。
- 管理画面の CSV 出力で、日付の形式が設定に従っていなかった問題を修正しました。
- Chrome 131 で、編集画面の保存ボタンが二回押せてしまう問題を修正しました。

### 変更

- 既定のタイムアウトを 30 秒から 60 秒に延ばしました。
- Python 3.9 のサポートを終了しました。3.10 以降を使ってください。

### 既知の問題

- Safari 17 では、画像の貼り付けが動かないことがあります。次の版で修正する予定です。

更新の手順は、これまでと変わりません。
"""

ANALYSIS = """\
## 生成AIの導入で変わる開発の分担

生成AIを使った開発の支援が広がり、チームの中での役割の分け方が変わり始めている。\
コードの下書きをAIに任せる場面が増え、人は設計とレビューに多くの時間を使うようになった。

ある調査会社の集計では、国内の開発組織の四割がコードの補完に生成AIを使っている。\
一方で、生成されたコードの品質を確かめる仕組みを整えている組織は一割に満たない。\
導入の速さに、確認の体制が追いついていない。

確認の負担を減らす方法として注目されているのが、テストを先に書く開発の進め方だ。\
期待する動作をテストで決めておけば、生成されたコードがその動作を満たすかを機械で確かめられる。\
人はテストの妥当性を見ればよく、確認の範囲が絞られる。

ただし、テストを書く力は一朝一夕には身につかない。社内の研修で基本を教え、\
実際の案件で経験を積ませる取り組みを続けている企業もある。担当者は、\
道具が変わっても、何を作るべきかを決めるのは人の仕事だと話す。
"""

DOCUMENTS = [
    {
        "name": "release-notes", "kind": "release", "title": "バージョン 3.2.0 を公開しました",
        "text": RELEASE_NOTES,
        "true": [],
        "fixes": [],
    },
    {
        "name": "link-list", "kind": "links", "title": "今週読んだ記事",
        "text": LINK_LIST,
        "true": [],
        "fixes": [],
    },
    {
        "name": "explanation", "kind": "ordinary", "title": "キャッシュの仕組みを確かめる",
        "text": EXPLANATION,
        "true": [
            ("writing.variants", "分かる"),  # 分かる and わかる in one article
            ("writing.variants", "わかれば"),
            ("writing.doubled_particle", "私はこの設定は不要"),
        ],
        "fixes": [],
    },
    {
        "name": "news", "kind": "news", "title": "新しい推論サーバを発表",
        "text": NEWS,
        "true": [
            ("writing.house_style", "サーバ"),
            ("writing.sentence_length", "新製品は従来の製品と比べて"),
            ("writing.exclamation", "驚きの結果です！"),
            ("writing.hedging", "価格が焦点になると思われます"),
            ("writing.hedging", "高くなるかもしれません"),
            ("writing.mixed_style", ""),
            ("writing.redundant", "利用することができます"),
            ("writing.successive_word", "状態ででコマンド"),
            ("writing.ra_dropping", "見れる"),
            ("writing.halfwidth_kana", "ﾃｽﾄ"),
            ("writing.fullwidth_alnum", "ＡＰＩ"),
        ],
        "fixes": [
            ("サーバ", "サーバー"), ("ﾃｽﾄ", "テスト"), ("ＡＰＩ", "API"), ("利用することができ", "利用でき"),
        ],
    },
    {
        "name": "interview", "kind": "ordinary", "title": "開発者に聞く：小さなチームの運用",
        "text": INTERVIEW,
        "true": [],
        "fixes": [],
    },
    {
        "name": "tutorial", "kind": "ordinary", "title": "コンテナで開発環境を作る",
        "text": TUTORIAL,
        "true": [("writing.house_style", "ブラウザ")],  # the house writes ブラウザー
        "fixes": [("ブラウザ", "ブラウザー")],
    },
    {
        "name": "release-ja", "kind": "release", "title": "v2.4.1 を公開しました",
        "text": RELEASE_JA,
        "true": [("writing.house_style", "メモリー")],  # the house writes メモリ
        "fixes": [("メモリー", "メモリ")],
    },
    {
        "name": "analysis", "kind": "ordinary", "title": "生成AIの導入で変わる開発の分担",
        "text": ANALYSIS,
        "true": [],
        "fixes": [],
    },
    {
        "name": "plain-style", "kind": "ordinary", "title": "検索の精度を測る",
        "text": PLAIN_STYLE,
        "true": [],
        "fixes": [],
    },
]


def judged(document, findings):
    """``(finding, right)`` for the writing findings of ``document``."""
    result = []
    for finding in findings:
        if not finding.code.startswith("writing.") or finding.code == "writing.not_checked":
            continue
        right = any(code == finding.code and (key in finding.sentence or key in finding.message)
                    for code, key in document["true"])
        result.append((finding, right))
    return result


def missed(document, findings):
    """The labels of ``document`` no finding answers."""
    return [(code, key) for code, key in document["true"]
            if not any(f.code == code and (key in f.sentence or key in f.message) for f in findings)]


def fixes_judged(document, findings, apply):
    """``(fix, right)`` for each fix offered; a fix is wrong if it is not one of the
    document's, or if making it (``apply(text, old, new) -> (text, count)``) changes
    nothing."""
    result = []
    for fix in dict.fromkeys(f.fix for f in findings if f.code.startswith("writing.") and f.fix):
        changed = sum(apply(text, *fix)[1] for text in (document["title"], document["text"]))
        result.append((fix, fix in document["fixes"] and changed > 0))
    return result
