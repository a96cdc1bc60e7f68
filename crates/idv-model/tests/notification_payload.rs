//! The notification payload: every topic round-trips, unknown topics and fields survive, the
//! required fields are required, and parse errors name the JSON path without echoing values.

use idv_model::ParseErrorKind;
use idv_model::notification::{Notification, NotificationTopic, parse_notification};
use idv_model::spec::Topic;
use proptest::prelude::*;
use serde_json::{Value, json};

/// Every topic in its wire form, with the id field it carries (if any).
const WIRE_TOPICS: [(&str, Option<&str>); 9] = [
    ("resource_update", Some("resource_id")),
    ("task_completion", Some("task_id")),
    ("check_completion", Some("check_id")),
    ("session_completion", None),
    ("client_session_token_deleted", None),
    ("new_pdf_supplied", None),
    ("instructions_email_requested", None),
    ("thank_you_email_requested", None),
    ("first_branch_visit", None),
];

fn round_trip(value: &Value) -> Notification {
    let bytes = serde_json::to_vec(value).unwrap();
    let parsed = parse_notification(&bytes).unwrap();
    assert_eq!(&serde_json::to_value(&parsed).unwrap(), value);
    parsed
}

#[test]
fn every_known_topic_round_trips_with_its_id() {
    assert_eq!(NotificationTopic::KNOWN.len(), WIRE_TOPICS.len());
    for (wire, id_field) in WIRE_TOPICS {
        let mut doc = json!({"session_id": "8b9a3c1e-0d5f-4a0b-9f1e-2c7d6e5f4a3b", "topic": wire});
        if let Some(field) = id_field {
            doc[field] = json!("e2a1c0b9-7d6e-4f5a-8b3c-1d0e9f8a7b6c");
        }
        let parsed = round_trip(&doc);
        assert!(!parsed.topic.is_other(), "{wire} should be a known topic");
        assert_eq!(parsed.topic.as_str(), wire);
        assert_eq!(parsed.session_id, "8b9a3c1e-0d5f-4a0b-9f1e-2c7d6e5f4a3b");
        let ids = [
            ("task_id", &parsed.task_id),
            ("resource_id", &parsed.resource_id),
            ("check_id", &parsed.check_id),
        ];
        for (field, value) in ids {
            assert_eq!(value.is_some(), id_field == Some(field), "{wire}: {field}");
        }
        assert!(parsed.extra.is_empty());
    }
}

#[test]
fn known_topics_map_to_their_variants_and_config_names() {
    let expected = [
        (NotificationTopic::ResourceUpdate, "RESOURCE_UPDATE"),
        (NotificationTopic::TaskCompletion, "TASK_COMPLETION"),
        (NotificationTopic::CheckCompletion, "CHECK_COMPLETION"),
        (NotificationTopic::SessionCompletion, "SESSION_COMPLETION"),
        (
            NotificationTopic::ClientSessionTokenDeleted,
            "CLIENT_SESSION_TOKEN_DELETED",
        ),
        (NotificationTopic::NewPdfSupplied, "NEW_PDF_SUPPLIED"),
        (
            NotificationTopic::InstructionsEmailRequested,
            "INSTRUCTIONS_EMAIL_REQUESTED",
        ),
        (
            NotificationTopic::ThankYouEmailRequested,
            "THANK_YOU_EMAIL_REQUESTED",
        ),
        (NotificationTopic::FirstBranchVisit, "FIRST_BRANCH_VISIT"),
    ];
    for ((topic, config), (wire, _)) in expected.iter().zip(WIRE_TOPICS) {
        assert_eq!(NotificationTopic::from(wire), *topic);
        let config_topic = topic.to_config_topic();
        assert_eq!(config_topic.as_str(), *config);
        assert!(!config_topic.is_other(), "{config} is a known config topic");
        assert_eq!(NotificationTopic::from_config_topic(&config_topic), *topic);
    }
    // Every topic one can subscribe to has its notification topic, and back.
    for config_topic in Topic::KNOWN {
        let topic = NotificationTopic::from_config_topic(config_topic);
        assert!(!topic.is_other(), "{config_topic}");
        assert_eq!(&topic.to_config_topic(), config_topic);
    }
    let future = NotificationTopic::from_config_topic(&Topic::from("DOCUMENT_EXPIRED"));
    assert_eq!(future, NotificationTopic::Other("document_expired".into()));
    assert_eq!(
        future.to_config_topic(),
        Topic::Other("DOCUMENT_EXPIRED".into())
    );
    // The upper-case config name is not the wire form: it parses as an unknown topic.
    assert_eq!(
        NotificationTopic::from("SESSION_COMPLETION"),
        NotificationTopic::Other("SESSION_COMPLETION".into())
    );
}

#[test]
fn unknown_topic_and_fields_survive_a_round_trip() {
    let doc = json!({
        "session_id": "s1",
        "topic": "document_expired",
        "document_id": "d1",
        "details": {"nested": [1, 2, {"x": null}]},
    });
    let parsed = round_trip(&doc);
    assert_eq!(
        parsed.topic,
        NotificationTopic::Other("document_expired".into())
    );
    assert_eq!(parsed.extra.get("document_id"), Some(&json!("d1")));
    assert_eq!(parsed.extra.len(), 2);
}

