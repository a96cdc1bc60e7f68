//! Headless Chromium driven through W3C WebDriver (chromedriver), with a client of our own: the
//! dozen commands the browser tests need, JSON over HTTP on loopback (no TLS, no extra
//! dependency).
//!
//! The binaries are Debian's (`apt-get install chromium chromium-driver`); `IDV_CHROMIUM` and
//! `IDV_CHROMEDRIVER` point elsewhere. When either is missing the tests fail with a message
//! saying how to install them, unless `IDV_SKIP_BROWSER_TESTS=1` is set.

use std::io::{BufRead as _, BufReader, Read as _, Write as _};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use bytes::Bytes;
use http_body_util::{BodyExt as _, Full};
use hyper_util::rt::TokioIo;
use serde_json::{Value, json};

/// The key of a web element reference in WebDriver JSON.
const ELEMENT_KEY: &str = "element-6066-11e4-a52e-4f735466cecf";
/// How long chromedriver may take to say it is listening.
const DRIVER_START: Duration = Duration::from_secs(30);
/// How often [`Browser::wait_for`] looks again.
const POLL: Duration = Duration::from_millis(50);
/// How many looks [`Browser::wait_for`] takes before giving up (a bound, so a broken page
/// fails the test instead of hanging it; not a speed requirement).
const POLLS: u32 = 400;

/// Chromium's flags for running as root in a container, headless and quiet.
const CHROMIUM_ARGS: [&str; 9] = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--window-size=1000,1400",
];

fn binary(var: &str, default: &str) -> String {
    std::env::var(var)
        .ok()
        .filter(|v| !v.is_empty())
        .unwrap_or_else(|| default.to_owned())
}

/// Whether the browser tests are to be skipped (`IDV_SKIP_BROWSER_TESTS=1`).
fn skipping() -> bool {
    std::env::var("IDV_SKIP_BROWSER_TESTS").is_ok_and(|v| v == "1" || v == "true")
}

/// An element found on the page.
#[derive(Debug, Clone)]
pub struct Element(String);

impl Element {
    fn json(&self) -> Value {
        json!({ ELEMENT_KEY: self.0 })
    }
}

/// A WebDriver error answer (`{"value": {"error", "message"}}`).
#[derive(Debug)]
pub struct DriverError {
    pub error: String,
    pub message: String,
}

/// A chromedriver process and one Chromium session in it; both end when this is dropped.
#[derive(Debug)]
pub struct Browser {
    driver: Child,
    port: u16,
    session: String,
    _profile: tempfile::TempDir,
}

impl Browser {
    /// Starts chromedriver on a free loopback port and a headless Chromium with a fresh
    /// profile. `None` when the browser tests are skipped; panics (the test fails) when a
    /// binary is missing and they are not.
    #[allow(clippy::print_stderr, reason = "says why a test did nothing")]
    pub async fn start() -> Option<Self> {
        let chromium = binary("IDV_CHROMIUM", "/usr/bin/chromium");
        let chromedriver = binary("IDV_CHROMEDRIVER", "/usr/bin/chromedriver");
        let missing: Vec<&str> = [&chromium, &chromedriver]
            .into_iter()
            .filter(|path| !std::path::Path::new(path.as_str()).exists())
            .map(String::as_str)
            .collect();
        if skipping() {
            eprintln!("IDV_SKIP_BROWSER_TESTS is set: browser test skipped");
            return None;
        }
        assert!(
            missing.is_empty(),
            "the browser tests need headless Chromium and chromedriver, and {missing:?} is \
             missing: install them with `apt-get install -y chromium chromium-driver` (CI's \
             .ci/run does), point IDV_CHROMIUM / IDV_CHROMEDRIVER at them, or set \
             IDV_SKIP_BROWSER_TESTS=1 to skip these tests"
        );

        let mut driver = Command::new(&chromedriver)
            .arg("--port=0")
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap_or_else(|e| panic!("starting {chromedriver}: {e}"));
        let port = match read_port(&mut driver) {
            Ok(port) => port,
            Err(message) => {
                let _ = driver.kill();
                let _ = driver.wait();
                panic!("{chromedriver}: {message}");
            }
        };
        let profile = tempfile::tempdir().expect("a profile directory");
        let mut args: Vec<String> = CHROMIUM_ARGS.iter().map(|&a| a.to_owned()).collect();
        args.push(format!("--user-data-dir={}", profile.path().display()));
        let capabilities = json!({"capabilities": {"alwaysMatch": {
            "browserName": "chrome",
            "goog:chromeOptions": {"binary": chromium, "args": args},
            "goog:loggingPrefs": {"browser": "ALL"},
        }}});
        let mut browser = Self {
            driver,
            port,
            session: String::new(),
            _profile: profile,
        };
        let created = browser
            .request("POST", "/session".to_owned(), Some(capabilities))
            .await
            .unwrap_or_else(|e| panic!("starting Chromium through chromedriver: {e:?}"));
        browser.session = created["sessionId"]
            .as_str()
            .expect("a WebDriver session id")
            .to_owned();
        Some(browser)
    }

