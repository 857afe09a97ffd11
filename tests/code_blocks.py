"""Code blocks as a reader gets them, however the highlighter marks them up."""

from html.parser import HTMLParser


class _CodeBlocks(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.stack = []
        self.blocks = []
        self.classes = set()

    def handle_starttag(self, tag, attrs):
        classes = (dict(attrs).get("class") or "").split()
        self.classes.update(classes)
        self.stack.append((tag, classes))
        if tag == "pre":
            language = next((name.removeprefix("language-") for _tag, names in reversed(self.stack)
                             for name in names if name.startswith("language-")), "")
            self.blocks.append([language, ""])

    def handle_endtag(self, tag):
        while self.stack:
            if self.stack.pop()[0] == tag:
                break

    def handle_data(self, data):
        if any(tag == "pre" for tag, _ in self.stack):
            self.blocks[-1][1] += data


def code_blocks(html):
    """``[(language, text)]`` of every <pre> in ``html`` ("" when it names none); the text
    without the line break a highlighter adds at the end."""
    parser = _CodeBlocks()
    parser.feed(html)
    parser.close()
    return [(language, text.removesuffix("\n")) for language, text in parser.blocks]
