"""Open-government events (政府开放日 / 政府开放月): campaigns, events, sign-ups, waitlist, check-in."""
