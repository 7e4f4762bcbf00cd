"""`balai init`: a commented instance file for one city, from a template, never over a file."""
