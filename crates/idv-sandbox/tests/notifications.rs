//! The notifications the sandbox sends, received by a real server on loopback: every
//! subscribed topic in order once the receiver recovers, with the configured `Authorization`
//! header (checked with idv-model's verifier); unsubscribed topics not sent; a receiver that
//! never accepts given up after the deadline; delays on the sandbox's clock; TLS; refusals at
//! creation; and the lines `idv sandbox serve` prints.

mod common;

use std::sync::Arc;
use std::time::Duration;

use common::receiver::{Received, Receiver};
use common::*;
use http::StatusCode;
use idv_model::Secret;
use idv_model::notification::{Notification, NotificationTopic, NotificationVerifier};
use idv_sandbox::{
    DeliveryOutcome, IdDocumentUpload, LivenessUpload, NotificationLogEntry, Sandbox,
    SandboxBuilder, SandboxHandle,
};
use serde_json::{Value, json};

const BASIC_TOKEN: &str = "username:password";

/// A sandbox that retries quickly (tests wait milliseconds, not seconds).
fn builder() -> SandboxBuilder {
    Sandbox::builder()
        .test_app()
        .notification_backoff(Duration::from_millis(5), Duration::from_millis(20))
        .notification_deadline(Duration::from_secs(30))
}

fn spec(endpoint: &str, auth: Value, topics: &[&str]) -> Value {
    let mut notifications = json!({"endpoint": endpoint, "topics": topics});
    if let Value::Object(auth) = auth {
        notifications.as_object_mut().expect("object").extend(auth);
    }
    json!({
        "requested_checks": [
            {"type": "ID_DOCUMENT_AUTHENTICITY", "config": {}},
            {"type": "LIVENESS", "config": {"liveness_type": "ZOOM"}}
        ],
        "requested_tasks": [
            {"type": "ID_DOCUMENT_TEXT_DATA_EXTRACTION", "config": {"manual_check": "NEVER"}}
        ],
        "notifications": notifications
    })
}

fn basic() -> Value {
    json!({"auth_type": "BASIC", "auth_token": BASIC_TOKEN})
}

const ALL_TOPICS: [&str; 5] = [
    "RESOURCE_UPDATE",
    "TASK_COMPLETION",
    "CHECK_COMPLETION",
    "SESSION_COMPLETION",
    "CLIENT_SESSION_TOKEN_DELETED",
];

/// Verifies each request as a receiver does (header and body) and returns the notifications.
fn verified(verifier: &NotificationVerifier, received: &[Received]) -> Vec<Notification> {
    received
        .iter()
        .map(|r| {
            assert_eq!(r.content_type.as_deref(), Some("application/json"));
            verifier
                .receive(r.authorization.as_deref(), &r.body)
                .unwrap_or_else(|e| panic!("{e}: {r:?}"))
        })
        .collect()
}

/// Adds a passport and a liveness capture, then finishes: the session completes.
async fn complete(sandbox: &SandboxHandle, session: &Created) -> (String, String) {
    let user = session.user(sandbox);
    let passport = user
        .add_id_document(&IdDocumentUpload::new("PASSPORT", "GBR"))
        .await
        .expect("passport");
    let liveness = user
        .add_liveness(&LivenessUpload::required_type())
        .await
        .expect("liveness");
    user.finish().await.expect("finish");
    (passport.resource_id, liveness.resource_id)
}

