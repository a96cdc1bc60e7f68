//! Alternative shapes, nulls, unknown fields and values, timestamps.

use idv_model::{
    CheckType, LivenessType, MediaType, RecommendationValue, SessionState, Source, SourceType,
    Tags, TaskType,
};
use serde_json::{Value, json};

fn round_trip(value: &Value) -> idv_model::Session {
    let bytes = serde_json::to_vec(value).unwrap();
    let session = idv_model::parse_session(&bytes).unwrap();
    assert_eq!(&serde_json::to_value(&session).unwrap(), value);
    session
}

#[test]
fn source_string_and_object_keep_their_shape() {
    let doc = json!({"resources": {"share_codes": [
        {"id": "a", "source": "END_USER"},
        {"id": "b", "source": {"type": "IBV", "allowed_providers": ["UK_POST_OFFICE"]}},
        {"id": "c", "source": "SOMETHING_NEW"}
    ]}});
    let s = round_trip(&doc);
    let codes = &s.resources.as_ref().unwrap().share_codes;
    assert_eq!(codes[0].source, Some(Source::Type(SourceType::EndUser)));
    match &codes[1].source {
        Some(Source::Object(o)) => {
            assert_eq!(o.source_type, Some(SourceType::Ibv));
            assert_eq!(o.allowed_providers, ["UK_POST_OFFICE"]);
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(
        codes[1].source.as_ref().unwrap().source_type(),
        Some(&SourceType::Ibv)
    );
    assert_eq!(
        codes[2].source.as_ref().unwrap().source_type(),
        Some(&SourceType::Other("SOMETHING_NEW".into()))
    );
    let err = idv_model::parse_session(br#"{"resources": {"share_codes": [{"source": 5}]}}"#)
        .unwrap_err();
    assert_eq!(err.path(), "resources.share_codes[0].source");
}

#[test]
fn tags_as_map_or_json_string() {
    let config = |tags: Value| json!({"checks": [{"report": {"watchlist_summary": {"search_config": {"tags": tags}}}}]});
    let tags_of = |s: &idv_model::Session| {
        s.checks[0]
            .report
            .as_ref()
            .unwrap()
            .watchlist_summary
            .as_ref()
            .unwrap()
            .search_config
            .as_ref()
            .unwrap()
            .tags
            .clone()
            .unwrap()
    };
    let as_map = round_trip(&config(json!({"team": "kyc"})));
    let as_text = round_trip(&config(json!("{\"team\":\"kyc\"}")));
    assert!(matches!(tags_of(&as_map), Tags::Map(_)));
    assert!(matches!(tags_of(&as_text), Tags::Encoded(_)));
    assert_eq!(tags_of(&as_map).to_map(), tags_of(&as_text).to_map());
    assert_eq!(tags_of(&as_text).get_str("team").as_deref(), Some("kyc"));
    // A string that is not JSON is kept (and written back) but decodes to nothing.
    let junk = round_trip(&config(json!("not json")));
    assert_eq!(tags_of(&junk).to_map(), None);
}

#[test]
fn frames_empty_null_media_and_absent() {
    let doc = json!({"resources": {"id_documents": [{"pages": [
        {"media": {"id": "p1"}, "frames": [{}, {"media": null}, {"media": {"id": "f3"}}]},
        {"media": {"id": "p2"}}
    ]}]}});
    let s = round_trip(&doc);
    let pages = &s.resources.as_ref().unwrap().id_documents[0].pages;
    assert_eq!(pages[0].frames.len(), 3);
    assert!(pages[0].frames[0].media.is_none());
    assert!(pages[0].frames[1].media.is_none());
    assert!(pages[1].frames.is_empty());
    // Only the media with ids are referenced.
    let ids: Vec<_> = s.media_refs().iter().map(|r| r.media_id).collect();
    assert_eq!(ids, ["p1", "f3", "p2"]);
}

#[test]
fn exact_match_is_a_boolean_and_fuzziness_keeps_its_number() {
    let doc = json!({"checks": [{"report": {"watchlist_summary": {"search_config": {
        "matching_strategy": {"type": "EXACT", "exact_match": true, "fuzziness": 1}
    }}}}]});
    let s = round_trip(&doc);
    let ms = s.checks[0]
        .report
        .as_ref()
        .unwrap()
        .watchlist_summary
        .as_ref()
        .unwrap();
    let ms = ms
        .search_config
        .as_ref()
        .unwrap()
        .matching_strategy
        .as_ref()
        .unwrap();
    assert_eq!(ms.exact_match, Some(true));
    assert_eq!(ms.fuzziness.as_ref().unwrap().as_u64(), Some(1));
    let float = json!({"checks": [{"report": {"watchlist_summary": {"search_config": {
        "matching_strategy": {"type": "FUZZY", "fuzziness": 0.35}}}}}]});
    round_trip(&float);
    // The Go SDK's mistake (a string) is a type error naming the path.
    let err = idv_model::parse_session(
        br#"{"checks": [{"report": {"watchlist_summary": {"search_config": {"matching_strategy": {"exact_match": "true"}}}}}]}"#,
    )
    .unwrap_err();
    assert_eq!(
        err.to_string(),
        "checks[0].report.watchlist_summary.search_config.matching_strategy.exact_match: \
         invalid type: string, expected a boolean"
    );
}

#[test]
fn nulls_round_trip_and_read_as_none() {
    let doc = json!({
        "session_id": "s", "state": null, "checks": null, "client_session_token": null,
        "resources": {"id_documents": [{"id": "d", "tasks": null, "pages": [{"frames": null}],
                                        "document_fields": {"media": null}}],
                      "share_codes": null}
    });
    let s = round_trip(&doc);
    assert_eq!(s.state, None);
    assert!(s.checks.is_empty());
    assert!(s.client_session_token.is_none());
    let d = &s.resources.as_ref().unwrap().id_documents[0];
    assert!(d.tasks.is_empty());
    assert!(d.document_fields.as_ref().unwrap().media.is_none());
    assert!(d.extra.has_shape_record());
    // Setting a value overrides the recorded null; forgetting the record drops the nulls.
    let mut s2 = s.clone();
    s2.state = Some(SessionState::Completed);
    assert_eq!(serde_json::to_value(&s2).unwrap()["state"], "COMPLETED");
    s2.extra.forget_shape();
    let v = serde_json::to_value(&s2).unwrap();
    assert_eq!(v["checks"], json!([]));
    assert!(v.get("client_session_token").is_none());
}

#[test]
fn absent_lists_stay_absent_and_empty_lists_stay_empty() {
    round_trip(&json!({"checks": [], "resources": {}}));
    round_trip(&json!({"resources": {"id_documents": []}}));
    round_trip(&json!({}));
    // A default-constructed model writes its lists as [].
    let v = serde_json::to_value(idv_model::Resources::default()).unwrap();
    assert_eq!(v["id_documents"], json!([]));
    assert_eq!(v.as_object().unwrap().len(), 6);
}

#[test]
fn unknown_fields_at_several_depths_survive() {
    let doc = json!({
        "top": 1,
        "resources": {
            "new_resource_kind": [{"id": "x"}],
            "id_documents": [{"id": "d", "doc_extra": {"a": [1, {"b": null}]},
                "pages": [{"page_extra": true, "frames": [{"frame_extra": "f",
                    "media": {"id": "m", "media_extra": 2.5}}]}],
                "tasks": [{"task_extra": [], "generated_media": [{"id": "g", "gm_extra": 1}]}]}]
        },
        "checks": [{"check_extra": "c", "report": {"report_extra": {},
            "recommendation": {"value": "APPROVE", "rec_extra": 0},
            "breakdown": [{"bd_extra": 1, "details": [{"name": "n", "value": "v", "d_extra": 2}]}]}}]
    });
    let s = round_trip(&doc);
    assert_eq!(s.extra.get("top"), Some(&json!(1)));
    let r = s.resources.as_ref().unwrap();
    assert_eq!(r.extra.get("new_resource_kind").unwrap()[0]["id"], "x");
    let d = &r.id_documents[0];
    assert_eq!(d.extra.get("doc_extra").unwrap()["a"][1]["b"], Value::Null);
    assert_eq!(d.pages[0].extra.get("page_extra"), Some(&json!(true)));
    assert_eq!(
        d.pages[0].frames[0].extra.get("frame_extra"),
        Some(&json!("f"))
    );
    assert_eq!(d.pages[0].frames[0].media.as_ref().unwrap().extra.len(), 1);
    let report = s.checks[0].report.as_ref().unwrap();
    assert_eq!(
        report.breakdown[0].details[0].extra.get("d_extra"),
        Some(&json!(2))
    );
    // An extra whose key collides with a known field is not written twice.
    let mut s2 = s.clone();
    s2.extra.insert("session_id", json!("shadow"));
    s2.session_id = Some("real".into());
    assert_eq!(serde_json::to_value(&s2).unwrap()["session_id"], "real");
}

#[test]
fn unknown_enum_values_keep_their_text() {
    let doc = json!({
        "state": "PAUSED",
        "resources": {
            "liveness_capture": [{"liveness_type": "DEPTH", "frames": []}],
            "id_documents": [{"tasks": [{"type": "NEW_TASK", "state": "QUEUED"}],
                              "pages": [{"capture_method": "SCANNER",
                                         "media": {"id": "m", "type": "VIDEO"}}]}]
        },
        "checks": [{"type": "NEW_CHECK", "state": "REVIEW",
                    "report": {"recommendation": {"value": "ESCALATE"},
                               "breakdown": [{"result": "MAYBE"}]}}]
    });
    let s = round_trip(&doc);
    assert_eq!(s.state, Some(SessionState::Other("PAUSED".into())));
    assert!(!s.is_finished());
    let r = s.resources.as_ref().unwrap();
    assert_eq!(
        r.liveness_capture[0].liveness_type,
        Some(LivenessType::Other("DEPTH".into()))
    );
    assert_eq!(
        r.id_documents[0].tasks[0].task_type,
        Some(TaskType::Other("NEW_TASK".into()))
    );
    assert_eq!(
        s.checks[0].check_type.as_ref().unwrap().as_str(),
        "NEW_CHECK"
    );
    assert!(s.checks[0].check_type.as_ref().unwrap().is_other());
    let summary = s.recommendation_summary();
    assert_eq!(summary.other.get("ESCALATE"), Some(&1));
    assert_eq!(
        summary.count(&RecommendationValue::Other("ESCALATE".into())),
        1
    );
    assert!(!summary.all_done);
    assert_eq!(
        s.media_refs()[0].media_type,
        Some(&MediaType::Other("VIDEO".into()))
    );
}

#[test]
fn open_enums_convert_both_ways() {
    for ty in CheckType::KNOWN {
        assert_eq!(&CheckType::from(ty.as_str()), ty);
        assert_eq!(ty.to_string(), ty.as_str());
        assert!(!ty.is_other());
    }
    assert_eq!(CheckType::KNOWN.len(), 15);
    assert_eq!(
        "LIVENESS".parse::<CheckType>().unwrap(),
        CheckType::Liveness
    );
    assert_eq!(
        CheckType::from(String::from("X")),
        CheckType::Other("X".into())
    );
    assert_eq!(MediaType::KNOWN.len(), 4);
    assert_eq!(RecommendationValue::NotAvailable.as_str(), "NOT_AVAILABLE");
}

#[test]
fn timestamps_keep_text_and_parse_on_demand() {
    let doc = json!({"biometric_consent": "2024-05-01T12:00:00+02:00",
        "checks": [{"created": "2019-03-24T03:55:08.473Z", "last_updated": "last tuesday"}]});
    let s = round_trip(&doc);
    let consent = s.biometric_consent.as_ref().unwrap();
    assert_eq!(consent.as_str(), "2024-05-01T12:00:00+02:00");
    assert_eq!(consent.unix_seconds(), Some(1_714_557_600));
    assert_eq!(consent.utc().unwrap().hour, 10);
    let created = s.checks[0].created.as_ref().unwrap();
    assert_eq!(created.unix_millis(), Some(1_553_399_708_473));
    assert_eq!(
        created.to_system_time().unwrap(),
        std::time::UNIX_EPOCH + std::time::Duration::from_millis(1_553_399_708_473)
    );
    let bad = s.checks[0].last_updated.as_ref().unwrap();
    assert_eq!(bad.as_str(), "last tuesday");
    assert!(!bad.is_valid());
    assert_eq!(bad.to_system_time(), None);
}
