"""Ingest jobs started by `POST /v1/admin/ingest`, visible to every worker.

A job is one JSON file in `MIPYME_DATA_DIR/ingest_jobs/`, written atomically, so any worker can
answer `GET /v1/admin/ingest/{job_id}` whichever worker runs it. The job runs in a thread of the
worker that accepted it; the ingest's own file lock still keeps one ingest at a time (the CLI
included). While a job is queued or running, another POST gets that same job back.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import logging
import os
import re
import socket
import uuid
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import IO, Any

from assistant.errors import AssistantError, NotFound

log = logging.getLogger("api.ingest_jobs")

ACTIVE = ("queued", "running")
KEEP_JOBS = 50  # older finished jobs are deleted
_ID = re.compile(r"[0-9a-f]{32}")
_PUBLIC = ("job_id", "status", "created_at", "started_at", "finished_at", "report", "error")


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


class IngestJobs:
    """The job files of one data dir."""

    def __init__(self, data_dir: Path) -> None:
        self.dir = data_dir / "ingest_jobs"
        # While this process owns a queued or running job it holds an flock on the job's
        # `.alive` file; the kernel drops it when the process dies, whatever its PID becomes.
        self._alive: dict[str, IO[str]] = {}

    @contextlib.contextmanager
    def _locked(self) -> Iterator[None]:
        self.dir.mkdir(parents=True, exist_ok=True)
        with (self.dir / ".lock").open("w") as handle:
            fcntl.flock(handle, fcntl.LOCK_EX)
            yield

    def _path(self, job_id: str) -> Path:
        return self.dir / f"{job_id}.json"

    def _write(self, job: dict[str, Any]) -> None:
        path = self._path(job["job_id"])
        tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
        with tmp.open("w", encoding="utf-8") as handle:
            json.dump(job, handle, ensure_ascii=False)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)

    def _read(self, path: Path) -> dict[str, Any] | None:
        job = self._load(path)
        if job is None or job.get("status") not in ACTIVE:
            return job
        if self._owner_alive(str(job.get("job_id", ""))):
            return job
        # The owner may have finished between our read and our look at its lock: read again.
        again = self._load(path)
        return self._settled(again) if again is not None else None

    @staticmethod
    def _load(path: Path) -> dict[str, Any] | None:
        try:
            job: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        return job

    def _settled(self, job: dict[str, Any]) -> dict[str, Any]:
        """A queued or running job whose process is gone (killed, restarted) has failed.

        Not by PID: after a restart (a container's PID 1) the same PID is alive again, and the
        stale job would block every later ingest. The owner's flock says it for sure."""
        if job.get("status") in ACTIVE and not self._owner_alive(str(job.get("job_id", ""))):
            job = {
                **job,
                "status": "failed",
                "finished_at": job.get("finished_at") or _now(),
                "error": "El proceso que corría la ingesta terminó antes de acabar. "
                "Vuelve a pedirla.",
            }
        return job

    def _alive_path(self, job_id: str) -> Path:
        return self.dir / f"{job_id}.alive"

    def _owner_alive(self, job_id: str) -> bool:
        if job_id in self._alive:
            return True
        try:
            with self._alive_path(job_id).open("a") as handle:
                try:
                    fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                except BlockingIOError:
                    return True  # its owner holds it
                fcntl.flock(handle, fcntl.LOCK_UN)
                return False
        except OSError:
            return True  # cannot tell: never fail a job that may be running

    def _hold(self, job_id: str) -> None:
        handle = self._alive_path(job_id).open("a")
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        self._alive[job_id] = handle

    def _release(self, job_id: str) -> None:
        handle = self._alive.pop(job_id, None)
        if handle is not None:
            handle.close()
        self._alive_path(job_id).unlink(missing_ok=True)

    def _all(self) -> list[dict[str, Any]]:
        jobs = [job for p in self.dir.glob("*.json") if (job := self._read(p)) is not None]
        return sorted(jobs, key=lambda j: str(j.get("created_at", "")))

    def start_or_join(self) -> tuple[dict[str, Any], bool]:
        """The active job, or a new queued one; True when it is new (the caller runs it)."""
        with self._locked():
            jobs = self._all()
            for job in jobs:
                if job["status"] in ACTIVE:
                    return job, False
            finished = [j for j in jobs if j["status"] not in ACTIVE]
            for old in finished[: max(0, len(finished) - KEEP_JOBS + 1)]:
                self._path(old["job_id"]).unlink(missing_ok=True)
                self._alive_path(old["job_id"]).unlink(missing_ok=True)
            job = {
                "job_id": uuid.uuid4().hex,
                "status": "queued",
                "created_at": _now(),
                "started_at": None,
                "finished_at": None,
                "report": None,
                "error": None,
                "pid": os.getpid(),
                "host": socket.gethostname(),
            }
            self._hold(job["job_id"])  # before the file exists: nobody sees it ownerless
            self._write(job)
            return job, True

    def get(self, job_id: str) -> dict[str, Any]:
        job = self._read(self._path(job_id)) if _ID.fullmatch(job_id) else None
        if job is None:
            raise NotFound("No encontramos esa tarea de ingesta. Revisa el id o pide una nueva.")
        return job

    def update(self, job_id: str, **fields: Any) -> None:
        with self._locked():
            job = json.loads(self._path(job_id).read_text(encoding="utf-8"))
            job.update(fields)
            self._write(job)

    def run(
        self,
        job_id: str,
        ingest: Callable[[], dict[str, Any]],
        after: Callable[[], None],
    ) -> None:
        """Run `ingest` (which returns the public report) and record how it ended."""
        try:
            self._run(job_id, ingest, after)
        finally:
            self._release(job_id)

    def _run(
        self,
        job_id: str,
        ingest: Callable[[], dict[str, Any]],
        after: Callable[[], None],
    ) -> None:
        self.update(job_id, status="running", started_at=_now())
        try:
            report = ingest()
        except AssistantError as exc:
            self.update(job_id, status="failed", finished_at=_now(), error=exc.message)
            return
        except Exception:
            log.exception("La ingesta %s falló", job_id)
            self.update(
                job_id,
                status="failed",
                finished_at=_now(),
                error="La ingesta falló por un error interno; revisa el log del servidor.",
            )
            return
        try:
            after()  # so that this worker already serves the new generation when it says done
        except Exception:  # every worker also picks the new generation up on its own
            log.exception("No se pudo recargar el índice después de la ingesta %s", job_id)
        self.update(job_id, status="done", finished_at=_now(), report=report)


def public(job: dict[str, Any]) -> dict[str, Any]:
    """What the API shows of a job (not the process that runs it)."""
    return {key: job.get(key) for key in _PUBLIC}