#[tokio::test]
async fn every_subscribed_topic_arrives_in_order_once_the_receiver_recovers() {
    let receiver = Receiver::start(2, StatusCode::SERVICE_UNAVAILABLE).await;
    let sandbox = builder().start().await.expect("start");
    let endpoint = receiver.url("/yoti/notifications?key=query-secret");
    let session = created(&sandbox, &spec(&endpoint, basic(), &ALL_TOPICS)).await;
    let (passport, liveness) = complete(&sandbox, &session).await;

    let received = receiver.wait_accepted(8).await;
    let verifier = NotificationVerifier::basic(&Secret::new(BASIC_TOKEN)).expect("verifier");
    let notifications = verified(&verifier, &received);
    assert!(
        received
            .iter()
            .all(|r| r.path == "/yoti/notifications?key=query-secret")
    );
    assert!(
        notifications
            .iter()
            .all(|n| n.session_id == session.session_id)
    );

    // The session as the API shows it: the ids the notifications name.
    let (_, raw) = model_session(&sandbox, &session.session_id).await;
    let task_id = raw["resources"]["id_documents"][0]["tasks"][0]["id"]
        .as_str()
        .expect("task id")
        .to_owned();
    let check_ids: Vec<String> = raw["checks"]
        .as_array()
        .expect("checks")
        .iter()
        .map(|c| c["id"].as_str().expect("check id").to_owned())
        .collect();
    assert_eq!(check_ids.len(), 3, "authenticity, liveness, text data");

    let mut expected = vec![
        Notification::new(&session.session_id, NotificationTopic::ResourceUpdate)
            .with_resource_id(&passport),
        Notification::new(&session.session_id, NotificationTopic::ResourceUpdate)
            .with_resource_id(&liveness),
        Notification::new(
            &session.session_id,
            NotificationTopic::ClientSessionTokenDeleted,
        ),
        Notification::new(&session.session_id, NotificationTopic::TaskCompletion)
            .with_task_id(&task_id),
    ];
    expected.extend(check_ids.iter().map(|id| {
        Notification::new(&session.session_id, NotificationTopic::CheckCompletion).with_check_id(id)
    }));
    expected.push(Notification::new(
        &session.session_id,
        NotificationTopic::SessionCompletion,
    ));
    assert_eq!(notifications, expected);

    // Two refusals, then each notification once.
    let answered: Vec<u16> = receiver.requests().iter().map(|r| r.answered).collect();
    assert_eq!(answered, [503, 503, 200, 200, 200, 200, 200, 200, 200, 200]);

    // The log: the first notification's three attempts, then one per notification.
    let log = wait_log(&sandbox, |log| log.len() >= 10).await;
    assert_eq!(log.len(), 10, "{log:#?}");
    let first: Vec<(u32, Option<u16>, bool)> = log[..3]
        .iter()
        .map(|e| {
            (
                e.attempt,
                e.status,
                matches!(e.outcome, DeliveryOutcome::Retrying { .. }),
            )
        })
        .collect();
    assert_eq!(
        first,
        [
            (1, Some(503), true),
            (2, Some(503), true),
            (3, Some(200), false)
        ]
    );
    assert!(
        log[2..]
            .iter()
            .all(|e| e.outcome == DeliveryOutcome::Delivered)
    );
    assert!(log[3..].iter().all(|e| e.attempt == 1));
    let topics: Vec<&NotificationTopic> = log[2..].iter().map(|e| &e.topic).collect();
    let expected_topics: Vec<&NotificationTopic> = expected.iter().map(|n| &n.topic).collect();
    assert_eq!(topics, expected_topics);
    assert_eq!(
        log[0].endpoint,
        format!("http://{}/yoti/notifications", receiver.addr)
    );
    let shown = format!(
        "{log:?} {}",
        log.iter().map(ToString::to_string).collect::<String>()
    );
    for secret in ["password", "dXNlcm5hbWU6cGFzc3dvcmQ", "query-secret"] {
        assert!(!shown.contains(secret), "the log shows {secret}");
    }
    sandbox.shutdown().await;
}

