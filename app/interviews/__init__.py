"""Return interviews: the offer, attempts, consent, the conversation itself and the 72-hour clock."""
