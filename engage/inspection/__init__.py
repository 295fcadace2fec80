"""Department self-check (自查): what an inspection of government websites would flag, each with its fix."""
