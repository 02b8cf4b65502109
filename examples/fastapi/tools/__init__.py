"""Repository tooling around the verifier (not part of the app).

- ``verdict_request.py``: reads the contract's verdict request (the conformance
  vectors' format) and answers it with the Python verifier.
- ``pyjwt_defaults.py``: what plain PyJWT does with the vectors; run it from
  examples/fastapi as ``python -m tools.pyjwt_defaults VECTORS_JSON``.
"""