#[tokio::test]
async fn unsubscribed_topics_are_not_sent() {
    let receiver = Receiver::start(0, StatusCode::OK).await;
    let sandbox = builder().start().await.expect("start");
    let auth = json!({"auth_type": "BEARER", "auth_token": "s3cret-bearer"});
    let spec = spec(&receiver.url("/hook"), auth, &["SESSION_COMPLETION"]);
    let session = created(&sandbox, &spec).await;
    complete(&sandbox, &session).await;

    // Notifications of a session go out in order and session_completion is its last: had
    // any other topic been sent, it would have arrived first.
    let received = receiver.wait_accepted(1).await;
    let verifier = NotificationVerifier::bearer(&Secret::new("s3cret-bearer")).expect("verifier");
    let notifications = verified(&verifier, &received);
    assert_eq!(
        notifications,
        [Notification::new(
            &session.session_id,
            NotificationTopic::SessionCompletion
        )]
    );
    assert_eq!(
        received[0].authorization.as_deref(),
        Some(&b"Bearer s3cret-bearer"[..])
    );
    assert_eq!(receiver.requests().len(), 1);
    assert_eq!(wait_log(&sandbox, |log| !log.is_empty()).await.len(), 1);

    // A session without notifications sends none (and logs none).
    let quiet = created(&sandbox, &json!({"requested_checks": []})).await;
    quiet.user(&sandbox).finish().await.expect("finish");
    let other = created(&sandbox, &spec).await;
    other
        .user(&sandbox)
        .add_id_document(&IdDocumentUpload::new("PASSPORT", "GBR"))
        .await
        .expect("passport");
    other
        .user(&sandbox)
        .add_liveness(&LivenessUpload::required_type())
        .await
        .expect("liveness");
    other.user(&sandbox).finish().await.expect("finish");
    let received = receiver.wait_accepted(2).await;
    assert_eq!(
        verified(&verifier, &received)[1].session_id,
        other.session_id
    );
    assert_eq!(wait_log(&sandbox, |log| log.len() >= 2).await.len(), 2);
    sandbox.shutdown().await;
}

/// Waits until the notification log satisfies `done` (an attempt is logged just after the
/// receiver answers it).
async fn wait_log(
    sandbox: &SandboxHandle,
    done: impl Fn(&[NotificationLogEntry]) -> bool,
) -> Vec<NotificationLogEntry> {
    let mut events = sandbox.notification_events();
    let wait = async {
        loop {
            let log = sandbox.notification_log();
            if done(&log) {
                return log;
            }
            events.next().await;
        }
    };
    tokio::time::timeout(Duration::from_secs(30), wait)
        .await
        .unwrap_or_else(|_| panic!("{:#?}", sandbox.notification_log()))
}

/// Waits for `count` log entries that gave up.
async fn wait_gave_up(sandbox: &SandboxHandle, count: usize) -> Vec<NotificationLogEntry> {
    wait_log(sandbox, |log| {
        log.iter()
            .filter(|e| e.outcome == DeliveryOutcome::GaveUp)
            .count()
            >= count
    })
    .await
}

#[tokio::test]
async fn a_receiver_that_never_accepts_is_given_up_at_the_deadline() {
    let receiver = Receiver::refusing(StatusCode::INTERNAL_SERVER_ERROR).await;
    let sandbox = builder()
        .notification_deadline(Duration::from_millis(100))
        .start()
        .await
        .expect("start");
    let spec = spec(&receiver.url("/hook"), basic(), &["RESOURCE_UPDATE"]);
    let session = created(&sandbox, &spec).await;
    let user = session.user(&sandbox);
    let first = user
        .add_id_document(&IdDocumentUpload::new("PASSPORT", "GBR"))
        .await
        .expect("passport");
    let second = user
        .add_liveness(&LivenessUpload::required_type())
        .await
        .expect("liveness");

    let log = wait_gave_up(&sandbox, 2).await;
    let about = |resource: &str| -> Vec<NotificationLogEntry> {
        // The log does not name the resource: the receiver's bodies do, in the same order.
        let bodies = receiver.requests();
        log.iter()
            .zip(&bodies)
            .filter(|(_, r)| String::from_utf8_lossy(&r.body).contains(resource))
            .map(|(e, _)| e.clone())
            .collect()
    };
    let first_attempts = about(&first.resource_id);
    let second_attempts = about(&second.resource_id);
    assert_eq!(first_attempts.len() + second_attempts.len(), log.len());
    assert_eq!(
        receiver.requests().len(),
        log.len(),
        "one request per logged attempt"
    );

    // The first is retried with backoff until the deadline, then given up; only then does
    // the second (due as long, so past its deadline too) get its one attempt.
    assert!(first_attempts.len() >= 2, "{first_attempts:#?}");
    for (i, entry) in first_attempts.iter().enumerate() {
        assert_eq!(entry.attempt as usize, i + 1);
        assert_eq!(entry.status, Some(500));
        let last = i + 1 == first_attempts.len();
        assert_eq!(entry.outcome == DeliveryOutcome::GaveUp, last, "{entry}");
    }
    assert!(
        first_attempts
            .last()
            .expect("last")
            .to_string()
            .ends_with("gave up (retry deadline reached)")
    );
    assert_eq!(log[..first_attempts.len()], first_attempts[..]);
    assert_eq!(
        second_attempts.last().map(|e| e.outcome),
        Some(DeliveryOutcome::GaveUp)
    );
    sandbox.shutdown().await;
}

