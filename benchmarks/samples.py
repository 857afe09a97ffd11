"""A long article of our own, for benchmarks run where the publisher's sample post
(../shared/seeds) is absent: a Jekyll post of ~70 KB in the shape of a long analysis."""


def long_post():
    """~70 KB of Markdown of our own, in the shape of a long news analysis."""
    paragraph = ("生成AIの推論需要が伸び、各社は専用チップとデータセンターへの投資を急いでいる。"
                 "新しい世代は電力あたりの処理量を大きく改善したとされ、価格の下落も続く。")
    sections = []
    for n in range(1, 41):
        sections.append(f"## 第{n}節 市場の動き\n\n" + "\n\n".join([paragraph * 3] * 3)
                        + f"\n\n- 要点{n}の一\n- 要点{n}の二\n")
    return "---\ntitle: 推論チップ市場の長い分析\nexcerpt: 推論チップをめぐる各社の動きを長く追う。\n" \
           "companies: [NVIDIA, Amazon]\ntopics: [推論]\n---\n" + "\n\n".join(sections)
