"""The public catalogue and the merchant's products: search, rules, stock, import."""
