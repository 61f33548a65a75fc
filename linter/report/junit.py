"""JUnit XML, for CI systems that show test reports (GitLab, Jenkins, Azure Pipelines).

Each finding is a failed test case named after its rule and position; a clean run is one
passing test case, so the report shows a pass instead of "no tests".
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

from linter.findings import RunResult
from linter.report import text
from linter.report.common import visible

# Characters XML 1.0 cannot hold at all, escaped or not.
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")

SUITE = "dbvet"


def xml_safe(value: str) -> str:
    """`value` without the characters XML 1.0 cannot hold."""
    return _NOT_XML.sub("", value)


def render(result: RunResult) -> str:
    count = str(max(len(result.findings), 1))
    failures = str(len(result.findings))
    root = ET.Element("testsuites", name=SUITE, tests=count, failures=failures, errors="0")
    suite = ET.SubElement(root, "testsuite", name=SUITE, tests=count, failures=failures, errors="0", skipped="0")
    for finding in result.findings:
        case = ET.SubElement(
            suite,
            "testcase",
            classname=xml_safe(visible(finding.path)),
            name=f"{finding.rule} {finding.line}:{finding.column}",
        )
        message = xml_safe(visible(finding.message))
        failure = ET.SubElement(case, "failure", message=message, type=str(finding.severity))
        failure.text = xml_safe(text.finding_block(finding, result.sources.get(finding.path)))
    if not result.findings:
        ET.SubElement(suite, "testcase", classname=SUITE, name=SUITE)
    ET.indent(root)
    # The bodies are defused text blocks; a message attribute may still hold `##[`, which a
    # character reference hides from a CI log without changing the document.
    document = ET.tostring(root, encoding="unicode").replace("##[", "##&#91;")
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + document + "\n"
