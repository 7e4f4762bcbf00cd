"""Reviews of delivered orders: writing, replying, moderating."""