#[tokio::test]
async fn delayed_results_are_notified_when_the_sandbox_clock_reaches_them() {
    const T0: u64 = 1_700_000_000_000;
    let clock = ManualClock::at(T0);
    let receiver = Receiver::start(0, StatusCode::OK).await;
    let sandbox = builder()
        .clock(Arc::clone(&clock) as Arc<dyn idv_sign::Clock>)
        .start()
        .await
        .expect("start");
    let topics = [
        "TASK_COMPLETION",
        "CHECK_COMPLETION",
        "SESSION_COMPLETION",
        "CLIENT_SESSION_TOKEN_DELETED",
        "INSTRUCTIONS_EMAIL_REQUESTED",
    ];
    let session = created(&sandbox, &spec(&receiver.url("/hook"), basic(), &topics)).await;
    let id = &session.session_id;
    let config = json!({
        "check_reports": {
            "LIVENESS": [{"result": {"report": {"recommendation": {"value": "APPROVE"}}},
                          "response_delay": 10}],
            "async_report_delay": 30
        },
        "task_results": {"ID_DOCUMENT_TEXT_DATA_EXTRACTION": [
            {"result": {"document_fields": {"full_name": "Jane Doe"}}, "response_delay": 5}
        ]}
    });
    let body = serde_json::to_vec(&config).expect("json");
    let reply = call_with_body(
        &sandbox,
        "PUT",
        &format!("/sessions/{id}/response-config"),
        &body,
    )
    .await;
    assert_eq!(reply.status, 204);
    let instructions = json!({
        "documents": [{"requirement_id": "r", "document": {"type": "ID_DOCUMENT"}}],
        "branch": {"type": "UK_POST_OFFICE", "name": "Ludgate Circus"},
        "contact_profile": {"first_name": "Zoë", "last_name": "Specimen", "email": "zoe@example.com"}
    });
    let body = serde_json::to_vec(&instructions).expect("json");
    let reply = call_with_body(
        &sandbox,
        "PUT",
        &format!("/sessions/{id}/instructions"),
        &body,
    )
    .await;
    assert_eq!(reply.status, 204);
    complete(&sandbox, &session).await;

    let topics_of = |received: &[Received]| -> Vec<NotificationTopic> {
        let verifier = NotificationVerifier::basic(&Secret::new(BASIC_TOKEN)).expect("verifier");
        verified(&verifier, received)
            .into_iter()
            .map(|n| n.topic)
            .collect()
    };
    // At the moment the user finished, only the token's deletion is due.
    let received = receiver.wait_accepted(1).await;
    assert_eq!(
        topics_of(&received),
        [NotificationTopic::ClientSessionTokenDeleted]
    );
    // Requested now, the email is notified before the task and checks due later.
    let reply = call(
        &sandbox,
        "POST",
        &format!("/sessions/{id}/instructions/email"),
    )
    .await;
    assert_eq!(reply.status, 204);
    let received = receiver.wait_accepted(2).await;
    assert_eq!(
        topics_of(&received)[1],
        NotificationTopic::InstructionsEmailRequested
    );

    clock.set(T0 + 5_000);
    let received = receiver.wait_accepted(3).await;
    assert_eq!(topics_of(&received)[2], NotificationTopic::TaskCompletion);

    clock.set(T0 + 40_000);
    let received = receiver.wait_accepted(7).await;
    assert_eq!(
        topics_of(&received)[3..],
        [
            NotificationTopic::CheckCompletion,
            NotificationTopic::CheckCompletion,
            NotificationTopic::CheckCompletion,
            NotificationTopic::SessionCompletion,
        ]
    );
    let (model, _) = model_session(&sandbox, id).await;
    assert!(model.is_finished());
    sandbox.shutdown().await;
}

