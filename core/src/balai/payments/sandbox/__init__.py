"""The sandbox bank: a payment gateway served inside the app, for development and tests.

It plays the bank's part with a real protocol: it accepts SNAP-signed
"create payment" requests, shows pages where a tester pays, fails or expires
a payment, delivers signed callbacks with retries (and duplicates on
request), and answers a signed settlement report. It keeps its own book
(``SandboxTransaction``), independent of the city's ledger.
"""
