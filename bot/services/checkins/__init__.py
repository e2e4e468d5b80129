"""Check-ins: opening, answering, viewing and delivering a child's check-in, and its schedule."""
