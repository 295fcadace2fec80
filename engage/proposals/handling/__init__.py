"""Handling an assigned case: co-unit opinions, progress and contact notes, the reply, and the proposers' ratings."""
