"""The audit log: an append-only, hash-chained record of who did what, when and from where.

A built-in plugin (slug ``audit``). Write entries with :func:`balai.audit.log.record`
(``toolkit.audit_record`` for plugins); check the chain with ``balai audit verify``.
"""
