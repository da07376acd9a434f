"""`python -m ingest`: the same as `mipyme-ia ingest`."""

from ingest.command import main

raise SystemExit(main())
