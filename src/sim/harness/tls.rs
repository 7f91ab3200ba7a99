//! HTTPS for the simulator (`--tls`): at start it makes its own certificate authority and a
//! server certificate for the address it listens on, signed by that CA, as an InfluxDB
//! Clustered behind a private CA would present. The CA certificate (PEM) is what a client must
//! be told to trust; the simulator writes it to a file for that.
//!
//! `expired` makes a server certificate whose validity ended yesterday, to show what a client
//! does with an expired certificate.

use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::sync::Arc;

use rcgen::{
    BasicConstraints, CertificateParams, DnType, ExtendedKeyUsagePurpose, IsCa, Issuer, KeyPair,
    KeyUsagePurpose, SanType,
};
use rustls::pki_types::{PrivateKeyDer, PrivatePkcs8KeyDer};

/// The CA and the server configuration made from it.
pub struct SimTls {
    /// The CA certificate in PEM form.
    pub ca_pem: String,
    pub acceptor: tokio_rustls::TlsAcceptor,
}

fn io_err(what: &str) -> impl Fn(rcgen::Error) -> std::io::Error + '_ {
    move |e| std::io::Error::other(format!("{what}: {e}"))
}

/// Makes the CA and a server certificate for `addr` (its IP; `127.0.0.1` and `localhost` when
/// it listens on every address).
pub fn make(addr: SocketAddr, expired: bool) -> std::io::Result<SimTls> {
    let now = time::OffsetDateTime::now_utc();
    let ca_key = KeyPair::generate_for(&rcgen::PKCS_ECDSA_P256_SHA256)
        .map_err(io_err("generating the CA key"))?;
    let mut ca = CertificateParams::new(Vec::<String>::new()).map_err(io_err("CA parameters"))?;
    ca.distinguished_name
        .push(DnType::CommonName, "influxdb-sim test CA");
    ca.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    ca.key_usages = vec![KeyUsagePurpose::KeyCertSign, KeyUsagePurpose::CrlSign];
    ca.not_before = now - time::Duration::days(2);
    ca.not_after = now + time::Duration::days(365);
    let ca_cert = ca.self_signed(&ca_key).map_err(io_err("signing the CA"))?;
    let ca_pem = ca_cert.pem();
    let issuer = Issuer::new(ca, ca_key);

    let key = KeyPair::generate_for(&rcgen::PKCS_ECDSA_P256_SHA256)
        .map_err(io_err("generating the server key"))?;
    let mut params =
        CertificateParams::new(Vec::<String>::new()).map_err(io_err("server parameters"))?;
    let ip = addr.ip();
    params.subject_alt_names = if ip.is_unspecified() {
        vec![
            SanType::IpAddress(IpAddr::V4(Ipv4Addr::LOCALHOST)),
            SanType::DnsName("localhost".try_into().map_err(io_err("localhost"))?),
        ]
    } else {
        vec![SanType::IpAddress(ip)]
    };
    params
        .distinguished_name
        .push(DnType::CommonName, "influxdb-sim");
    params.key_usages = vec![KeyUsagePurpose::DigitalSignature];
    params.extended_key_usages = vec![ExtendedKeyUsagePurpose::ServerAuth];
    if expired {
        params.not_before = now - time::Duration::days(2);
        params.not_after = now - time::Duration::days(1);
    } else {
        params.not_before = now - time::Duration::minutes(5);
        params.not_after = now + time::Duration::days(30);
    }
    let cert = params
        .signed_by(&key, &issuer)
        .map_err(io_err("signing the server certificate"))?;

    let provider = Arc::new(rustls::crypto::aws_lc_rs::default_provider());
    let mut config = rustls::ServerConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(std::io::Error::other)?
        .with_no_client_auth()
        .with_single_cert(
            vec![cert.der().clone(), ca_cert.der().clone()],
            PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(key.serialize_der())),
        )
        .map_err(std::io::Error::other)?;
    config.alpn_protocols = vec![b"http/1.1".to_vec()];
    Ok(SimTls {
        ca_pem,
        acceptor: tokio_rustls::TlsAcceptor::from(Arc::new(config)),
    })
}
