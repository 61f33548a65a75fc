"""dbvet: a static analyzer for database schemas and migrations."""

__version__ = "0.1.0"
# Where dbvet lives: `dbvet init` points pre-commit here (with rev `v<version>`, a release tag).
PROJECT_URL = "https://github.com/dbvet/dbvet"
