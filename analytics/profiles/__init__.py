"""Profiles of one family (family, family_pdf for a home visit) and of one area (area): what a
visit or a camat/lurah needs on one page, read from the store."""
