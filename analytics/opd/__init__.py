"""The OPDs: coverage per OPD and programme (coverage), the BLT budget (budget) and their figures."""
