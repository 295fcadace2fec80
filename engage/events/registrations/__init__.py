"""Sign-ups for an event: signing up, cancelling, the waitlist, and the organiser's sign-up desk (approval,
check-in, no-shows, exports, the staff API)."""
