"""A resident applies for their family: the form, the checks, the atomic write."""
