"""Children, their placements and care status, missing episodes, and areas."""
