"""Proposal-reply tracker: deputies' suggestions (人大代表建议) and members' proposals (政协委员提案)."""
