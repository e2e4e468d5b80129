"""People: enrolment by invite, consent, and the commands each role uses to run its own account."""
