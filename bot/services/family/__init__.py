"""Keeping a child and the family in touch: relay, calls, nudges, departures, weekly updates."""
