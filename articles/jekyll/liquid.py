"""The Liquid in Jekyll posts, evaluated by python-liquid as Jekyll would, so that what
readers got from Jekyll is what the article says: code highlighted with ``highlight``
becomes fenced code, ``post_url`` and ``link`` the imported article's address,
``include`` the site's ``_includes``, and the common embed includes and tags (YouTube,
Vimeo, tweets, gists) become the embed lines our renderer knows (articles/rendering/figures.py).

A post whose template code cannot be evaluated (a plugin's tag, a missing include) is
not guessed at: ``evaluate`` raises ``LiquidFailure`` naming the tag, and the importer
keeps the post as a draft with its source as it was.
"""

import functools
import re

from liquid import Environment, Mode
from liquid.ast import Node
from liquid.builtin.expressions import parse_primitive
from liquid.builtin.expressions._tokenize import tokenize
from liquid.builtin.loaders.file_system_loader import FileSystemLoader
from liquid.exceptions import LiquidError, LocalNamespaceLimitError, OutputStreamLimitError
from liquid.parser import get_parser
from liquid.stream import TokenStream
from liquid.tag import Tag
from liquid.token import TOKEN_EOF, TOKEN_EXPRESSION, TOKEN_TAG

from articles.jekyll.liquid_filters import JEKYLL_FILTERS

_LIQUID = re.compile(r"{%|{{")
# Jekyll's include argument syntax (tags/include.rb VALID_SYNTAX).
_INCLUDE_ARGUMENT = re.compile(r"""([\w-]+)\s*=\s*("(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|[\w.\-\[\]]+)""")

EMBED_HOSTS = {
    "youtube": "https://www.youtube.com/watch?v={}",
    "vimeo": "https://vimeo.com/{}",
    "gist": "https://gist.github.com/{}",
    "tweet": "{}",
    "twitter": "{}",
}


_EMBED_ARGUMENTS = ("id", "url", "video_id", "youtube_id", "tweet", "gist", "src")


class LiquidFailure(ValueError):
    """Template code that cannot be evaluated; the message names the tag or filter."""


def has_template_code(text):
    return bool(_LIQUID.search(text))


def _tag_and_argument(stream):
    """The tag's token and the raw text after its name (``python linenos`` in
    ``{% highlight python linenos %}``), leaving the stream on the tag's last token, as
    the parser expects of a tag without a block."""
    token = stream.current
    if stream.peek.kind == TOKEN_EXPRESSION:
        next(stream)
        return token, stream.current.value.strip()
    return token, ""


class _TextNode(Node):
    """A node whose output is worked out from its context when rendered."""

    __slots__ = ("make",)

    def __init__(self, token, make):
        super().__init__(token)
        self.make = make
        self.blank = False

    def __str__(self):
        return ""

    def render_to_output(self, context, buffer):
        return buffer.write(self.make(context))


class _SimpleTag(Tag):
    """A tag with no end: its output depends on its argument text only."""

    block = False

    def parse(self, stream):
        token, argument = _tag_and_argument(stream)
        return _TextNode(token, lambda context: self.output(argument, context))

    def output(self, argument, context):
        raise NotImplementedError


class HighlightNode(Node):
    __slots__ = ("block", "language")

    def __init__(self, token, language, block):
        super().__init__(token)
        self.language, self.block = language, block
        self.blank = False

    def __str__(self):
        return ""

    def render_to_output(self, context, buffer):
        inner = context.get_buffer(buffer)
        self.block.render(context, inner)
        code = inner.getvalue().strip("\n")
        longest = max((len(run) for run in re.findall(r"`+", code)), default=0)
        fence = "`" * max(3, longest + 1)
        return buffer.write(f"\n{fence}{self.language}\n{code}\n{fence}\n")


class HighlightTag(Tag):
    """``{% highlight python linenos %}…{% endhighlight %}`` → fenced code in that language."""

    name = "highlight"
    end = "endhighlight"

    def parse(self, stream):
        token, argument = _tag_and_argument(stream)
        next(stream)
        words = argument.split()
        language = words[0] if words and re.fullmatch(r"[\w+#.-]+", words[0]) else ""
        block = get_parser(self.env).parse_block(stream, (self.end, TOKEN_EOF))
        stream.expect(TOKEN_TAG, value=self.end)
        return HighlightNode(token, language, block)


class PostUrlTag(_SimpleTag):
    """``{% post_url 2019-01-07-name %}`` → where that post's article is now."""

    name = "post_url"

    def output(self, argument, context):
        return self.env.post_url(argument, tag=self.name)


class LinkTag(_SimpleTag):
    """``{% link _posts/2019-01-07-name.md %}`` → where that post's article is now."""

    name = "link"

    def output(self, argument, context):
        return self.env.post_url(argument, tag=self.name)


def _embed_line(kind, value):
    value = str(value).strip().strip("\"'")
    if not value:
        raise LiquidFailure(f"{{% {kind} %}} without a video, post or gist")
    if kind in ("tweet", "twitter") and value.isdigit():
        value = f"https://x.com/i/status/{value}"  # X answers this for any account's post
    url = value if value.startswith(("http://", "https://")) else EMBED_HOSTS[kind].format(value)
    if kind == "gist":
        # A gist shows through GitHub's script, which no article runs: a link to it.
        return f"\n\n<{url}>\n\n"
    # An embed is a line of its own (articles/rendering/markdown.py _Figures).
    return f"\n\n{url}\n\n"


