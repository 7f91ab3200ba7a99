//! Whom the InfluxDB API clients (Management API and `/api/v2`) trust: the system roots, plus
//! the CA the user names with `ca_certificate` (Clustered often sits behind a private CA); and
//! how a certificate that does not verify becomes an error the user can act on.
//!
//! Proxies: `HTTPS_PROXY`, `HTTP_PROXY`, `ALL_PROXY` and `NO_PROXY` are read from the
//! environment (as curl does; no exception for localhost unless NO_PROXY names it).
//!
//! Verification cannot be turned off. A certificate that does not verify is a permanent error:
//! retrying cannot fix it, so the call fails at once, naming the host, the reason and the
//! setting that fixes it.

use std::time::Duration;

use rustls::pki_types::pem::PemObject;
use rustls::pki_types::CertificateDer;
use rustls::CertificateError;

/// The certificates of a PEM text, checked to be X.509 certificates a trust store accepts.
/// The error is a sentence for a diagnostic.
pub fn parse_ca_pem(pem: &str) -> Result<Vec<reqwest::Certificate>, String> {
    let mut out = Vec::new();
    for (i, der) in CertificateDer::pem_slice_iter(pem.as_bytes()).enumerate() {
        let der = der.map_err(|e| format!("certificate {} is not valid PEM ({e:?}).", i + 1))?;
        let mut store = rustls::RootCertStore::empty();
        store.add(der.clone()).map_err(|e| {
            format!(
                "certificate {} is not an X.509 certificate that can be trusted ({e}).",
                i + 1
            )
        })?;
        let cert = reqwest::Certificate::from_der(der.as_ref())
            .map_err(|e| format!("certificate {} cannot be used ({e}).", i + 1))?;
        out.push(cert);
    }
    if out.is_empty() {
        return Err("it holds no PEM certificate (a block starting with \
                    `-----BEGIN CERTIFICATE-----`). Give the CA certificate itself, for example \
                    `ca_certificate = file(\"ca.pem\")`, not a file name."
            .into());
    }
    Ok(out)
}

/// The HTTP client of one API client: the system roots plus `extra_roots`, proxies from the
/// environment, and these timeouts.
pub fn http_client(
    request_timeout: Duration,
    extra_roots: Vec<reqwest::Certificate>,
) -> reqwest::Result<reqwest::Client> {
    reqwest::Client::builder()
        .tls_certs_merge(extra_roots)
        .timeout(request_timeout)
        .connect_timeout(request_timeout.min(Duration::from_secs(10)))
        .pool_idle_timeout(Duration::from_secs(30))
        .user_agent(concat!(
            "terraform-provider-influxdb/",
            env!("CARGO_PKG_VERSION")
        ))
        .build()
}

/// Plan-time check of the `ca_certificate` attribute.
pub fn validate_ca_pem(pem: &str) -> Result<(), String> {
    parse_ca_pem(pem).map(|_| ())
}

/// When `error` (or one of its sources) says the server's certificate did not verify, why, in
/// words: "unknown issuer", "name mismatch", "expired", ...
pub fn certificate_failure(error: &(dyn std::error::Error + 'static)) -> Option<String> {
    let mut cur = Some(error);
    while let Some(e) = cur {
        if let Some(r) = rustls_reason(e) {
            return Some(r);
        }
        // io::Error's source() skips the error it wraps, so look inside it too.
        if let Some(inner) = e
            .downcast_ref::<std::io::Error>()
            .and_then(|io| io.get_ref())
        {
            if let Some(r) = certificate_failure(inner) {
                return Some(r);
            }
        }
        cur = e.source();
    }
    None
}

fn rustls_reason(e: &(dyn std::error::Error + 'static)) -> Option<String> {
    match e.downcast_ref::<rustls::Error>()? {
        rustls::Error::InvalidCertificate(c) => Some(describe(c)),
        _ => None,
    }
}

fn describe(e: &CertificateError) -> String {
    match e {
        CertificateError::UnknownIssuer => "unknown issuer: it was not issued by a certificate \
             authority this provider trusts (the system roots and `ca_certificate`)"
            .into(),
        CertificateError::NotValidForName | CertificateError::NotValidForNameContext { .. } => {
            "name mismatch: the certificate is not valid for this host name".into()
        }
        CertificateError::Expired | CertificateError::ExpiredContext { .. } => {
            "expired: the certificate is no longer valid".into()
        }
        CertificateError::NotValidYet | CertificateError::NotValidYetContext { .. } => {
            "not valid yet: the certificate's validity starts in the future (check the clock)"
                .into()
        }
        CertificateError::Revoked => "revoked: the certificate has been revoked".into(),
        CertificateError::BadSignature => "bad signature".into(),
        CertificateError::BadEncoding => "the certificate is malformed".into(),
        other => format!("{other:?}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_ca_in_pem_is_accepted_and_anything_else_is_explained() {
        let key = rcgen::KeyPair::generate().unwrap();
        let mut params = rcgen::CertificateParams::new(Vec::<String>::new()).unwrap();
        params.is_ca = rcgen::IsCa::Ca(rcgen::BasicConstraints::Unconstrained);
        let ca = params.self_signed(&key).unwrap();
        assert_eq!(parse_ca_pem(&ca.pem()).unwrap().len(), 1);
        let two = format!("{}\n{}", ca.pem(), ca.pem());
        assert_eq!(parse_ca_pem(&two).unwrap().len(), 2);

        let e = parse_ca_pem("ca.pem").unwrap_err();
        assert!(
            e.contains("file(\\\"ca.pem\\\")") || e.contains("file(\"ca.pem\")"),
            "{e}"
        );
        let e = parse_ca_pem("-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n")
            .unwrap_err();
        assert!(e.contains("certificate 1"), "{e}");
    }

    #[test]
    fn certificate_errors_are_found_inside_io_errors() {
        let io = std::io::Error::new(
            std::io::ErrorKind::InvalidData,
            rustls::Error::InvalidCertificate(CertificateError::UnknownIssuer),
        );
        let r = certificate_failure(&io).unwrap();
        assert!(r.starts_with("unknown issuer"), "{r}");
        let io = std::io::Error::new(
            std::io::ErrorKind::InvalidData,
            rustls::Error::InvalidCertificate(CertificateError::Expired),
        );
        assert!(certificate_failure(&io).unwrap().starts_with("expired"));
        let other = std::io::Error::new(std::io::ErrorKind::ConnectionRefused, "refused");
        assert_eq!(certificate_failure(&other), None);
    }
}
