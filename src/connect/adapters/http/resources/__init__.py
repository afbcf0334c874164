"""Falcon resources: each parses, calls one service, and renders."""
