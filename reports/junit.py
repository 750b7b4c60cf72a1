"""JUnit XML for CI systems: one test suite per family, one test case per finding.

FAIL is a failure and ERROR an error. UNKNOWN, MANUAL, MUTED and NOT_APPLICABLE are
``skipped`` with the status in the message: visible in the CI view, never counted as passed.
Every test case carries a ``basis`` property (observed, declared, attested): a PASS read from a
hand-filled register is declared, not checked.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections import defaultdict

from sansho.policies.catalog import Catalog
from sansho.policies.engine.core import ScanResult


def render(result: ScanResult, catalog: Catalog, lang: str) -> str:
    suites = ET.Element("testsuites", name="sansho")
    by_family = defaultdict(list)
    for f in result.findings:
        by_family[catalog[f.control_id].family].append(f)
    totals: defaultdict[str, int] = defaultdict(int)
    for family, findings in sorted(by_family.items()):
        suite = ET.SubElement(suites, "testsuite", name=family)
        counts: defaultdict[str, int] = defaultdict(int)
        for f in findings:
            c = catalog[f.control_id]
            case = ET.SubElement(suite, "testcase", classname=f"{family}.{f.control_id}",
                                 name=f"{f.control_id} {f.resource.id}")
            if f.resource.source.file:
                case.set("file", f.resource.source.file)
            if f.resource.source.line:
                case.set("line", str(f.resource.source.line))
            props = ET.SubElement(case, "properties")
            ET.SubElement(props, "property", name="basis", value=f.basis)
            text = f"[{c.severity}] {c.title.get(lang)}: {f.message(lang)}\n{c.source.cite()}"
            if f.status == "FAIL":
                ET.SubElement(case, "failure", message=f.message(lang), type=c.severity).text = text
                counts["failures"] += 1
            elif f.status == "ERROR":
                ET.SubElement(case, "error", message=f.message(lang)).text = text
                counts["errors"] += 1
            elif f.status != "PASS":
                ET.SubElement(case, "skipped", message=f"{f.status}: {f.message(lang)}")
                counts["skipped"] += 1
        suite.set("tests", str(len(findings)))
        for k in ("failures", "errors", "skipped"):
            suite.set(k, str(counts[k]))
            totals[k] += counts[k]
        totals["tests"] += len(findings)
    for k in ("tests", "failures", "errors", "skipped"):
        suites.set(k, str(totals[k]))
    ET.indent(suites)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(suites, encoding="unicode") + "\n"
