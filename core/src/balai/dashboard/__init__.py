"""The mayor's dashboard: widgets of every service grouped by smart-city dimension (built-in plugin ``dashboard``)."""
