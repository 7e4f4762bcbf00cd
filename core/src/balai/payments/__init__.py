"""Payments: one ledger of invoices for every plugin, providers, receipts.

A built-in plugin (slug ``payments``, pages at ``/bayar/``). Plugins create
invoices with ``toolkit.create_invoice`` and hear about the outcome through
the ``invoice_settled``, ``invoice_expired`` and ``invoice_refunded`` hooks.
"""
