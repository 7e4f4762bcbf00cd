"""Partner channels: payment and delivery partners reach a city's services host-to-host.

Partners (banks, e-wallets, minimarkets, delivery apps) sign SNAP-style
requests; see :mod:`balai.partners.auth` for the protocol and
:mod:`balai.partners.bills` for the biller cycle (inquiry, payment, reversal).
"""
