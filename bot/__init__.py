"""Runtime and wiring of the club bot: settings, channels, CLI."""
