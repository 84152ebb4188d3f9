"""The editors' report: what people asked and did not get, and what they thought of answers."""
