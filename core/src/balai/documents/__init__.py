"""Official documents: PDFs that plugins issue, officials sign (PAdES) and anyone can verify.

The built-in plugin ``documents`` (pages at ``/dokumen/``). Plugins declare
document types with the ``document_types`` hook and issue documents with
``toolkit.issue_document``; the core renders them (fpdf2), stores them through
the files service, queues them for signature, signs them with pyHanko and
verifies uploaded copies.
"""