#[tokio::test]
async fn https_endpoints_are_trusted_through_the_given_ca() {
    let receiver = Receiver::start_tls().await;
    let ca = receiver.ca_pem.clone().expect("CA");
    let untrusting = builder().start().await.expect("start");
    let trusting = builder()
        .notification_ca_pem(ca)
        .start()
        .await
        .expect("start");
    let spec = spec(
        &receiver.url("/hook"),
        basic(),
        &["CLIENT_SESSION_TOKEN_DELETED"],
    );

    let session = created(&trusting, &spec).await;
    complete(&trusting, &session).await;
    let received = receiver.wait_accepted(1).await;
    let verifier = NotificationVerifier::basic(&Secret::new(BASIC_TOKEN)).expect("verifier");
    assert_eq!(
        verified(&verifier, &received)[0].topic,
        NotificationTopic::ClientSessionTokenDeleted
    );

    // Without the CA the receiver's certificate is not trusted: no request reaches it.
    let untrusting = {
        let sandbox = untrusting;
        let session = created(&sandbox, &spec).await;
        session
            .user(&sandbox)
            .add_id_document(&IdDocumentUpload::new("PASSPORT", "GBR"))
            .await
            .expect("passport");
        session
            .user(&sandbox)
            .add_liveness(&LivenessUpload::required_type())
            .await
            .expect("liveness");
        session.user(&sandbox).finish().await.expect("finish");
        let mut events = sandbox.notification_events();
        let entry = match sandbox.notification_log().first().cloned() {
            Some(entry) => entry,
            None => tokio::time::timeout(Duration::from_secs(30), events.next())
                .await
                .expect("an attempt")
                .expect("entry"),
        };
        assert!(entry.status.is_none());
        assert!(
            entry.error.as_deref().is_some_and(|e| e.starts_with("TLS")),
            "{entry}"
        );
        sandbox
    };
    assert_eq!(receiver.requests().len(), 1);
    untrusting.shutdown().await;
    trusting.shutdown().await;
}

#[tokio::test]
async fn endpoints_the_sandbox_does_not_send_to_are_refused_at_creation() {
    let sandbox = builder().start().await.expect("start");
    for (endpoint, auth_type, property) in [
        ("http://192.0.2.10/hook", "BASIC", "notifications.endpoint"),
        ("http://example.com/hook", "BASIC", "notifications.endpoint"),
        ("ftp://127.0.0.1/hook", "BASIC", "notifications.endpoint"),
        (
            "https://user:pw@example.com/hook",
            "BASIC",
            "notifications.endpoint",
        ),
        (
            "https://example.com/hook",
            "DIGEST",
            "notifications.auth_type",
        ),
    ] {
        let auth = json!({"auth_type": auth_type, "auth_token": "t"});
        let reply = create_session(&sandbox, &spec(endpoint, auth, &["SESSION_COMPLETION"])).await;
        assert_eq!(reply.status, 400, "{endpoint}");
        let body = reply.json();
        assert_eq!(body["code"], "PAYLOAD_VALIDATION");
        let properties: Vec<&str> = body["errors"]
            .as_array()
            .expect("errors")
            .iter()
            .filter_map(|e| e["property"].as_str())
            .collect();
        assert!(properties.contains(&property), "{endpoint}: {body}");
    }
    for endpoint in [
        "https://example.com/hook",
        "http://localhost:9/hook",
        "http://[::1]:9/",
    ] {
        let reply =
            create_session(&sandbox, &spec(endpoint, basic(), &["SESSION_COMPLETION"])).await;
        assert_eq!(reply.status, 201, "{endpoint}");
    }
    assert_eq!(sandbox.created_sessions(), 3);
    sandbox.shutdown().await;
}

