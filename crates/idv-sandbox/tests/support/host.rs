//! The integrator's side of a browser test: a web server on loopback, reached as `localhost`
//! (so another site than the sandbox at `127.0.0.1`, as Yoti's page is from the integrator's),
//! serving host pages that embed the web flow in an iframe and record what it posts.

use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};

use bytes::Bytes;
use http_body_util::Full;
use hyper::service::service_fn;
use hyper_util::rt::TokioIo;

/// Escapes text for an HTML attribute value or text.
pub fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('"', "&quot;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

/// A host page embedding `src` in an iframe (`#flow`). Every message the frame posts is
/// pushed onto `window.events` as `{origin, data}`. With `init`, the page answers `STARTED`
/// with `{eventType: "INIT_SESSION", sessionID, sessionToken}` from `init`.
pub fn host_page(src: &str, init: Option<(&str, &str)>) -> String {
    let init = init.map_or_else(
        || "null".to_owned(),
        |(id, token)| {
            serde_json::json!({"eventType": "INIT_SESSION", "sessionID": id, "sessionToken": token})
                .to_string()
        },
    );
    format!(
        r#"<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>An integrator's page</title>
<script>
window.events = [];
const init = {init};
window.addEventListener("message", (event) => {{
  const frame = document.getElementById("flow");
  if (!frame || event.source !== frame.contentWindow) return;
  window.events.push({{ origin: event.origin, data: event.data }});
  if (init && event.data && event.data.eventType === "STARTED") {{
    event.source.postMessage(init, event.origin);
  }}
}});
</script>
</head>
<body>
<h1>An integrator's page</h1>
<iframe id="flow" title="Identity verification" src="{src}" width="900" height="1200"></iframe>
</body>
</html>
"#,
        src = escape(src)
    )
}

/// A plain page, the target of a redirect.
pub fn landing_page(title: &str) -> String {
    format!(
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>{0}</title>\
         </head><body><h1>{0}</h1></body></html>\n",
        escape(title)
    )
}

/// A server of fixed pages by path (the query is ignored); 404 for any other path.
#[derive(Debug)]
pub struct Host {
    addr: SocketAddr,
    pages: Arc<Mutex<HashMap<String, String>>>,
    task: tokio::task::JoinHandle<()>,
}

impl Host {
    pub async fn start() -> Self {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind the host server");
        let addr = listener.local_addr().expect("address");
        let pages: Arc<Mutex<HashMap<String, String>>> = Arc::default();
        let served = Arc::clone(&pages);
        let task = tokio::spawn(async move {
            while let Ok((stream, _)) = listener.accept().await {
                let pages = Arc::clone(&served);
                tokio::spawn(async move {
                    let service = service_fn(move |request: http::Request<_>| {
                        let page = pages
                            .lock()
                            .expect("pages")
                            .get(request.uri().path())
                            .cloned();
                        async move {
                            let (status, body) = match page {
                                Some(page) => (200, page),
                                None => (404, "not found".to_owned()),
                            };
                            http::Response::builder()
                                .status(status)
                                .header("content-type", "text/html; charset=utf-8")
                                .body(Full::new(Bytes::from(body)))
                        }
                    });
                    let _ = hyper::server::conn::http1::Builder::new()
                        .serve_connection(TokioIo::new(stream), service)
                        .await;
                });
            }
        });
        Self { addr, pages, task }
    }

    /// Serves `html` at `path`; returns the page's URL.
    pub fn page(&self, path: &str, html: String) -> String {
        self.pages
            .lock()
            .expect("pages")
            .insert(path.to_owned(), html);
        self.url(path)
    }

    /// The URL of `path` on this server, named `localhost` so the page is another *site*
    /// than the sandbox at `127.0.0.1`, not only another origin, as an integrator's site is
    /// from Yoti's (browsers treat cross-site frames more strictly).
    pub fn url(&self, path: &str) -> String {
        format!("http://localhost:{}{path}", self.addr.port())
    }
}

impl Drop for Host {
    fn drop(&mut self) {
        self.task.abort();
    }
}