    /// One WebDriver request; the answer's `value`.
    async fn request(
        &self,
        method: &str,
        path: String,
        body: Option<Value>,
    ) -> Result<Value, DriverError> {
        let stream = tokio::net::TcpStream::connect(("127.0.0.1", self.port))
            .await
            .expect("connect to chromedriver");
        let (mut sender, connection) = hyper::client::conn::http1::handshake(TokioIo::new(stream))
            .await
            .expect("HTTP handshake with chromedriver");
        tokio::spawn(connection);
        let body = body.map_or_else(Vec::new, |b| serde_json::to_vec(&b).expect("JSON"));
        let request = http::Request::builder()
            .method(method)
            .uri(path)
            .header(http::header::HOST, format!("127.0.0.1:{}", self.port))
            .header(http::header::CONTENT_TYPE, "application/json")
            .body(Full::new(Bytes::from(body)))
            .expect("request");
        let response = sender
            .send_request(request)
            .await
            .expect("chromedriver answers");
        let status = response.status();
        let bytes = response
            .into_body()
            .collect()
            .await
            .expect("chromedriver's body")
            .to_bytes();
        let json: Value = serde_json::from_slice(&bytes).expect("chromedriver answers JSON");
        let value = json.get("value").cloned().unwrap_or(Value::Null);
        if status.is_success() {
            Ok(value)
        } else {
            Err(DriverError {
                error: value["error"].as_str().unwrap_or("").to_owned(),
                message: value["message"].as_str().unwrap_or("").to_owned(),
            })
        }
    }

    /// A command on this session, which must succeed.
    async fn command(&self, method: &str, path: &str, body: Option<Value>) -> Value {
        let full = format!("/session/{}{path}", self.session);
        self.request(method, full, body)
            .await
            .unwrap_or_else(|e| panic!("WebDriver {method} {path}: {e:?}"))
    }

    /// Loads `url` in the top window.
    pub async fn goto(&self, url: &str) {
        self.command("POST", "/url", Some(json!({ "url": url })))
            .await;
    }

    /// The top window's URL.
    pub async fn current_url(&self) -> String {
        self.command("GET", "/url", None)
            .await
            .as_str()
            .expect("a URL")
            .to_owned()
    }

    /// The first element matching a CSS selector, if any.
    pub async fn try_find(&self, css: &str) -> Option<Element> {
        let body = json!({"using": "css selector", "value": css});
        let path = format!("/session/{}/element", self.session);
        match self.request("POST", path, Some(body)).await {
            Ok(value) => Some(Element(
                value[ELEMENT_KEY]
                    .as_str()
                    .unwrap_or_else(|| panic!("an element reference: {value}"))
                    .to_owned(),
            )),
            Err(e) if e.error == "no such element" => None,
            Err(e) => panic!("finding {css}: {e:?}"),
        }
    }

    /// The first element matching a CSS selector, once there is one.
    pub async fn find(&self, css: &str) -> Element {
        for _ in 0..POLLS {
            if let Some(element) = self.try_find(css).await {
                return element;
            }
            tokio::time::sleep(POLL).await;
        }
        panic!("no element matches {css}{}", self.diagnostics().await);
    }

