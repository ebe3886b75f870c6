"""Read side of verification (verval) and proven graduation (issue 19): per-kelurahan verification
status, overdue families, proven and unproven graduation, families back in poverty."""
