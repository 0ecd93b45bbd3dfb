"""A throw-away RSA key pair for the connected app's JWT bearer flow, made at run time (never committed)."""

from __future__ import annotations

from dataclasses import dataclass, field

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa


@dataclass(frozen=True)
class KeyPair:
    # PKCS#8, unencrypted: what the Lambdas' secret holds; repr=False keeps it out of logs.
    private_pem: str = field(repr=False)
    public_pem: str  # SubjectPublicKeyInfo: what the local Interaction Service verifies with


def generate_key_pair() -> KeyPair:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    private_pem = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    ).decode()
    public_pem = key.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    ).decode()
    return KeyPair(private_pem, public_pem)
