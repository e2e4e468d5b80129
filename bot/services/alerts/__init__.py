"""Alerts about a child: raising, the escalation ladder, the crisis path and casework."""
