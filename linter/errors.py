"""The one exception type for user errors: the CLI maps it to exit 2 and one line."""


class UserError(Exception):
    """A problem the user can fix (bad option, bad configuration, missing git revision)."""
