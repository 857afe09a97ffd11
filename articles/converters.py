"""URL converters for Japanese slugs and zero-padded dates."""


class UnicodeSlugConverter:
    """Like ``<slug:>`` but letting Japanese through (``<slug:>`` is ASCII only).

    Django decodes the percent-encoded path before matching, so ``\\w`` sees the
    real characters.
    """

    regex = r"[-\w]+"

    def to_python(self, value):
        return value

    def to_url(self, value):
        return value


class TwoDigitConverter:
    regex = "[0-9]{2}"

    def to_python(self, value):
        return int(value)

    def to_url(self, value):
        return f"{int(value):02d}"
