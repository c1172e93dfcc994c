"""Entry point for gunicorn and `flask --app wsgi`."""

import gc

from app import create_app

app = create_app()

# Everything made while starting (modules, the app, its schemas and mappers) lives as long as
# the process: frozen, the cyclic garbage collector stops walking it again on every full
# collection, which otherwise costs a large request (a sync push of hundreds of mutations) a
# good part of its time. Requests allocate many short-lived objects that reference counting
# frees anyway, so the youngest generation is collected every 20,000 allocations, not 700.
gc.freeze()
gc.set_threshold(20_000, 20, 20)
