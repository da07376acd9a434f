"""Ingest jobs are owned by a live process, told by its lock, not by a PID that may be reused."""

from __future__ import annotations

import json
import os
import socket
import uuid
from pathlib import Path

from api.ingest_jobs import IngestJobs


def test_a_job_left_by_a_dead_process_with_a_reused_pid_fails_and_does_not_block(
    tmp_path: Path,
) -> None:
    # A container restarted: the job file says "running" with a PID that is alive again
    # (this very process), but nobody holds the job any more.
    jobs = IngestJobs(tmp_path)
    jobs.dir.mkdir(parents=True)
    stale = uuid.uuid4().hex
    (jobs.dir / f"{stale}.json").write_text(
        json.dumps(
            {
                "job_id": stale,
                "status": "running",
                "created_at": "2026-12-04T10:00:00+00:00",
                "pid": os.getpid(),
                "host": socket.gethostname(),
            }
        ),
        encoding="utf-8",
    )
    assert jobs.get(stale)["status"] == "failed"
    assert "Vuelve a pedirla" in jobs.get(stale)["error"]
    job, new = jobs.start_or_join()
    assert new and job["job_id"] != stale  # before: joined the stale job, and nothing ran


def test_a_live_job_is_seen_running_by_another_worker_and_joined(tmp_path: Path) -> None:
    mine, other = IngestJobs(tmp_path), IngestJobs(tmp_path)
    job, new = mine.start_or_join()
    assert new
    assert other.get(job["job_id"])["status"] == "queued"
    joined, new_again = other.start_or_join()
    assert joined["job_id"] == job["job_id"] and not new_again
    mine.run(job["job_id"], lambda: {"ok": True}, lambda: None)
    assert other.get(job["job_id"])["status"] == "done"
    assert not (mine.dir / f"{job['job_id']}.alive").exists()
