"""Server-rendered HTML pages: the API docs and the organizer page."""
