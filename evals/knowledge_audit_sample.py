"""Draw the reproducible, stratified random sample used by docs/knowledge-audit.md.

Run from the repository root: `python evals/knowledge_audit_sample.py [--seed N]`.
The population is listed in a fixed order (file name, then position), so the same seed over the
same knowledge/ gives the same sample; the audit doc records the seed and the commit it ran on.
"""

from __future__ import annotations

import argparse
import random
import re
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent / "knowledge"

# Stratum sizes from the audit brief: ~14 courses (>= 8 in Spanish), ~16 curated answers,
# ~8 sector use cases, ~10 program-document sections.
SIZES = {"course_es": 8, "course_other": 6, "faq": 16, "use_case": 8, "program_section": 10}


def population() -> dict[str, list[str]]:
    strata: dict[str, list[str]] = {k: [] for k in SIZES}
    for name in ("courses.yaml", "courses-es.yaml"):
        data = yaml.safe_load((ROOT / "catalog" / name).read_text(encoding="utf-8"))
        for c in data["courses"]:
            key = "course_es" if "es" in (c.get("languages") or []) else "course_other"
            strata[key].append(f"catalog/{name}#{c['id']}")
    for path in sorted((ROOT / "faq").glob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        strata["faq"] += [f"faq/{path.name}#{e['id']}" for e in data["entries"]]
    sectors = yaml.safe_load((ROOT / "sectors.yaml").read_text(encoding="utf-8"))["sectors"]
    for s in sectors:
        strata["use_case"] += [f"sectors.yaml#{u['id']}" for u in s.get("use_cases") or []]
    for path in sorted((ROOT / "programs").glob("*.md")):
        body = path.read_text(encoding="utf-8").split("\n---\n", 1)[-1]
        for heading in re.findall(r"^## (.+)$", body, flags=re.M):
            strata["program_section"].append(f"programs/{path.name}#{heading.strip()}")
    return strata


def draw(seed: int, rounds: int) -> list[dict[str, list[str]]]:
    """Round r uses seed + r - 1 and never repeats an entry drawn in an earlier round.

    Round 1 takes the full stratum sizes; later rounds (a fresh check after fixing what round 1
    found) take half of each stratum.
    """
    remaining = population()
    drawn: list[dict[str, list[str]]] = []
    for r in range(1, rounds + 1):
        rng = random.Random(seed + r - 1)
        picks: dict[str, list[str]] = {}
        for stratum, items in remaining.items():
            size = SIZES[stratum] if r == 1 else max(1, SIZES[stratum] // 2)
            picks[stratum] = rng.sample(items, size)
            remaining[stratum] = [i for i in items if i not in picks[stratum]]
        drawn.append(picks)
    return drawn


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seed", type=int, default=20261204)
    parser.add_argument("--round", type=int, default=1, help="1 = main sample; 2 = fresh re-check")
    args = parser.parse_args()
    picks = draw(args.seed, args.round)[-1]
    sizes = {k: len(v) for k, v in population().items()}
    for stratum, items in picks.items():
        sys.stdout.write(f"# {stratum}: {len(items)} of {sizes[stratum]}\n")
        for item in items:
            sys.stdout.write(item + "\n")


if __name__ == "__main__":
    main()
