"""The `clearplan` command and its subcommands."""
