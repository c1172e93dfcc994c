"""Intake and allocation: the return notice, the child found or made, their episode opened,
a worker assigned; reassignment."""