/// A writer other tasks can read while it is written to.
#[derive(Clone, Default)]
struct SharedWriter(Arc<std::sync::Mutex<Vec<u8>>>);

impl std::io::Write for SharedWriter {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl SharedWriter {
    fn text(&self) -> String {
        String::from_utf8(self.0.lock().unwrap().clone()).expect("utf8")
    }
}

#[tokio::test]
async fn serve_prints_one_line_per_delivery_attempt() {
    use clap::Parser as _;

    let receiver = Receiver::start(1, StatusCode::BAD_GATEWAY).await;
    let dir = tempfile::tempdir().expect("dir");
    let key = dir.path().join("app.pub.pem");
    std::fs::write(&key, &keys().public_key_pem).expect("key file");
    let app = format!("{}={}", keys().sdk_id, key.display());
    let args = idv_sandbox::cli::Args::try_parse_from([
        "idv-sandbox",
        "--app",
        &app,
        "--notification-deadline",
        "30s",
    ])
    .expect("args");
    let (out, notes) = (SharedWriter::default(), SharedWriter::default());
    let (stop_tx, stop_rx) = tokio::sync::oneshot::channel::<()>();

    let drive = async {
        let base_url = loop {
            if let Some(line) = out.text().lines().next() {
                break line.to_owned();
            }
            tokio::time::sleep(Duration::from_millis(5)).await;
        };
        let (addr, base_path) = {
            let rest = base_url.strip_prefix("http://").expect("http");
            let (addr, path) = rest.split_at(rest.find('/').expect("path"));
            (
                addr.parse::<std::net::SocketAddr>().expect("addr"),
                path.to_owned(),
            )
        };
        let spec = spec(
            &receiver.url("/hook"),
            basic(),
            &["CLIENT_SESSION_TOKEN_DELETED"],
        );
        let body = serde_json::to_vec(&spec).expect("json");
        let signed = sign(&signer(), "POST", "/sessions", &body).await;
        let target = format!("{base_path}{}", signed.path_and_query());
        let headers: Vec<(&str, &str)> = signed.headers().to_vec();
        let reply = send_to(addr, "POST", &target, &headers, &body)
            .await
            .expect("create");
        assert_eq!(reply.status, 201);
        let created = reply.json();
        let user = idv_sandbox::UserSide::new(
            &base_url,
            created["session_id"].as_str().expect("id"),
            created["client_session_token"].as_str().expect("token"),
        )
        .expect("user side");
        user.add_id_document(&IdDocumentUpload::new("PASSPORT", "GBR"))
            .await
            .expect("passport");
        user.add_liveness(&LivenessUpload::required_type())
            .await
            .expect("liveness");
        user.finish().await.expect("finish");
        receiver.wait_accepted(1).await;
        // The line of the delivery is written as it is logged, just after the answer.
        tokio::time::timeout(Duration::from_secs(30), async {
            while !notes.text().contains(": delivered") {
                tokio::time::sleep(Duration::from_millis(5)).await;
            }
        })
        .await
        .expect("the delivery is printed");
        stop_tx.send(()).expect("stop");
    };
    let (mut out_writer, mut notes_writer) = (out.clone(), notes.clone());
    let serve = idv_sandbox::cli::run_until(&args, &mut out_writer, &mut notes_writer, async {
        let _ = stop_rx.await;
    });
    let (served, ()) = tokio::join!(serve, drive);
    served.expect("served");

    let notes = notes.text();
    let lines: Vec<&str> = notes
        .lines()
        .filter(|l| l.starts_with("notification "))
        .collect();
    assert_eq!(lines.len(), 2, "{notes}");
    assert!(lines[0].contains("client_session_token_deleted"), "{notes}");
    assert!(
        lines[0].ends_with("attempt 1: 502: retrying in 500ms"),
        "{notes}"
    );
    assert!(lines[1].ends_with("attempt 2: 200: delivered"), "{notes}");
    assert!(notes.contains("token endpoint (bearer tokens): http://127.0.0.1:"));
    assert!(!notes.contains("password") && !notes.contains("dXNlcm5hbWU6cGFzc3dvcmQ"));
}
