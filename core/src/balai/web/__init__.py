"""The web layer: application factory, tenancy, templates, security."""
