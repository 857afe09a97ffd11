"""The busy hour (issue 21, item 1): with every core kept at work by other processes,
ordinary saves, previews, the demo load and a whole Jekyll import go through, because
the rendering bound counts the work a text takes, not the time spent waiting for a
core; a text that really takes too much work is still refused, and says so."""

import os
import subprocess
import sys
from io import StringIO
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest
from django.core.management import call_command
from django.urls import reverse

from articles.models import Article

from .busy import busy_machine

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[1]
PATHOLOGICAL = "[a](" * 20_000
DRAFT = """## 量子誤り訂正

論理量子ビットを**実用の規模**で動かす道のりを、各社の[発表](https://example.com/roadmap)から整理する。

- 物理量子ビットの数
- 誤り率の目標

```python
print("ok")
```
"""


def _form(**changes):
    data = {"title": "混んだ時間の下書き", "slug": "", "byline": "", "category": "", "companies": "IBM",
            "topics": "量子コンピューター", "excerpt": "混んでいても保存できる。", "body": DRAFT, "cover": "",
            "version": 0}
    data.update(changes)
    return data


def test_a_busy_machine_refuses_no_ordinary_work(client, writer, settings):
    settings.DEBUG = True  # load_demo runs as `make run` runs it
    client.force_login(writer)
    with busy_machine():
        for n in range(3):
            preview = client.post(reverse("desk:render"), _form(body=DRAFT + f"\n追記{n}。"))
            assert preview.status_code == 200, preview.content.decode()
            saved = client.post(reverse("desk:new"), _form(title=f"混んだ時間の下書き{n}", body=DRAFT + f"\n{n}"))
            assert saved.status_code == 302, saved.content.decode()
        call_command("load_demo", stdout=StringIO())
        refused = client.post(reverse("desk:render"), _form(body=PATHOLOGICAL))
    assert refused.status_code == 400 and "処理" in refused.json()["error"]
    assert Article.objects.filter(title__startswith="混んだ時間の下書き").count() == 3


def _separate_database(environment):
    """The child suite's own test database (this session's is in use)."""
    url = environment.get("DATABASE_URL")
    if url and url.startswith("postgres"):
        parts = urlsplit(url)
        environment["DATABASE_URL"] = urlunsplit(parts._replace(path=parts.path.rstrip("/") + "_busy"))
    return environment


@pytest.mark.skipif(sys.platform != "linux", reason="needs the process CPU clock as Linux keeps it")
def test_a_whole_jekyll_comparison_passes_on_a_busy_machine():
    environment = _separate_database(dict(os.environ))
    with busy_machine():
        result = subprocess.run(
            [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "tests/test_jekyll_compat.py",
             "tests/test_rendering.py::test_deep_nesting_gives_bounded_output"],
            cwd=ROOT, env=environment, capture_output=True, text=True, timeout=900,
        )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-2000:]
