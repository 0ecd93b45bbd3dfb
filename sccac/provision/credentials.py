"""The connected app's signing credentials: an RSA key (kept only in Secrets Manager) and its self-signed certificate.

The Lambdas sign a JWT with the private key; Salesforce checks it with the certificate uploaded on the
connected app. The consumer key is generated here too (the Metadata API accepts one on create), so the
secret can be written without reading anything back from the org.
"""

from __future__ import annotations

import datetime
import secrets
from dataclasses import dataclass, field

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID

#: Salesforce accepts self-signed certificates on connected apps; two years, renewed by re-running with rotate.
CERTIFICATE_DAYS = 730


@dataclass(frozen=True)
class AppCredentials:
    consumer_key: str
    private_pem: str = field(repr=False)  # never printed: repr=False keeps it out of logs and tracebacks

    def certificate_pem(self, common_name: str, now: datetime.datetime | None = None) -> str:
        """A self-signed X.509 certificate for the private key (the same key always verifies the same JWTs)."""
        key = serialization.load_pem_private_key(self.private_pem.encode(), password=None)
        assert isinstance(key, rsa.RSAPrivateKey)
        start = now or datetime.datetime.now(datetime.timezone.utc)
        name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common_name[:64])])
        certificate = (
            x509.CertificateBuilder()
            .subject_name(name)
            .issuer_name(name)
            .public_key(key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(start - datetime.timedelta(minutes=5))
            .not_valid_after(start + datetime.timedelta(days=CERTIFICATE_DAYS))
            .sign(key, hashes.SHA256())
        )
        return certificate.public_bytes(serialization.Encoding.PEM).decode()


def new_credentials() -> AppCredentials:
    """A new 2048-bit RSA key and a consumer key in the form Salesforce issues (letters and digits)."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    private_pem = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    ).decode()
    alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
    return AppCredentials("3MVG9" + "".join(secrets.choice(alphabet) for _ in range(80)), private_pem)
