"""People, organisations, teams and roles; local sign-in and server sessions; who may see what."""
