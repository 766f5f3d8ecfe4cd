#!/usr/bin/env python3
"""Checks that every `import` under Sources/ follows the layering of docs/architecture.md.

docs/architecture.md has a table "Allowed imports": one row per module, its second column the modules it may
import, in backticks (`NIO*` matches every module whose name starts with NIO). An import of a governed module that
is not in the importing module's row is an error. Governed are the package's own modules and the libraries that
decide a layer (the web framework, the database drivers, SwiftNIO); anything else (Foundation, Logging, Crypto,
...) may be imported anywhere.

    scripts/check-layering.py            # exit 1 and name every forbidden edge
"""

from __future__ import annotations

import fnmatch
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DOC = ROOT / "docs" / "architecture.md"
SOURCES = ROOT / "Sources"
# Libraries whose use says which layer a file is in.
GOVERNED_LIBRARIES = ["Vapor", "VaporTesting", "MultipartKit", "WebSocketKit", "RoutingKit", "Fluent*", "SQL*", "SQLite*",
                      "Postgres*", "NIO*", "AsyncHTTPClient", "Prometheus", "ArgumentParser"]
IMPORT = re.compile(r"^\s*(?:@\w+(?:\([^)]*\))?\s+)*import\s+(?:(?:struct|class|enum|protocol|func|var|let|typealias)\s+)?([A-Za-z_][A-Za-z0-9_]*)")


def allowed_imports(text: str) -> dict[str, list[str]]:
    """The "Allowed imports" table: module → the patterns it may import."""
    section = text.split("### Allowed imports", 1)
    if len(section) != 2:
        sys.exit(f"{DOC}: no '### Allowed imports' section")
    rows: dict[str, list[str]] = {}
    for line in section[1].splitlines():
        if not line.startswith("|"):
            if rows:
                break
            continue
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        names = re.findall(r"`([^`]+)`", cells[0])
        if len(cells) < 2 or not names:
            continue
        rows[names[0]] = re.findall(r"`([^`]+)`", cells[1])
    if not rows:
        sys.exit(f"{DOC}: the 'Allowed imports' table has no rows")
    return rows


def governed(name: str, modules: set[str]) -> bool:
    return name in modules or any(fnmatch.fnmatchcase(name, pattern) for pattern in GOVERNED_LIBRARIES)


def main() -> int:
    rules = allowed_imports(DOC.read_text())
    modules = {path.name for path in SOURCES.iterdir() if path.is_dir()}
    errors: list[str] = []
    for module in sorted(modules - set(rules)):
        errors.append(f"Sources/{module}: not in the 'Allowed imports' table of docs/architecture.md")
    for module in sorted(modules & set(rules)):
        patterns = rules[module]
        for file in sorted((SOURCES / module).rglob("*.swift")):
            for number, line in enumerate(file.read_text().splitlines(), 1):
                match = IMPORT.match(line)
                if not match:
                    continue
                name = match.group(1)
                if name == module or not governed(name, modules):
                    continue
                if not any(fnmatch.fnmatchcase(name, pattern) for pattern in patterns):
                    errors.append(f"{file.relative_to(ROOT)}:{number}: {module} may not import {name} (docs/architecture.md, Allowed imports)")
    for error in errors:
        print(error, file=sys.stderr)
    if errors:
        return 1
    print(f"layering: {len(modules)} modules follow docs/architecture.md")
    return 0


if __name__ == "__main__":
    sys.exit(main())
