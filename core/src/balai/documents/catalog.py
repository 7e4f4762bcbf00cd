"""The document types every plugin declared (the ``document_types`` hook)."""

from __future__ import annotations

import inspect
from collections.abc import Iterable

from balai.documents.types import DocumentType
from balai.plugins import PluginError, PluginRegistry


class UnknownDocumentTypeError(LookupError):
    """No document type has that key, or the current city does not enable its plugin."""


class DocumentCatalog:
    """Document types by key, collected once while the application is built."""

    def __init__(self, types: Iterable[DocumentType]) -> None:
        self.types: dict[str, DocumentType] = {}
        for doc_type in types:
            if doc_type.key in self.types:
                raise PluginError(doc_type.owner, f"document type {doc_type.key!r} twice")
            self.types[doc_type.key] = doc_type

    @classmethod
    def from_registry(cls, registry: PluginRegistry, roles: Iterable[str]) -> DocumentCatalog:
        """Collect and check every plugin's declarations.

        Raises:
            PluginError: not ``DocumentType`` values, a key outside the
                plugin's namespace, an undeclared signer role, two types with
                one numbering prefix, or a key declared twice.
        """
        declared_roles = set(roles)
        found: list[DocumentType] = []
        prefixes: dict[str, str] = {}
        for slug, plugin in registry.plugins.items():
            types = registry.call_one(plugin.obj, "document_types")
            if inspect.iscoroutine(types):
                types.close()
                raise PluginError(slug, "document_types() must be a plain function")
            for doc_type in types or ():
                if not isinstance(doc_type, DocumentType):
                    raise PluginError(slug, "document_types() must return tk.DocumentType values")
                if doc_type.owner != slug:
                    raise PluginError(slug, f"document type {doc_type.key!r}: '{slug}.<what>'")
                if doc_type.signer_role and doc_type.signer_role not in declared_roles:
                    raise PluginError(
                        slug, f"document type {doc_type.key!r}: no role {doc_type.signer_role!r}"
                    )
                prefix = doc_type.numbering.prefix
                if prefix in prefixes:
                    raise PluginError(
                        slug, f"{doc_type.key!r} numbers like {prefixes[prefix]!r} ({prefix})"
                    )
                prefixes[prefix] = doc_type.key
                found.append(doc_type)
        return cls(found)

    def get(self, key: str, enabled: Iterable[str]) -> DocumentType:
        """The type ``key`` if its plugin is among ``enabled``.

        Raises:
            UnknownDocumentTypeError: no such type here.
        """
        doc_type = self.types.get(key)
        if doc_type is None or doc_type.owner not in set(enabled):
            raise UnknownDocumentTypeError(key)
        return doc_type

    def parse_number(self, typed: str) -> tuple[DocumentType, str] | None:
        """The type and standard spelling of a typed document number, if it is one."""
        for doc_type in self.types.values():
            number = doc_type.numbering.parse(typed)
            if number is not None:
                return doc_type, number
        return None
