//! Polling with `wait_for_completion` (paused clock).

mod common;

use std::time::Duration;

use common::*;
use idv_client::{ErrorKind, SessionState, WaitOptions};

#[tokio::test]
async fn wait_for_completion_polls_until_completed() {
    let f = fake(|n, _| {
        Ok(response(
            200,
            Some("application/json"),
            if n < 3 { ONGOING } else { COMPLETED },
        ))
    });
    let options = WaitOptions::new(Duration::from_secs(10))
        .initial_interval(Duration::from_millis(5))
        .max_interval(Duration::from_millis(20));
    let s = f
        .client
        .wait_for_completion(SESSION, options)
        .await
        .unwrap();
    assert_eq!(s.state, Some(SessionState::Completed));
    assert_eq!(f.seen.lock().unwrap().len(), 4);
}

#[tokio::test(start_paused = true)]
async fn wait_for_completion_times_out_with_the_last_state() {
    let f = fake(ok_session);
    let options = WaitOptions::new(Duration::from_millis(200))
        .initial_interval(Duration::from_millis(10))
        .max_interval(Duration::from_millis(40));
    let start = tokio::time::Instant::now();
    let e = f
        .client
        .wait_for_completion(SESSION, options)
        .await
        .unwrap_err();
    assert_eq!(start.elapsed(), Duration::from_millis(200));
    assert_eq!(e.kind(), ErrorKind::Timeout);
    assert_eq!(e.last_state(), Some(&SessionState::Ongoing));
    assert_eq!(
        e.last_session().and_then(|s| s.session_id.as_deref()),
        Some(SESSION)
    );
    assert!(e.to_string().contains("ONGOING"), "{e}");
    // The token in the last session does not leak through Display or Debug.
    assert!(!e.to_string().contains("SECRET-TOKEN"));
    assert!(!format!("{e:?}").contains("SECRET-TOKEN"));
    let polls = f.seen.lock().unwrap().len();
    assert!((3..=20).contains(&polls), "{polls} polls");
}

#[tokio::test]
async fn wait_for_completion_stops_on_a_permanent_error() {
    let f = fake(|_, _| Ok(response(404, None, br#"{"code":"SESSION_NOT_FOUND"}"#)));
    let e = f
        .client
        .wait_for_completion(SESSION, WaitOptions::new(Duration::from_secs(30)))
        .await
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Api);
    assert_eq!(e.code(), Some("SESSION_NOT_FOUND"));
    assert_eq!(f.seen.lock().unwrap().len(), 1);
}
