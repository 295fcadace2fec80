"""Final decisions, their policy interpretations, and the annual catalogue of major decisions."""
