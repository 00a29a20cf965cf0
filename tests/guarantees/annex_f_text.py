"""Reads Annex F of the 2009 White Paper straight from the guidance text, so the
tests compare the loaded entitlements with the source, not with a typed copy."""

import re
from pathlib import Path

GUIDANCE = Path("/work/shared/guidance/white-paper-2009-pupil-parent-guarantees.txt")

_AMBITION = re.compile(r"^[#*\s]*(\d)\.\s+(.+?)(?:\*\*|$)")
_LETTERED = re.compile(r"^- ([a-e])\. (.+)$")
_ALREADY = ("Schools are already expected to:", "Parents can already:")
_NEW = ("will now also ensure:", "will also ensure:")


def _clean(text: str) -> str:
    text = re.sub(r"<sup>.*?</sup>", "", text)
    return text.strip().replace("\u2019", "'")


def annex_f() -> dict:
    """{"pupil"|"parent": {"statements": {letter: text}, "ambitions": {letter:
    {"title": str, "bullets": [(kind, text)]}}}} in the text's order."""
    lines = GUIDANCE.read_text(encoding="utf-8").splitlines()
    start = next(i for i, line in enumerate(lines) if line.strip() == "# Annex F")
    result: dict = {}
    guarantee = None
    letter = None
    kind = None
    for raw in lines[start:]:
        line = raw.strip()
        if not line:
            continue
        if line.startswith("### The Pupil Guarantee"):
            guarantee = result.setdefault("pupil", {"statements": {}, "ambitions": {}})
            continue
        if line.startswith("## ") and line.endswith("The Parent Guarantee"):
            guarantee = result.setdefault("parent", {"statements": {}, "ambitions": {}})
            continue
        if guarantee is None:
            continue
        if line.startswith("You can download this publication"):
            break
        lettered = _LETTERED.match(line)
        if lettered:
            guarantee["statements"][lettered.group(1)] = _clean(lettered.group(2))
            continue
        heading = _AMBITION.match(line) if not line.startswith("- ") else None
        if heading:
            letter = "abcde"[int(heading.group(1)) - 1]
            guarantee["ambitions"][letter] = {"title": _clean(heading.group(2)), "bullets": []}
            kind = None
        if any(marker in line for marker in _ALREADY):
            kind = "already_expected"
        elif any(marker in line for marker in _NEW):
            kind = "new"
        if line.startswith("- ") and letter and kind:
            guarantee["ambitions"][letter]["bullets"].append((kind, _clean(line[2:])))
    return result
