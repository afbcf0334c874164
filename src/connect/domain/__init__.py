"""The pure core of Connect: rules with no I/O, no clock and no randomness of their own."""
