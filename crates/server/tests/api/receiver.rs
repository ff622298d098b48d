//! A webhook receiver inside the test: records every request, and answers with the
//! statuses and delay a test sets.

use std::collections::{HashMap, VecDeque};
use std::net::TcpListener;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use actix_web::{web, App, HttpRequest, HttpResponse, HttpServer};

#[derive(Debug, Clone)]
pub struct Received {
    pub headers: HashMap<String, String>,
    pub body: Vec<u8>,
}

impl Received {
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_slice(&self.body).expect("a JSON body")
    }
}

#[derive(Default)]
struct Behaviour {
    /// Answered in turn; 204 once they run out.
    statuses: VecDeque<u16>,
    delay: Duration,
}

#[derive(Clone)]
pub struct Receiver {
    pub url: String,
    received: Arc<Mutex<Vec<Received>>>,
    behaviour: Arc<Mutex<Behaviour>>,
}

impl Receiver {
    pub async fn start() -> Self {
        Self::on(TcpListener::bind("127.0.0.1:0").expect("bind")).await
    }

    /// A receiver on a given listener (to come up on a port senders already target).
    pub async fn on(listener: TcpListener) -> Self {
        let url = format!("http://{}/hook", listener.local_addr().expect("address"));
        let received = Arc::new(Mutex::new(Vec::new()));
        let behaviour = Arc::new(Mutex::new(Behaviour::default()));
        let (r, b) = (received.clone(), behaviour.clone());
        let server = HttpServer::new(move || {
            let (r, b) = (r.clone(), b.clone());
            App::new().default_service(web::to(move |req: HttpRequest, body: web::Bytes| {
                let (r, b) = (r.clone(), b.clone());
                async move {
                    let headers = req
                        .headers()
                        .iter()
                        .map(|(k, v)| (k.to_string(), v.to_str().unwrap_or_default().to_string()))
                        .collect();
                    r.lock().expect("lock").push(Received {
                        headers,
                        body: body.to_vec(),
                    });
                    let (status, delay) = {
                        let mut b = b.lock().expect("lock");
                        (b.statuses.pop_front().unwrap_or(204), b.delay)
                    };
                    actix_web::rt::time::sleep(delay).await;
                    HttpResponse::build(
                        actix_web::http::StatusCode::from_u16(status).expect("status"),
                    )
                    .body(format!("answered {status}"))
                }
            }))
        })
        .workers(2)
        .listen(listener)
        .expect("listen")
        .run();
        actix_web::rt::spawn(server);
        Receiver {
            url,
            received,
            behaviour,
        }
    }

    /// The next answers, in turn, before falling back to 204.
    pub fn answer(&self, statuses: &[u16]) {
        self.behaviour
            .lock()
            .expect("lock")
            .statuses
            .extend(statuses);
    }

    pub fn delay(&self, delay: Duration) {
        self.behaviour.lock().expect("lock").delay = delay;
    }

    pub fn received(&self) -> Vec<Received> {
        self.received.lock().expect("lock").clone()
    }

    /// Waits until `count` requests arrived (at most `within`), and returns all so far.
    pub async fn wait_for(&self, count: usize, within: Duration) -> Vec<Received> {
        let deadline = Instant::now() + within;
        loop {
            let received = self.received();
            if received.len() >= count || Instant::now() > deadline {
                return received;
            }
            actix_web::rt::time::sleep(Duration::from_millis(20)).await;
        }
    }
}
