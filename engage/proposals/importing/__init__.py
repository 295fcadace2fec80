"""Importing a session's list of cases from CSV or XLSX: reading and checking the rows, and the import job."""
