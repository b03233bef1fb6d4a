"""The ``graphql-js`` target: InstitutionsDirectory executed by graphql-js (``server.mjs``,
run by node) over a snapshot of the seeded database held in memory (``snapshot.py``)."""
