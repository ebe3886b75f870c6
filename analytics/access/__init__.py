"""Access: accounts and signed sessions (auth), the audit trail (audit), downloads (export),
NIK pseudonymisation (privacy), small-cell suppression (disclosure) and
what changes when real data arrives (real_data)."""