def _embed_tag(kind):
    class EmbedTag(_SimpleTag):
        name = kind

        def output(self, argument, context):
            return _embed_line(kind, argument.split()[0] if argument.split() else "")

    EmbedTag.__name__ = f"{kind.title()}Tag"
    return EmbedTag


class JekyllIncludeTag(Tag):
    """Jekyll's ``{% include name.html key="value" other=page.var %}``: an unquoted file
    name and space-separated arguments, seen by the include as ``include.key``.

    An include named for a video or post host becomes our embed instead of its
    ``<iframe>``, which sanitising would drop."""

    name = "include"
    block = False

    def parse(self, stream):
        token, text = _tag_and_argument(stream)
        name, _, rest = text.partition(" ")
        arguments = {}
        for key, value in _INCLUDE_ARGUMENT.findall(rest):
            arguments[key] = parse_primitive(self.env, TokenStream(tokenize(value, parent_token=token)))
        return _IncludeNode(token, name.strip(), arguments)


class _IncludeNode(Node):
    __slots__ = ("arguments", "name")

    def __init__(self, token, name, arguments):
        super().__init__(token)
        self.name, self.arguments = name, arguments
        self.blank = False

    def __str__(self):
        return f"{{% include {self.name} %}}"

    def render_to_output(self, context, buffer):
        values = {key: expression.evaluate(context) for key, expression in self.arguments.items()}
        kind = _embed_kind(self.name)
        if kind:
            named = [values[key] for key in _EMBED_ARGUMENTS if key in values]
            value = named[0] if named else next(iter(values.values()), "")
            return buffer.write(_embed_line(kind, value))
        template = context.env.get_template(self.name, context=context, tag="include")
        with context.extend({"include": values}, template=template):
            template.render_with_context(context, buffer, partial=True)
        return True


def _embed_kind(include_name):
    stem = include_name.rsplit("/", 1)[-1].split(".")[0].lower().replace("-", "_")
    for kind in EMBED_HOSTS:
        if stem == kind or stem.startswith(kind + "_") or stem.endswith("_" + kind) or stem == kind + "s":
            return kind
    return None


# The longest text template code may make, in characters: a post is at most a few
# hundred thousand, and 142 bytes that double a string 25 times would otherwise make
# 268 MB.
TEXT_LIMIT = 1_000_000


class TextTooLarge(LiquidFailure):
    def __init__(self):
        super().__init__(f"template code: the text it builds is too large (over {TEXT_LIMIT:,} characters)")


def _bounded(function):
    """A filter whose result is refused past ``TEXT_LIMIT``, and whose one multiplying
    case (``replace``) is refused before the work."""

    @functools.wraps(function)
    def bounded(value, *args, **kwargs):
        if function.__name__ == "replace" and isinstance(value, str) and len(args) >= 2:
            old, new = str(args[0]), str(args[1])
            if len(value) + (value.count(old) if old else len(value) + 1) * len(new) > TEXT_LIMIT:
                raise TextTooLarge
        result = function(value, *args, **kwargs)
        if isinstance(result, str | list) and len(result) > TEXT_LIMIT:
            raise TextTooLarge
        return result

    return bounded


class JekyllEnvironment(Environment):
    """Liquid as Jekyll 4 runs it, with bounds: the site's own code is trusted to mean
    well, not to be small."""

    keyword_assignment = True
    loop_iteration_limit = 10_000
    output_stream_limit = 2_000_000
    # Bytes by sys.getsizeof: a text of TEXT_LIMIT characters, once or a few times over.
    local_namespace_limit = 4 * TEXT_LIMIT
    context_depth_limit = 20

    def __init__(self, *, includes=None, baseurl="", site_url="", post_urls=None):
        self.baseurl = baseurl
        self.site_url = site_url
        self.post_urls = post_urls or {}
        loader = FileSystemLoader(includes, reject_symlinks=True) if includes else None
        super().__init__(loader=loader, tolerance=Mode.STRICT, strict_filters=True)

    def setup_tags_and_filters(self, *, extra=False):
        super().setup_tags_and_filters(extra=extra)
        for tag in (HighlightTag, PostUrlTag, LinkTag, JekyllIncludeTag, *map(_embed_tag, EMBED_HOSTS)):
            self.add_tag(tag)
        for name, function in JEKYLL_FILTERS.items():
            self.add_filter(name, function)
        for name, function in list(self.filters.items()):
            self.filters[name] = _bounded(function)

    def post_url(self, reference, *, tag):
        """The address now of the post ``reference`` names (a file name with or without
        its folder and suffix)."""
        key = reference.strip().strip("\"'")
        for candidate in (key, key.rsplit("/", 1)[-1], re.sub(r"\.\w+$", "", key.rsplit("/", 1)[-1])):
            if candidate in self.post_urls:
                return self.post_urls[candidate]
        raise LiquidFailure(f"{{% {tag} {key} %}}: no such post in this import")


def evaluate(text, environment, *, site, page):
    """``text`` with its template code evaluated; raises ``LiquidFailure``."""
    if not has_template_code(text):
        return text
    try:
        return environment.from_string(text).render(site=site, page=page)
    except LiquidFailure:
        raise
    except (LocalNamespaceLimitError, OutputStreamLimitError):
        raise TextTooLarge from None
    except LiquidError as exc:
        raise LiquidFailure(_describe(exc)) from None
    except (RecursionError, ValueError, TypeError, OverflowError) as exc:
        raise LiquidFailure(f"template code failed: {exc}") from None


def _describe(exc):
    message = getattr(exc, "message", None) or str(exc).splitlines()[0]
    return "template code: " + " ".join(str(message).split())
