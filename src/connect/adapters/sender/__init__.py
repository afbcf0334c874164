"""Sending webhooks over HTTPS with urllib3, to vetted addresses only."""

from connect.adapters.sender.urllib3 import Urllib3Sender as Urllib3Sender
