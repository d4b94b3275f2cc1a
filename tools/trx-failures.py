#!/usr/bin/env python3
"""Prints each failed test of a .trx file with the first lines of its message, so the end of a
long log (all a CI page may keep) still says what failed."""
import sys
import xml.etree.ElementTree as ET

ns = {"t": "http://microsoft.com/schemas/VisualStudio/TeamTest/2010"}
root = ET.parse(sys.argv[1]).getroot()
for result in root.iterfind(".//t:UnitTestResult", ns):
    if result.get("outcome") not in ("Failed", "Error", "Timeout", "Aborted"):
        continue
    message = result.findtext(".//t:ErrorInfo/t:Message", default="", namespaces=ns).strip()
    stack = result.findtext(".//t:ErrorInfo/t:StackTrace", default="", namespaces=ns).strip()
    print(f"FAILED {result.get('testName')} ({result.get('duration')})")
    for line in (message.splitlines()[:12] + stack.splitlines()[:6]):
        print("    " + line[:300])
