//! Webhook requests ignore proxy variables of the environment: a proxy would resolve the
//! receiver's name where the address check cannot see it. Its own test binary, because it
//! sets the process's environment.

use std::io::{Read, Write};
use std::net::TcpListener;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::thread;
use std::time::Duration;

use chrono::Utc;
use orderpath_webhooks::endpoints::Auth;
use orderpath_webhooks::sender::{Sender, Target};
use orderpath_webhooks::WebhookMessage;
use uuid::Uuid;

/// Answers every connection to a fresh local port with `status`; counts the connections.
fn serve(status: &'static str) -> (u16, Arc<AtomicUsize>) {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
    let port = listener.local_addr().expect("address").port();
    let connections = Arc::new(AtomicUsize::new(0));
    let counted = connections.clone();
    thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { continue };
            counted.fetch_add(1, Ordering::SeqCst);
            stream
                .set_read_timeout(Some(Duration::from_millis(500)))
                .ok();
            let mut request = [0u8; 8192];
            let _ = stream.read(&mut request);
            let answer =
                format!("HTTP/1.1 {status}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
            let _ = stream.write_all(answer.as_bytes());
        }
    });
    (port, connections)
}

#[tokio::test]
async fn a_delivery_goes_to_the_receiver_even_with_a_proxy_in_the_environment() {
    let (proxy, through_proxy) = serve("502 Bad Gateway");
    let (receiver, received) = serve("204 No Content");
    let proxy_url = format!("http://127.0.0.1:{proxy}");
    for name in [
        "HTTP_PROXY",
        "HTTPS_PROXY",
        "ALL_PROXY",
        "http_proxy",
        "https_proxy",
        "all_proxy",
    ] {
        std::env::set_var(name, &proxy_url);
    }
    std::env::remove_var("NO_PROXY");
    std::env::remove_var("no_proxy");

    let sender = Sender::new(Duration::from_secs(5), true).expect("sender");
    let target = Target {
        url: format!("http://127.0.0.1:{receiver}/hook"),
        auth: Auth::None,
        signing_secret: None,
        previous_signing_secret: None,
    };
    let message = WebhookMessage {
        id: Uuid::new_v4(),
        event_type: "CART_OPENED".into(),
        occurred_at: Utc::now(),
        data: serde_json::json!({}),
    };
    let outcome = sender.send(&target, &message).await;
    assert_eq!(outcome.status_code, Some(204), "{outcome:?}");
    assert!(outcome.delivered);
    assert_eq!(received.load(Ordering::SeqCst), 1);
    assert_eq!(through_proxy.load(Ordering::SeqCst), 0);
}
