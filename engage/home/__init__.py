"""The home page: what the public can take part in now."""
