"""`linter.dialects.pg_parser`: pglast's parser without running pglast's enum and AST modules,
which stay importable and work as ever the moment anything uses them. Each case runs in a
fresh interpreter: what is imported is the point."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def python(code: str, prelude: str = "") -> str:
    done = subprocess.run(
        [sys.executable, "-c", prelude + textwrap.dedent(code)], cwd=REPO, capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


# Whether a module has run, read without running it (a lazy module runs on any attribute read):
# a name each defines.
RAN = """
import sys, types
DEFINES = {"pglast.ast": "SelectStmt", "pglast.enums": "ConstrType", "pglast.parser": "parse_sql_json",
           "pglast.enums.nodes": "NodeTag"}
def ran(name):
    module = sys.modules.get(name)
    return module is not None and DEFINES[name] in types.ModuleType.__getattribute__(module, "__dict__")
"""

def test_a_check_parses_without_running_pglasts_ast_or_enums():
    out = python(
        """
        import io, contextlib, tempfile, pathlib
        from linter.cli import main
        root = pathlib.Path(tempfile.mkdtemp())
        sql = "CREATE TABLE t (id int PRIMARY KEY);\\nALTER TABLE t ADD COLUMN a text;\\n"
        (root / "0001_init.sql").write_text(sql)
        with contextlib.redirect_stdout(io.StringIO()) as report:
            code = main(["check", "--no-cache", "--dialect", "postgresql", "--format", "json", str(root)])
        assert '"rule"' in report.getvalue(), report.getvalue()
        print(code, ran("pglast.ast"), ran("pglast.enums"), ran("pglast.enums.nodes"), ran("pglast.parser"))
        """,
        RAN,
    )
    assert out.split() == ["1", "False", "False", "False", "True"]


def test_pglasts_ast_and_enums_still_work_in_the_same_process():
    out = python(
        """
        from linter.dialects.pg_parser import parse_sql_json
        assert parse_sql_json("SELECT 1")
        import pglast
        from pglast import parse_sql
        from pglast.enums.parsenodes import ConstrType
        import pglast.ast
        statement = parse_sql("SELECT 1")[0].stmt
        print(type(statement) is pglast.ast.SelectStmt, pglast.enums.ConstrType is ConstrType,
              ConstrType.CONSTR_PRIMARY.name, ran("pglast.ast"), ran("pglast.enums"))
        """,
        RAN,
    )
    assert out.split() == ["True", "True", "CONSTR_PRIMARY", "True", "True"]


def test_a_submodule_of_a_lazy_package_is_an_attribute_of_it_and_one_module():
    out = python(
        """
        from linter.dialects import pg_parser
        import pglast.enums.parsenodes
        import pglast.enums.primnodes as primnodes
        print(pglast.enums.parsenodes.ConstrType is pglast.enums.ConstrType,
              primnodes is pglast.enums.primnodes is sys.modules["pglast.enums.primnodes"],
              pglast.enums.nodes.NodeTag.__name__)
        """,
        RAN,
    )
    assert out.split() == ["True", "True", "NodeTag"]


def test_pglast_imported_first_is_used_as_it_is():
    out = python(
        """
        import sys, pglast.parser
        before = dict(sys.modules)
        from linter.dialects import pg_parser
        print(pg_parser.parse_sql_json is pglast.parser.parse_sql_json,
              all(sys.modules[name] is module for name, module in before.items() if name.startswith("pglast")))
        """
    )
    assert out.split() == ["True", "True"]


def test_an_unexpected_layout_leaves_no_half_imported_pglast():
    out = python(
        """
        import sys
        from linter.dialects import pg_parser
        for name in [n for n in sys.modules if n.startswith("pglast")]:
            del sys.modules[name]
        try:
            pg_parser._import_with_lazy_submodules("pglast", ("enums", "no_such_module"))
        except ImportError as error:
            print("ImportError", [n for n in sys.modules if n.startswith("pglast")])
        import pglast.parser
        print(bool(pglast.parser.parse_sql_json("SELECT 1")))
        """
    )
    assert out.split() == ["ImportError", "[]", "True"]


def test_submodules_are_the_ones_pkgutil_lists():
    """`_submodules` reads a package's folder as `pkgutil.iter_modules` does (which imports
    `inspect`): modules, extension modules and packages, for pglast and its enums."""
    out = python(
        """
        import pkgutil, pglast, pglast.enums
        from linter.dialects.pg_parser import _submodules
        for package in (pglast, pglast.enums):
            listed = sorted(module.name for module in pkgutil.iter_modules(package.__path__))
            assert _submodules(package.__path__) == listed, (_submodules(package.__path__), listed)
            print(len(listed) > 5, "parser" in listed or "nodes" in listed)
        """
    )
    assert out.split() == ["True", "True", "True", "True"]
