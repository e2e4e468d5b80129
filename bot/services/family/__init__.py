"""A family's contact: relayed messages, agreed calls, nudges, departures and weekly updates."""
