"""Demo data written by us, for trying Engage out (``flask demo load``)."""
