"""One module per ``connect`` subcommand, each with a ``register(commands)``."""
