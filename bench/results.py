"""One line per measured figure, for `make bench` (bench/run_all.py) to gather.

Each script prints its own readable output as before, plus one `BENCH-RESULT {json}`
line per figure that has a target; run_all.py prints them as one table."""

import json

PREFIX = "BENCH-RESULT "


def report(script: str, measure: str, target: str, result: str, met: bool | None) -> None:
    """`met` is None for a figure given for information (no target)."""
    line = {"script": script, "measure": measure, "target": target, "result": result, "met": met}
    print(PREFIX + json.dumps(line), flush=True)
