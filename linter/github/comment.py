"""The one sticky pull-request comment: found by its hidden marker, edited on every run.

Every page of the pull request's comments is searched (a busy pull request has more than one
page, and a second comment is exactly what the marker exists to prevent). Only a comment that
*starts* with the marker counts, so quoting our comment in a reply does not make the reply
ours. It is edited on every run, even with the same text, so its edit time says when
dbvet last looked. With nothing to report and no comment yet, nothing is posted.
"""

from __future__ import annotations

from linter.github.markdown import MARKER


def find(issue):
    """The first comment on `issue` (a PyGithub Issue) that starts with the marker, or None."""
    for comment in issue.get_comments():
        if (comment.body or "").lstrip().startswith(MARKER):
            return comment
    return None


def upsert(issue, body: str, *, has_findings: bool) -> str:
    """Create or update; says which ("created", "updated", or "none" when nothing was posted)."""
    existing = find(issue)
    if existing is None:
        if not has_findings:
            return "none"
        issue.create_comment(body)
        return "created"
    existing.edit(body)
    return "updated"
