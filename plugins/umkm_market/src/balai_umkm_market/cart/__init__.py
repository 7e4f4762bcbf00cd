"""The cart and the checkout that turns it into orders."""
