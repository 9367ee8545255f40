//! HTTPS: a self-signed certificate and ALPN.

use std::sync::Arc;

use tokio_rustls::TlsAcceptor;

/// A self-signed certificate for 127.0.0.1 and localhost, made afresh at each start, and ALPN
/// offering h2 first: Chromium multiplexes requests to one host only over HTTP/2 with TLS.
pub(super) fn tls_acceptor() -> TlsAcceptor {
    let cert = rcgen::generate_simple_self_signed(vec!["127.0.0.1".into(), "localhost".into()])
        .expect("a self-signed certificate");
    let key = rustls::pki_types::PrivateKeyDer::Pkcs8(cert.signing_key.serialize_der().into());
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let mut tls = rustls::ServerConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .expect("ring supports the default TLS versions")
        .with_no_client_auth()
        .with_single_cert(vec![cert.cert.der().clone()], key)
        .expect("the generated key fits the certificate");
    tls.alpn_protocols = vec![b"h2".to_vec(), b"http/1.1".to_vec()];
    TlsAcceptor::from(Arc::new(tls))
}
