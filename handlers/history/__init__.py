"""An existing club moves in: its paper books brought in at once (see storage.history)."""
