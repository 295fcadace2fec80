"""Lost codes (找回回执编号/确认码): a citizen gives the phone number or e-mail address they used, and Engage
sends their comment receipt numbers and event confirmation codes back to it.

The codes never appear on screen, and the answer on screen is the same whether anything matched or not, so
the page tells nobody whether a contact is known. Requests are rate-limited per network address and per
contact (``limits``).
"""
