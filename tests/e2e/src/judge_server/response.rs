//! Responses and CORS.

use bytes::Bytes;
use http_body_util::Full;
use hyper::header::{HeaderValue, CONTENT_TYPE, RETRY_AFTER, VARY};
use hyper::{Response, StatusCode};

use super::reply::Answer;

/// The body of every response: whole, never streamed.
pub(super) type Body = Full<Bytes>;

pub(super) struct Cors {
    pub enabled: bool,
    pub expose_retry_after: bool,
    pub origin: Option<HeaderValue>,
}

impl Cors {
    fn allow_origin(&self) -> HeaderValue {
        self.origin
            .clone()
            .unwrap_or_else(|| HeaderValue::from_static("*"))
    }

    /// Headers on every answer except a preflight's.
    fn decorate(&self, response: &mut Response<Body>) {
        if !self.enabled {
            return;
        }
        let headers = response.headers_mut();
        headers.insert("access-control-allow-origin", self.allow_origin());
        headers.insert(VARY, HeaderValue::from_static("Origin"));
        if self.expose_retry_after {
            headers.insert(
                "access-control-expose-headers",
                HeaderValue::from_static("Retry-After"),
            );
        }
    }

    pub(super) fn preflight(&self) -> Response<Body> {
        let mut response = Response::new(Body::default());
        *response.status_mut() = StatusCode::NO_CONTENT;
        if self.enabled {
            let headers = response.headers_mut();
            headers.insert("access-control-allow-origin", self.allow_origin());
            headers.insert(
                "access-control-allow-methods",
                HeaderValue::from_static("GET, POST, OPTIONS"),
            );
            headers.insert(
                "access-control-allow-headers",
                HeaderValue::from_static("authorization, content-type"),
            );
            headers.insert("access-control-max-age", HeaderValue::from_static("600"));
            // Chromium's Private Network Access asks this before a page calls 127.0.0.1.
            headers.insert(
                "access-control-allow-private-network",
                HeaderValue::from_static("true"),
            );
            headers.insert(VARY, HeaderValue::from_static("Origin"));
        }
        response
    }

    pub(super) fn respond_empty(&self) -> Response<Body> {
        let mut response = Response::new(Body::default());
        *response.status_mut() = StatusCode::NO_CONTENT;
        self.decorate(&mut response);
        response
    }
}

/// The HTTP response of a reply (None for a drop).
pub(super) fn into_response(answer: Answer, cors: &Cors) -> Option<Response<Body>> {
    let Answer::Reply {
        status,
        body,
        retry_after,
        ..
    } = answer
    else {
        return None;
    };
    let mut response = Response::new(Full::new(Bytes::from(body.to_string())));
    *response.status_mut() = status;
    let headers = response.headers_mut();
    headers.insert(CONTENT_TYPE, HeaderValue::from_static("application/json"));
    if let Some(seconds) = retry_after {
        headers.insert(RETRY_AFTER, HeaderValue::from(seconds));
    }
    cors.decorate(&mut response);
    Some(response)
}
