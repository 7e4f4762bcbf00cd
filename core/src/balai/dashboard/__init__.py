"""The mayor's dashboard (built-in plugin ``dashboard``).

Widgets of every service, grouped by smart-city dimension.
"""
