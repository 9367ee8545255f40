//! End to end: "Test connection" names each failure in plain words against real servers: a
//! CORS block, a wrong address, a bad key, an unknown model, and success.

use std::time::Duration;

use e2e::judge_server::{JudgeServer, ServerConfig};
use e2e::{free_port, Harness};
use fantoccini::Locator;

async fn test_connection(h: &Harness, base_url: &str, key: &str, model: &str) -> (String, String) {
    for (label, value) in [
        ("Base URL", base_url),
        ("API key", key),
        ("Judge model", model),
    ] {
        h.fill(label, value).await;
    }
    let button = h
        .client
        .find(Locator::XPath("//button[text()='Test connection']"))
        .await
        .unwrap();
    button.click().await.unwrap();
    let result = h
        .wait_for(".connection-status > div", Duration::from_secs(30))
        .await;
    let title = result
        .find(Locator::Css("strong"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    (title, result.text().await.unwrap())
}

#[tokio::test(flavor = "multi_thread")]
async fn test_connection_explains_each_failure() {
    let open = JudgeServer::start(ServerConfig::default()).await;
    let closed = JudgeServer::start(ServerConfig {
        cors: false,
        ..ServerConfig::default()
    })
    .await;
    let h = Harness::start().await;
    h.open_app().await;
    h.open_runner().await;
    let origin = h.app_url.trim_end_matches('/').to_string();

    let (title, text) = test_connection(&h, &closed.base_url(), "test-key", "judge-test").await;
    assert_eq!(title, "The browser blocked the answer (CORS)");
    assert!(
        text.contains(&format!("OLLAMA_ORIGINS=\"{origin}\"")),
        "{text}"
    );
    assert!(
        text.contains("--allowed-origins")
            && text.contains("LM Studio")
            && text.contains("llama-server"),
        "{text}"
    );

    let nowhere = format!("http://127.0.0.1:{}/v1", free_port());
    let (title, _) = test_connection(&h, &nowhere, "test-key", "judge-test").await;
    assert_eq!(title, "Cannot reach the server");

    let (title, text) = test_connection(&h, &open.base_url(), "wrong-key", "judge-test").await;
    assert_eq!(title, "The key was refused (HTTP 401)");
    assert!(text.contains("Incorrect API key provided"), "{text}");

    let (title, _) = test_connection(&h, &open.base_url(), "test-key", "no-such-model").await;
    assert_eq!(
        title,
        "Unknown model \u{201c}no-such-model\u{201d} (HTTP 404)"
    );

    let (title, _) = test_connection(&h, &open.base_url(), "test-key", "judge-test").await;
    assert_eq!(title, "Connected: judge-test answered");

    // The key went only into the Authorization header: never into a URL the server saw.
    for entry in open.log().iter().chain(closed.log().iter()) {
        assert!(!entry.path.contains("key"), "{}", entry.path);
    }
    h.screenshot("connection").await;
    h.stop().await;
}
