"""Citizens follow a consultation, a department, a campaign or a proposal case, by e-mail (confirmed by a link)
or by phone (confirmed by an SMS code), and hear of what happens to it at once or in one daily digest."""
