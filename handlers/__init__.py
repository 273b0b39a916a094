"""Channel-agnostic conversation flows. Nothing here knows about Telegram or Zalo."""
