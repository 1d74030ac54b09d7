"""The REST API and web dashboard (FastAPI + Jinja2); reads through wirecheck.store only."""
