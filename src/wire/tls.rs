//! AutoMTLS as go-plugin does it, with real client authentication.
//!
//! Terraform passes its own certificate (ECDSA P-521, SHA-512, CA flag set) in
//! `PLUGIN_CLIENT_CERT`; we make a fresh self-signed server certificate and send its DER in
//! the handshake line. Only the exact client certificate Terraform gave is accepted, and the
//! client must prove it holds the key: the TLS handshake signature is verified with aws-lc-rs,
//! which (unlike ring) supports ECDSA P-521. Other Rust frameworks make client auth optional;
//! anyone on the machine who finds their socket can drive them.

use std::sync::Arc;

use rustls::client::danger::HandshakeSignatureValid;
use rustls::crypto::{CryptoProvider, WebPkiSupportedAlgorithms};
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, PrivateKeyDer, PrivatePkcs8KeyDer, UnixTime};
use rustls::server::danger::{ClientCertVerified, ClientCertVerifier};
use rustls::{CertificateError, DigitallySignedStruct, DistinguishedName, SignatureScheme};

#[derive(Debug)]
pub struct TlsError(pub String);

impl std::fmt::Display for TlsError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}
impl std::error::Error for TlsError {}

fn tls_err(what: &str) -> impl Fn(&dyn std::fmt::Display) -> TlsError + '_ {
    move |e| TlsError(format!("{what}: {e}"))
}

/// The server's certificate and key.
pub struct ServerIdentity {
    pub cert: CertificateDer<'static>,
    key: PrivateKeyDer<'static>,
}

/// A self-signed certificate in go-plugin's profile: CA, SAN `localhost`, server and client
/// auth. P-256 keeps key generation fast; Go accepts any key type for the server.
pub fn server_identity() -> Result<ServerIdentity, TlsError> {
    use rcgen::{
        BasicConstraints, CertificateParams, DnType, ExtendedKeyUsagePurpose, IsCa, KeyPair,
        KeyUsagePurpose,
    };
    let key = KeyPair::generate_for(&rcgen::PKCS_ECDSA_P256_SHA256)
        .map_err(|e| tls_err("generating the server key")(&e))?;
    let mut params = CertificateParams::new(vec!["localhost".to_owned()])
        .map_err(|e| tls_err("certificate parameters")(&e))?;
    params
        .distinguished_name
        .push(DnType::CommonName, "localhost");
    params
        .distinguished_name
        .push(DnType::OrganizationName, "HashiCorp");
    params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    params.key_usages = vec![
        KeyUsagePurpose::DigitalSignature,
        KeyUsagePurpose::KeyEncipherment,
        KeyUsagePurpose::KeyAgreement,
        KeyUsagePurpose::KeyCertSign,
    ];
    params.extended_key_usages = vec![
        ExtendedKeyUsagePurpose::ServerAuth,
        ExtendedKeyUsagePurpose::ClientAuth,
    ];
    let now = time::OffsetDateTime::now_utc();
    params.not_before = now - time::Duration::seconds(30);
    params.not_after = now + time::Duration::hours(262_980);
    let cert = params
        .self_signed(&key)
        .map_err(|e| tls_err("signing the server certificate")(&e))?;
    Ok(ServerIdentity {
        cert: cert.der().clone(),
        key: PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(key.serialize_der())),
    })
}

/// Accepts exactly one client certificate and verifies the handshake signature made with it.
#[derive(Debug)]
pub struct PinnedClientCert {
    expected: CertificateDer<'static>,
    algorithms: WebPkiSupportedAlgorithms,
}

impl PinnedClientCert {
    pub fn from_pem(pem: &str, provider: &CryptoProvider) -> Result<PinnedClientCert, TlsError> {
        let expected = CertificateDer::from_pem_slice(pem.as_bytes())
            .map_err(|e| tls_err("PLUGIN_CLIENT_CERT is not a PEM certificate")(&e))?;
        Ok(PinnedClientCert {
            expected,
            algorithms: provider.signature_verification_algorithms,
        })
    }
}

impl ClientCertVerifier for PinnedClientCert {
    fn root_hint_subjects(&self) -> &[DistinguishedName] {
        &[]
    }

    fn verify_client_cert(
        &self,
        end_entity: &CertificateDer<'_>,
        _intermediates: &[CertificateDer<'_>],
        _now: UnixTime,
    ) -> Result<ClientCertVerified, rustls::Error> {
        if end_entity.as_ref() == self.expected.as_ref() {
            Ok(ClientCertVerified::assertion())
        } else {
            Err(rustls::Error::InvalidCertificate(
                CertificateError::ApplicationVerificationFailure,
            ))
        }
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls12_signature(message, cert, dss, &self.algorithms)
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls13_signature(message, cert, dss, &self.algorithms)
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.algorithms.supported_schemes()
    }

    fn client_auth_mandatory(&self) -> bool {
        true
    }
}

/// The rustls server configuration for AutoMTLS: TLS 1.2 and 1.3, ALPN `h2` (grpc-go ≥1.67
/// refuses servers without it), only Terraform's certificate accepted.
pub fn server_config(
    identity: &ServerIdentity,
    client_cert_pem: &str,
) -> Result<rustls::ServerConfig, TlsError> {
    let provider = Arc::new(rustls::crypto::aws_lc_rs::default_provider());
    let verifier = PinnedClientCert::from_pem(client_cert_pem, &provider)?;
    let mut cfg = rustls::ServerConfig::builder_with_provider(provider)
        .with_protocol_versions(&[&rustls::version::TLS13, &rustls::version::TLS12])
        .map_err(|e| tls_err("TLS versions")(&e))?
        .with_client_cert_verifier(Arc::new(verifier))
        .with_single_cert(vec![identity.cert.clone()], identity.key.clone_key())
        .map_err(|e| tls_err("server certificate")(&e))?;
    cfg.alpn_protocols = vec![b"h2".to_vec()];
    Ok(cfg)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn server_certificate_has_go_plugins_profile() {
        let id = server_identity().unwrap();
        // DER of a certificate: a SEQUENCE; the SAN "localhost" appears in it.
        assert_eq!(id.cert.as_ref()[0], 0x30);
        assert!(id.cert.as_ref().windows(9).any(|w| w == b"localhost"));
    }

    #[test]
    fn a_bad_client_cert_is_a_clear_error() {
        let id = server_identity().unwrap();
        let e = server_config(&id, "not a certificate").err().unwrap();
        assert!(e.0.contains("PLUGIN_CLIENT_CERT"), "{e}");
    }

    #[test]
    fn verifier_pins_exactly_one_certificate_and_offers_p521() {
        let id = server_identity().unwrap();
        let pem = format!(
            "-----BEGIN CERTIFICATE-----\n{}\n-----END CERTIFICATE-----\n",
            base64::Engine::encode(&base64::engine::general_purpose::STANDARD, id.cert.as_ref())
        );
        let provider = rustls::crypto::aws_lc_rs::default_provider();
        let v = PinnedClientCert::from_pem(&pem, &provider).unwrap();
        assert!(v.client_auth_mandatory());
        assert!(v
            .supported_verify_schemes()
            .contains(&SignatureScheme::ECDSA_NISTP521_SHA512));
        assert!(v.verify_client_cert(&id.cert, &[], UnixTime::now()).is_ok());
        let other = server_identity().unwrap();
        assert!(v
            .verify_client_cert(&other.cert, &[], UnixTime::now())
            .is_err());
    }
}