    /// What the browser said (console messages, errors such as CSP violations) and the URL,
    /// for a failure message.
    async fn diagnostics(&self) -> String {
        let log = self
            .request(
                "POST",
                format!("/session/{}/se/log", self.session),
                Some(json!({"type": "browser"})),
            )
            .await
            .map_or_else(|e| format!("{e:?}"), |v| v.to_string());
        let url = self
            .request("GET", format!("/session/{}/url", self.session), None)
            .await
            .map_or_else(|e| format!("{e:?}"), |v| v.to_string());
        format!("\n(top URL {url}; browser log {log})")
    }

    pub async fn click(&self, element: &Element) {
        self.command(
            "POST",
            &format!("/element/{}/click", element.0),
            Some(json!({})),
        )
        .await;
    }

    /// Types into an element (a file input takes a path); `\u{E007}` is Enter.
    pub async fn send_keys(&self, element: &Element, text: &str) {
        self.command(
            "POST",
            &format!("/element/{}/value", element.0),
            Some(json!({ "text": text })),
        )
        .await;
    }

    /// Runs a script in the current frame: `arguments[i]` are the arguments; returns its value.
    pub async fn execute(&self, script: &str, args: &[Value]) -> Value {
        self.command(
            "POST",
            "/execute/sync",
            Some(json!({"script": script, "args": args})),
        )
        .await
    }

    /// Runs `script` until it returns something other than `null`, `false` or `undefined`,
    /// and returns that.
    pub async fn wait_for(&self, what: &str, script: &str) -> Value {
        for _ in 0..POLLS {
            let value = self.execute(script, &[]).await;
            if !matches!(value, Value::Null | Value::Bool(false)) {
                return value;
            }
            tokio::time::sleep(POLL).await;
        }
        panic!("waited in vain for {what}{}", self.diagnostics().await);
    }

    /// Switches into the iframe `element`.
    pub async fn enter_frame(&self, element: &Element) {
        self.command("POST", "/frame", Some(json!({ "id": element.json() })))
            .await;
    }

    /// Switches back to the top window.
    pub async fn leave_frames(&self) {
        self.command("POST", "/frame", Some(json!({ "id": null })))
            .await;
    }

    /// The `id` of the focused element in the current frame.
    pub async fn focused_id(&self) -> String {
        self.execute("return document.activeElement.id;", &[])
            .await
            .as_str()
            .unwrap_or("")
            .to_owned()
    }
}

impl Drop for Browser {
    fn drop(&mut self) {
        // Ends the session (closing Chromium) with a blocking request, since drop cannot
        // wait on the runtime; then stops chromedriver.
        if !self.session.is_empty() {
            let _ = delete_session(self.port, &self.session);
        }
        let _ = self.driver.kill();
        let _ = self.driver.wait();
    }
}

fn delete_session(port: u16, session: &str) -> std::io::Result<()> {
    let mut stream = std::net::TcpStream::connect(("127.0.0.1", port))?;
    stream.set_read_timeout(Some(Duration::from_secs(10)))?;
    write!(
        stream,
        "DELETE /session/{session} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n\
         Content-Length: 0\r\nConnection: close\r\n\r\n"
    )?;
    // chromedriver answers once Chromium has quit, and may keep the connection open: the
    // end of the headers is enough.
    let mut answer = Vec::new();
    let mut chunk = [0u8; 512];
    while !answer.windows(4).any(|w| w == b"\r\n\r\n") {
        let n = stream.read(&mut chunk)?;
        if n == 0 || answer.len() > 64 * 1024 {
            break;
        }
        answer.extend_from_slice(&chunk[..n]);
    }
    Ok(())
}

/// Reads chromedriver's standard output until it says which port it listens on; the rest of
/// its output is drained on a thread so it never blocks on a full pipe.
fn read_port(driver: &mut Child) -> Result<u16, String> {
    let stdout = driver.stdout.take().ok_or("no standard output")?;
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let mut tx = Some(tx);
        for line in BufReader::new(stdout).lines() {
            let Ok(line) = line else { break };
            if let Some(port) = line
                .split_once("started successfully on port ")
                .and_then(|(_, rest)| rest.trim_end_matches('.').trim().parse::<u16>().ok())
                && let Some(tx) = tx.take()
            {
                let _ = tx.send(port);
            }
        }
    });
    rx.recv_timeout(DRIVER_START)
        .map_err(|_| "did not say which port it listens on".to_owned())
}