#[test]
fn ids_sent_as_null_are_written_back_as_null() {
    let doc =
        json!({"session_id": "s1", "topic": "check_completion", "check_id": null, "task_id": "t"});
    let parsed = round_trip(&doc);
    assert_eq!(parsed.check_id, None);
    assert_eq!(parsed.task_id.as_deref(), Some("t"));
}

#[test]
fn built_notifications_serialise_to_the_wire_form() {
    let cases = [
        (
            Notification::new("s1", NotificationTopic::ResourceUpdate).with_resource_id("r1"),
            json!({"session_id": "s1", "topic": "resource_update", "resource_id": "r1"}),
        ),
        (
            Notification::new("s2", NotificationTopic::TaskCompletion).with_task_id("t1"),
            json!({"session_id": "s2", "topic": "task_completion", "task_id": "t1"}),
        ),
        (
            Notification::new("s3", NotificationTopic::SessionCompletion),
            json!({"session_id": "s3", "topic": "session_completion"}),
        ),
    ];
    for (notification, wire) in cases {
        assert_eq!(serde_json::to_value(&notification).unwrap(), wire);
        let back = parse_notification(&serde_json::to_vec(&wire).unwrap()).unwrap();
        assert_eq!(back, notification);
    }
}

#[test]
fn session_id_and_topic_are_required() {
    let cases: [(&[u8], &str); 5] = [
        (br#"{"topic": "session_completion"}"#, "session_id"),
        (
            br#"{"session_id": null, "topic": "session_completion"}"#,
            "session_id",
        ),
        (br#"{"session_id": "s1"}"#, "topic"),
        (br#"{"session_id": "s1", "topic": null}"#, "topic"),
        (br#"{}"#, "session_id"),
    ];
    for (doc, field) in cases {
        let err = parse_notification(doc).unwrap_err();
        assert_eq!(err.path(), ".", "{err}");
        assert_eq!(err.kind(), ParseErrorKind::Data, "{err}");
        assert_eq!(
            err.message(),
            format!("missing or null field {field} (a string is required)"),
        );
    }
}

#[test]
fn parse_errors_name_the_path_and_never_echo_values() {
    let secret = "PERSONAL-VALUE-91827";
    let cases: [(String, &str, ParseErrorKind); 5] = [
        (
            format!(r#"{{"session_id": 7, "topic": "{secret}"}}"#),
            "session_id",
            ParseErrorKind::Data,
        ),
        (
            format!(r#"{{"session_id": "{secret}", "topic": 1.5}}"#),
            "topic",
            ParseErrorKind::Data,
        ),
        (
            format!(r#"{{"session_id": "{secret}", "topic": "x", "task_id": ["{secret}"]}}"#),
            "task_id",
            ParseErrorKind::Data,
        ),
        (format!(r#"["{secret}"]"#), ".", ParseErrorKind::Data),
        (
            format!(r#"{{"session_id": "{secret}", "topic": "#),
            "topic",
            ParseErrorKind::Eof,
        ),
    ];
    for (doc, path, kind) in cases {
        let err = parse_notification(doc.as_bytes()).unwrap_err();
        assert_eq!(err.path(), path, "{err}");
        assert_eq!(err.kind(), kind, "{err}");
        assert!(!format!("{err} {err:?}").contains(secret), "{err:?}");
    }
    let err = parse_notification(b"not json").unwrap_err();
    assert_eq!(err.kind(), ParseErrorKind::Syntax);
}

fn id() -> impl Strategy<Value = Option<Value>> {
    prop_oneof![
        Just(None),
        Just(Some(Value::Null)),
        "[a-f0-9-]{0,36}".prop_map(|s| Some(Value::from(s))),
        ".{0,8}".prop_map(|s| Some(Value::from(s))),
    ]
}

fn topic() -> impl Strategy<Value = String> {
    prop_oneof![
        3 => proptest::sample::select(WIRE_TOPICS.map(|(t, _)| t).to_vec()).prop_map(str::to_owned),
        1 => "[a-z_]{1,30}",
        1 => ".{0,12}",
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    /// Any document with the required fields, any ids (present, `null`, absent) and any unknown
    /// fields parses and serialises back to the same JSON value.
    #[test]
    fn any_notification_round_trips(
        session_id in ".{0,40}",
        topic in topic(),
        task_id in id(),
        resource_id in id(),
        check_id in id(),
        extra in proptest::collection::btree_map("[a-z]{1,8}_x", any::<i64>().prop_map(Value::from), 0..4),
    ) {
        let mut doc = json!({"session_id": session_id, "topic": topic});
        for (field, value) in [("task_id", task_id), ("resource_id", resource_id), ("check_id", check_id)] {
            if let Some(value) = value {
                doc[field] = value;
            }
        }
        for (key, value) in extra {
            doc[key] = value;
        }
        let parsed = parse_notification(&serde_json::to_vec(&doc).unwrap()).unwrap();
        prop_assert_eq!(&parsed.session_id, &session_id);
        prop_assert_eq!(parsed.topic.as_str(), topic.as_str());
        prop_assert_eq!(serde_json::to_value(&parsed).unwrap(), doc);
    }

    /// Arbitrary bytes never panic the parser.
    #[test]
    fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..200)) {
        let _ = parse_notification(&bytes);
    }
}
