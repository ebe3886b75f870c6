"""The coordination meeting: the model (KeyNumber, Finding, Meeting), the agenda that builds it from
two snapshots, its OPD findings and its figures. analytics.pack prints it as PDF, HTML and XLSX."""
