"""Free input in: commands, buttons and free text, each sent to the service that answers it."""
