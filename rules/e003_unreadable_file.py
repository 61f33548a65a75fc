from linter.findings import Severity
from linter.rule import Doc, EngineRule, Example


class UnreadableFile(EngineRule):
    id = "E003"
    name = "unreadable-file"
    severity = Severity.ERROR
    summary = "A file is not UTF-8 text, is binary, cannot be read, or is over the size limit."
    on_down = True
    doc = Doc(
        what="A migration, schema or lock file that dbvet cannot read as text: not UTF-8 (a BOM is fine), "
        "binary (NUL bytes), unreadable (permissions), or larger than the limit (default 10 MB, option "
        "`max-file-size`).",
        why="What cannot be read cannot be checked; a migration in another encoding may also be applied "
        "with mangled names or strings.",
        instead="Save migrations as UTF-8. Keep data dumps out of migration folders, or exclude them with "
        "`exclude` in the configuration.",
        bad=Example("-- saved as Latin-1: café\nCREATE TABLE cafe (id bigint PRIMARY KEY);\n", encoding="latin-1", expect=((1, 1),)),
        good=Example("-- saved as UTF-8: café\nCREATE TABLE cafe (id bigint PRIMARY KEY);\n"),
    )
