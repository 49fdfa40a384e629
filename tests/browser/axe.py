"""axe-core checks: the vendored axe.min.js (npm axe-core 4.14) run in the page under test."""

import json
from pathlib import Path

AXE_JS = Path(__file__).parent / "vendor" / "axe.min.js"
# WCAG 2.0, 2.1 and 2.2 success criteria at levels A and AA.
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]


def axe_violations(page) -> list[dict]:
    """Run axe-core on the current page against WCAG 2.0-2.2 A/AA rules."""
    page.add_script_tag(path=str(AXE_JS))
    result = page.evaluate(
        """(tags) => axe.run(document, {runOnly: {type: 'tag', values: tags}})""", AXE_TAGS
    )
    assert result["passes"], "axe checked nothing: is the page empty?"
    return result["violations"]


def format_violations(violations: list[dict]) -> str:
    lines = [f"{len(violations)} axe violation(s):"]
    for violation in violations:
        lines.append(
            f"- {violation['id']} [{violation.get('impact')}]: {violation['help']}"
            f" ({violation['helpUrl']})"
        )
        for node in violation["nodes"]:
            lines.append(f"    target: {json.dumps(node['target'])}")
            summary = (node.get("failureSummary") or "").replace("\n", " ").strip()
            if summary:
                lines.append(f"      {summary}")
    return "\n".join(lines)


def assert_accessible(page) -> None:
    violations = axe_violations(page)
    assert not violations, f"{page.url}\n{format_violations(violations)}"
