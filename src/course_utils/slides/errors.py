"""The one error the slides' build reports to the person who ran it (then it stops)."""


class SlidesError(RuntimeError):
    """A deck cannot be built as it must be (missing assets, a page that would load the web)."""
