"""What a check says: a finding, with its level. Shared by the editorial checks
(articles/checks.py) and the Japanese writing checks (articles/writing.py)."""

from dataclasses import dataclass

ERROR, WARNING, INFO = "error", "warning", "info"
LEVEL_ORDER = {ERROR: 0, WARNING: 1, INFO: 2}


@dataclass(frozen=True)
class Finding:
    code: str
    level: str
    message: str
    where: str = ""
    # The sentence it is about, as readers read it (the desk highlights it there), and a
    # mechanical fix: (what to replace, with what).
    sentence: str = ""
    fix: tuple = ()
