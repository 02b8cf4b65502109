"""Test helpers for the jwks profile: TEST KEYs generated here, JWKs, signed tokens.

Every key in this module is a TEST KEY, generated when the tests run and never
written anywhere. Tokens are signed byte by byte (like tokens.py does for HS256)
so hostile headers and signatures can be built too.
"""

import json
from functools import lru_cache
from typing import Any, Dict, Optional

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, ed25519, rsa
from jwt.algorithms import ECAlgorithm, OKPAlgorithm, RSAAlgorithm, RSAPSSAlgorithm

from tokens import b64url, claims, segment

# name -> (PyJWT algorithm object used to sign, JWS alg)
SIGNERS: Dict[str, Any] = {
    "EdDSA": OKPAlgorithm(),
    "Ed25519": OKPAlgorithm(),
    "ES256": ECAlgorithm(ECAlgorithm.SHA256),
    "ES512": ECAlgorithm(ECAlgorithm.SHA512),
    "RS256": RSAAlgorithm(RSAAlgorithm.SHA256),
    "PS256": RSAPSSAlgorithm(RSAPSSAlgorithm.SHA256),
}


@lru_cache(maxsize=None)
def make_key(kind: str, label: str = "a") -> Any:
    """A TEST KEY private key: kind is ed25519, p256, p521, p384, rsa2048, rsa1024.

    ``label`` makes distinct keys of the same kind (cached per run: RSA is slow).
    """
    if kind == "ed25519":
        return ed25519.Ed25519PrivateKey.generate()
    if kind == "p256":
        return ec.generate_private_key(ec.SECP256R1())
    if kind == "p384":
        return ec.generate_private_key(ec.SECP384R1())
    if kind == "p521":
        return ec.generate_private_key(ec.SECP521R1())
    if kind.startswith("rsa"):
        return rsa.generate_private_key(public_exponent=65537, key_size=int(kind[3:]))
    raise ValueError(kind)


KIND_FOR_ALG = {"EdDSA": "ed25519", "Ed25519": "ed25519", "ES256": "p256", "ES512": "p521", "RS256": "rsa2048", "PS256": "rsa2048"}


def public_jwk(private_key: Any, kid: str, **members: Any) -> Dict[str, Any]:
    """The public JWK of a TEST KEY with ``kid`` (and extra members such as alg, use, key_ops)."""
    public = private_key.public_key()
    if isinstance(public, ed25519.Ed25519PublicKey):
        jwk = json.loads(OKPAlgorithm.to_jwk(public))
    elif isinstance(public, ec.EllipticCurvePublicKey):
        # By hand: PyJWT 2.6's to_jwk drops leading zero bytes of x and y (RFC 7518
        # wants the full coordinate length), so many P-521 test keys came out unusable there.
        numbers = public.public_numbers()
        size = (public.curve.key_size + 7) // 8
        crv = {"secp256r1": "P-256", "secp384r1": "P-384", "secp521r1": "P-521"}[public.curve.name]
        jwk = {
            "kty": "EC",
            "crv": crv,
            "x": b64url(numbers.x.to_bytes(size, "big")),
            "y": b64url(numbers.y.to_bytes(size, "big")),
        }
    else:
        jwk = json.loads(RSAAlgorithm.to_jwk(public))
    jwk["kid"] = kid
    jwk.update(members)
    return {k: v for k, v in jwk.items() if v is not None}


def public_key_bytes(private_key: Any) -> bytes:
    """The PEM of the public key: what an algorithm-confusion attacker HMACs with."""
    return private_key.public_key().public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)


def signed(
    private_key: Any,
    alg: str = "EdDSA",
    kid: Optional[str] = "test-key-1",
    payload: Optional[Dict[str, Any]] = None,
    head: Optional[Dict[str, Any]] = None,
    sign_as: Optional[str] = None,
) -> str:
    """A token with header {"alg": alg, "kid": kid} (or ``head``), signed with the TEST KEY.

    ``sign_as`` signs with another algorithm than the header names (confusion tests).
    """
    header = head if head is not None else {k: v for k, v in {"alg": alg, "kid": kid}.items() if v is not None}
    h = segment(header)
    p = segment(claims() if payload is None else payload)
    signature = SIGNERS[sign_as or alg].sign(f"{h}.{p}".encode("ascii"), private_key)
    return f"{h}.{p}.{b64url(signature)}"
