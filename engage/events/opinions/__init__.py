"""Opinions after an event: the questionnaire, the answers citizens give, the organiser's replies and the
published feedback."""
