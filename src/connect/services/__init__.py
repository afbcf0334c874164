"""Use cases: each orchestrates domain rules and ports for one thing a user does."""
