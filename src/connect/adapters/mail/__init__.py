"""E-mail adapters."""

from connect.adapters.mail.smtp import SmtpMailer as SmtpMailer
