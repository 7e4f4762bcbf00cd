"""PBB-P2 (land and building tax): rules, assessment, lookup, bills, payment, office."""
