"""Jobs: scheduled and one-off work declared by plugins, run once per slot.

The built-in plugin ``jobs``. Plugins declare :class:`~balai.jobs.types.Job`
values through the ``scheduled_jobs`` hook; :mod:`balai.jobs.runner` runs
each due slot exactly once across workers and records every run in
:class:`~balai.jobs.tables.JobRun`; :func:`balai.jobs.service.enqueue` queues
one-off runs.
"""
