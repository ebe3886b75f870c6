"""The write side: every import kind implements `base.Importer`; `kinds.KINDS` finds one by kind.

`base` holds what every import shares (the refusal type, the import-log line, the NIK-key
fingerprint check, the protocol). Rebuild, archive, inbox, CLI and the upload flow look an importer
up in `kinds.KINDS` instead of branching per kind.
"""
