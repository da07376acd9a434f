"""The structured knowledge the recommender reads directly: courses, paths, sectors, programs."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from pathlib import Path

import frontmatter
import yaml
from pydantic import ValidationError

from assistant.knowledge_models import (
    Course,
    CourseCatalog,
    LearningPath,
    PathCatalog,
    ProgramFrontMatter,
    SectorFile,
)

log = logging.getLogger(__name__)


@dataclass
class Knowledge:
    courses: dict[str, Course] = field(default_factory=dict)
    paths: list[LearningPath] = field(default_factory=list)
    sectors: dict[str, SectorFile] = field(default_factory=dict)
    programs: dict[str, ProgramFrontMatter] = field(default_factory=dict)


def _yaml(path: Path) -> object:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def load_knowledge(root: Path) -> Knowledge:
    """Everything valid under root; invalid files are logged and skipped (ingest reports them)."""
    knowledge = Knowledge()
    for path in sorted(root.rglob("*")):
        if not path.is_file() or path.name.lower() == "readme.md":
            continue
        try:
            if path.suffix in {".yaml", ".yml", ".json"}:
                data = _yaml(path)
                if isinstance(data, dict) and "courses" in data:
                    for course in CourseCatalog.model_validate(data).courses:
                        knowledge.courses[course.id] = course
                elif isinstance(data, dict) and "paths" in data:
                    knowledge.paths.extend(PathCatalog.model_validate(data).paths)
                elif isinstance(data, dict) and "use_cases" in data:
                    sector_file = SectorFile.model_validate(data)
                    knowledge.sectors[sector_file.sector.id] = sector_file
            elif path.suffix == ".md":
                post = frontmatter.loads(path.read_text(encoding="utf-8"))
                if post.metadata:
                    program = ProgramFrontMatter.model_validate(post.metadata)
                    knowledge.programs[program.id] = program
        except (ValidationError, yaml.YAMLError, UnicodeDecodeError, OSError) as exc:
            log.warning("Se omitió %s: %s", path, str(exc).splitlines()[0])
    return knowledge
