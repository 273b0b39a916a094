"""An existing club moves in: its paper books brought in at once (see storage.history)."""

from handlers.history import moving_in

flow = moving_in.flow
