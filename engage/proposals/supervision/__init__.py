"""Supervision (督办) of proposal handling: reminders to units, digests, chasing notices, reply review, dashboard."""
