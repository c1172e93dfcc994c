"""The supervisor's board: what needs them now, and the sync health of their team's tablets."""
