"""Information for the police: the people, places, vehicles, phone numbers and social media
accounts a child named in their interview, and the partner intelligence submission made of them
once a supervisor has approved the interview."""
