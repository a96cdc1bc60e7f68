//! The web flow (`{base}/web/index.html`) in headless Chromium, embedded in an iframe by a host
//! page on another site (`localhost`, the sandbox being at `127.0.0.1`, as Yoti's page is on
//! another site than the integrator's): completing it posts `SUCCESS`, the `INIT_SESSION`
//! handshake starts it, each failure posts its `ERROR` code, what comes from a session stays
//! text, and `success_url` / `error_url` redirect the top window.
//!
//! These need `/usr/bin/chromium` and `/usr/bin/chromedriver` (`apt-get install chromium
//! chromium-driver`; `.ci/run` installs them) and fail without them, unless
//! `IDV_SKIP_BROWSER_TESTS=1`.

mod common;
mod support;

use std::sync::Arc;

use common::*;
use idv_sandbox::{Fault, Route, Sandbox, SandboxHandle};
use serde_json::{Value, json};
use support::browser::Browser;
use support::host::{Host, host_page, landing_page};

const T0: u64 = 1_800_000_000_000;

async fn sandbox() -> SandboxHandle {
    Sandbox::builder().test_app().start().await.expect("start")
}

/// The web flow's URL with this query (`?sessionID=…&sessionToken=…`).
fn flow_url(sandbox: &SandboxHandle, query: &str) -> String {
    format!("{}/web/index.html{query}", sandbox.base_url())
}

fn session_query(created: &Created) -> String {
    format!(
        "?sessionID={}&sessionToken={}",
        created.session_id, created.token
    )
}

/// `http://host:port` of a URL.
fn origin(url: &str) -> String {
    let (scheme, rest) = url.split_once("://").expect("scheme");
    let authority = rest.split('/').next().expect("authority");
    format!("{scheme}://{authority}")
}

/// An ID document from two countries and a ZOOM liveness capture, two checks and a task.
fn document_and_liveness_spec() -> Value {
    json!({
        "client_session_token_ttl": 600,
        "requested_checks": [
            {"type": "ID_DOCUMENT_AUTHENTICITY", "config": {}},
            {"type": "LIVENESS", "config": {"liveness_type": "ZOOM"}}
        ],
        "requested_tasks": [
            {"type": "ID_DOCUMENT_TEXT_DATA_EXTRACTION", "config": {"manual_check": "NEVER"}}
        ],
        "required_documents": [{"type": "ID_DOCUMENT", "filter": {
            "type": "ORTHOGONAL_RESTRICTIONS",
            "country_restriction": {"inclusion": "WHITELIST", "country_codes": ["GBR", "IRL"]},
            "type_restriction": {"inclusion": "WHITELIST",
                                 "document_types": ["PASSPORT", "DRIVING_LICENCE"]}}}]
    })
}

/// Loads a host page embedding the flow and switches into its iframe.
async fn open_in_iframe(browser: &Browser, host_url: &str) {
    browser.goto(host_url).await;
    let frame = browser.find("#flow").await;
    browser.enter_frame(&frame).await;
}

/// The messages the flow posted to the host page, once there is one (in the top window).
async fn posted(browser: &Browser) -> Vec<Value> {
    browser.leave_frames().await;
    let events = browser
        .wait_for(
            "a message from the web flow",
            "return window.events.length > 0 ? window.events : null;",
        )
        .await;
    events.as_array().expect("an array").clone()
}

/// Waits until step `n` of the flow shows as done.
async fn wait_step_done(browser: &Browser, n: u32) {
    let script = format!(
        "const done = document.querySelector('[aria-labelledby=\"step-{n}-title\"] .step-done');\
         return done !== null && !done.hidden;"
    );
    browser
        .wait_for(&format!("step {n} to be done"), &script)
        .await;
}

async fn text_of(browser: &Browser, id: &str) -> String {
    browser
        .execute(
            "return document.getElementById(arguments[0]).textContent;",
            &[json!(id)],
        )
        .await
        .as_str()
        .unwrap_or("")
        .to_owned()
}

#[tokio::test]
async fn the_flow_in_an_iframe_completes_and_posts_success() {
    let Some(browser) = Browser::start().await else {
        return;
    };
    let sandbox = sandbox().await;
    let host = Host::start().await;
    let session = created(&sandbox, &document_and_liveness_spec()).await;
    let src = flow_url(&sandbox, &session_query(&session));
    let page = host.page("/verify", host_page(&src, None));
    let dir = tempfile::tempdir().expect("temp dir");
    let image = dir.path().join("licence.png");
    std::fs::write(&image, PNG_BYTES).expect("write the page image");

    open_in_iframe(&browser, &page).await;
    browser.find("#step-1-title").await;
    let needs = text_of(&browser, "needs").await;
    assert!(
        needs.contains("An identity document (2 countries accepted)"),
        "{needs}"
    );
    assert!(needs.contains("A liveness capture (ZOOM)"), "{needs}");
    assert_eq!(
        browser.focused_id().await,
        "step-1-title",
        "focus starts at the first step"
    );

    // A file that is not what its name says: the sandbox refuses it, the page says why (and
    // takes focus there), and the step stays open.
    let bad = dir.path().join("not-an-image.png");
    std::fs::write(&bad, b"plain text").expect("write the bad file");
    let pages = browser.find("#step-1-pages").await;
    browser
        .send_keys(&pages, bad.to_str().expect("UTF-8 path"))
        .await;
    browser.click(&browser.find("#step-1-add").await).await;
    browser
        .wait_for(
            "the refusal",
            "return document.getElementById('alert').hidden ? null : true;",
        )
        .await;
    let problems = text_of(&browser, "alert-list").await;
    assert!(problems.contains("pages[0].content"), "{problems}");
    assert_eq!(browser.focused_id().await, "alert-title");
    browser
        .execute("document.getElementById('step-1-pages').value = '';", &[])
        .await;

    // The document: country, then a type of that country, and an uploaded page image.
    browser
        .click(&browser.find("#step-1-country option[value=\"IRL\"]").await)
        .await;
    browser
        .click(
            &browser
                .find("#step-1-type option[value=\"DRIVING_LICENCE\"]")
                .await,
        )
        .await;
    let pages = browser.find("#step-1-pages").await;
    browser
        .send_keys(&pages, image.to_str().expect("UTF-8 path"))
        .await;
    browser.click(&browser.find("#step-1-add").await).await;
    wait_step_done(&browser, 1).await;
    assert_eq!(
        browser.focused_id().await,
        "step-2-title",
        "focus moves to the next step"
    );

    // The liveness capture, generated; then an outcome for one check, and finish.
    browser.click(&browser.find("#step-2-add").await).await;
    wait_step_done(&browser, 2).await;
    assert!(
        text_of(&browser, "status")
            .await
            .contains("You can finish now.")
    );
    browser
        .click(
            &browser
                .find("select[data-check=\"LIVENESS\"] option[value=\"REJECT\"]")
                .await,
        )
        .await;
    browser.click(&browser.find("#finish").await).await;

    let events = posted(&browser).await;
    assert_eq!(
        events,
        vec![json!({"origin": origin(sandbox.base_url()), "data": {"eventType": "SUCCESS"}})]
    );

    // What the page did, as the relying business sees it.
    let (_, json) = model_session(&sandbox, &session.session_id).await;
    assert_eq!(json["state"], "COMPLETED");
    let document = &json["resources"]["id_documents"][0];
    assert_eq!(document["document_type"], "DRIVING_LICENCE");
    assert_eq!(document["issuing_country"], "IRL");
    let media_id = document["pages"][0]["media"]["id"]
        .as_str()
        .expect("page media");
    let media = call(
        &sandbox,
        "GET",
        &format!("/sessions/{}/media/{media_id}/content", session.session_id),
    )
    .await;
    assert_eq!(
        media.body.as_ref(),
        PNG_BYTES,
        "the uploaded image, byte for byte"
    );
    assert_eq!(media.content_type(), Some("image/png"));
    let recommendation = |check_type: &str| {
        json["checks"]
            .as_array()
            .expect("checks")
            .iter()
            .find(|c| c["type"] == check_type)
            .map(|c| c["report"]["recommendation"]["value"].clone())
    };
    assert_eq!(recommendation("LIVENESS"), Some(json!("REJECT")));
    assert_eq!(
        recommendation("ID_DOCUMENT_AUTHENTICITY"),
        Some(json!("APPROVE"))
    );
    sandbox.shutdown().await;
}

#[tokio::test]
async fn a_bare_page_posts_started_and_starts_on_init_session_by_keyboard() {
    let Some(browser) = Browser::start().await else {
        return;
    };
    let sandbox = sandbox().await;
    let host = Host::start().await;
    let spec = json!({"requested_checks": [
        {"type": "LIVENESS", "config": {"liveness_type": "STATIC"}}
    ]});
    let session = created(&sandbox, &spec).await;
    // Reports 60 s after the user finishes: the user's part is over all the same.
    let delayed = json!({"check_reports": {"async_report_delay": 60}});
    let reply = call_with_body(
        &sandbox,
        "PUT",
        &format!("/sessions/{}/response-config", session.session_id),
        &serde_json::to_vec(&delayed).expect("JSON"),
    )
    .await;
    assert_eq!(reply.status, 204);
    let page = host.page(
        "/verify",
        host_page(
            &flow_url(&sandbox, ""),
            Some((&session.session_id, &session.token)),
        ),
    );

    open_in_iframe(&browser, &page).await;
    browser.find("#step-1-title").await;
    let status = text_of(&browser, "status").await;
    assert!(status.contains("1 step to do"), "{status}");
    // Keyboard only: Enter on the focused controls.
    let add = browser.find("#step-1-add").await;
    browser.send_keys(&add, "\u{E007}").await;
    wait_step_done(&browser, 1).await;
    assert_eq!(browser.focused_id().await, "finish-title");
    browser
        .send_keys(&browser.find("#finish").await, "\u{E007}")
        .await;

    let events = posted(&browser).await;
    let sandbox_origin = origin(sandbox.base_url());
    assert_eq!(
        browser
            .wait_for(
                "SUCCESS after STARTED",
                "return window.events.length >= 2 ? window.events : null;"
            )
            .await,
        json!([
            {"origin": sandbox_origin, "data": {"eventType": "STARTED"}},
            {"origin": sandbox_origin, "data": {"eventType": "SUCCESS"}}
        ]),
        "{events:?}"
    );
    let (_, json) = model_session(&sandbox, &session.session_id).await;
    assert_eq!(json["state"], "ONGOING", "the reports are pending");
    assert_eq!(json["checks"][0]["state"], "PENDING");
    assert!(
        json.get("client_session_token").is_none(),
        "the user finished"
    );
    sandbox.shutdown().await;
}

#[tokio::test]
async fn each_failure_posts_its_error_code() {
    let Some(browser) = Browser::start().await else {
        return;
    };
    let clock = ManualClock::at(T0);
    let sandbox = Sandbox::builder()
        .test_app()
        .clock(Arc::clone(&clock) as Arc<dyn idv_sign::Clock>)
        .start()
        .await
        .expect("start");
    let host = Host::start().await;
    let spec = document_and_liveness_spec();
    let session = created(&sandbox, &spec).await;
    // A token that expires before its session does, and a session whose deadline passes.
    let short_token = created(
        &sandbox,
        &json!({"client_session_token_ttl": 60, "session_deadline": "2027-01-15T09:00:00Z"}),
    )
    .await;
    let expiring = created(&sandbox, &json!({"client_session_token_ttl": 120})).await;

    let id = &session.session_id;
    let cases: Vec<(&str, String, u64)> = vec![
        (
            "a wrong token",
            format!("?sessionID={id}&sessionToken=not-the-token"),
            2000,
        ),
        (
            "an unknown session",
            format!(
                "?sessionID=0b8d7a26-0000-4000-8000-000000000000&sessionToken={}",
                session.token
            ),
            2001,
        ),
        ("no token", format!("?sessionID={id}"), 2003),
        (
            "no session id",
            format!("?sessionToken={}", session.token),
            2004,
        ),
    ];
    for (what, query, code) in &cases {
        let page = host.page("/verify", host_page(&flow_url(&sandbox, query), None));
        open_in_iframe(&browser, &page).await;
        let events = posted(&browser).await;
        assert_eq!(
            events,
            vec![json!({"origin": origin(sandbox.base_url()),
                        "data": {"eventType": "ERROR", "eventCode": code}})],
            "{what}"
        );
    }

    // The sandbox answering 503: the service is unavailable.
    sandbox.add_faults(Route::UserGetSession, [Fault::service_unavailable()]);
    let page = host.page(
        "/verify",
        host_page(&flow_url(&sandbox, &session_query(&session)), None),
    );
    open_in_iframe(&browser, &page).await;
    assert_eq!(posted(&browser).await[0]["data"]["eventCode"], 3000);

    // The user says they lack the documents.
    open_in_iframe(&browser, &page).await;
    browser.click(&browser.find("#no-documents").await).await;
    let events = posted(&browser).await;
    assert_eq!(
        events[0]["data"],
        json!({"eventType": "ERROR", "eventCode": 7000})
    );
    let cross_origin = browser
        .execute(
            "return document.getElementById('flow').contentDocument;",
            &[],
        )
        .await;
    assert_eq!(
        cross_origin,
        Value::Null,
        "the host cannot read the frame: another origin"
    );

    // Time passes: the short token expires (2000), then the other session's deadline (2002).
    clock.advance(61_000);
    let page = host.page(
        "/verify",
        host_page(&flow_url(&sandbox, &session_query(&short_token)), None),
    );
    open_in_iframe(&browser, &page).await;
    assert_eq!(posted(&browser).await[0]["data"]["eventCode"], 2000);
    clock.advance(60_000);
    let page = host.page(
        "/verify",
        host_page(&flow_url(&sandbox, &session_query(&expiring)), None),
    );
    open_in_iframe(&browser, &page).await;
    assert_eq!(posted(&browser).await[0]["data"]["eventCode"], 2002);

    // The page says what happened, too.
    let frame = browser.find("#flow").await;
    browser.enter_frame(&frame).await;
    let text = text_of(&browser, "alert-text").await;
    assert_eq!(text, "The session has expired. (error 2002)");
    sandbox.shutdown().await;
}

#[tokio::test]
async fn what_comes_from_a_session_is_shown_as_text() {
    let Some(browser) = Browser::start().await else {
        return;
    };
    let sandbox = sandbox().await;
    let host = Host::start().await;
    let markup = "<img src=x onerror=\"window.injected=1\">";
    let spec = json!({
        "requested_checks": [{"type": "<b>CHECK</b>", "config": {}}],
        "required_documents": [{"type": "SUPPLEMENTARY_DOCUMENT",
            "objective": {"type": "<i>OBJECTIVE</i>"},
            "document_types": [markup], "country_codes": ["GBR"]}]
    });
    let session = created(&sandbox, &spec).await;
    let page = host.page(
        "/verify",
        host_page(&flow_url(&sandbox, &session_query(&session)), None),
    );
    open_in_iframe(&browser, &page).await;
    browser.find("#step-1-title").await;
    let parsed = browser
        .execute(
            "return document.querySelectorAll('main img, main b, main i').length;",
            &[],
        )
        .await;
    assert_eq!(parsed, json!(0), "no markup from the session was parsed");
    assert_eq!(
        browser
            .execute("return window.injected === undefined;", &[])
            .await,
        json!(true)
    );
    let needs = text_of(&browser, "needs").await;
    assert!(
        needs.contains("<img src=x onerror=\"window.injected=1\">"),
        "{needs}"
    );
    let checks = text_of(&browser, "checks").await;
    assert!(checks.contains("<b>check</b>"), "{checks}");
    let document_type = browser
        .execute("return document.getElementById('step-1-type').value;", &[])
        .await;
    assert_eq!(
        document_type,
        json!(markup),
        "the value sent back is the type as given"
    );
    let objective = text_of(&browser, "steps").await;
    assert!(
        objective.contains("Purpose: <i>objective</i>."),
        "{objective}"
    );
    sandbox.shutdown().await;
}

#[tokio::test]
async fn success_url_and_error_url_redirect_the_top_window() {
    let Some(browser) = Browser::start().await else {
        return;
    };
    let sandbox = sandbox().await;
    let host = Host::start().await;
    let done = host.page("/done", landing_page("Verified"));
    let failed = host.page("/failed", landing_page("Not verified"));
    let spec = json!({
        "requested_checks": [{"type": "LIVENESS", "config": {"liveness_type": "ZOOM"}}],
        "sdk_config": {"success_url": format!("{done}?result=ok"), "error_url": failed}
    });

    // Completed: the top window goes to success_url, and nothing is posted.
    let session = created(&sandbox, &spec).await;
    let page = host.page(
        "/verify",
        host_page(&flow_url(&sandbox, &session_query(&session)), None),
    );
    open_in_iframe(&browser, &page).await;
    browser.click(&browser.find("#step-1-add").await).await;
    wait_step_done(&browser, 1).await;
    browser.click(&browser.find("#finish").await).await;
    browser.leave_frames().await;
    browser
        .wait_for(
            "the success page",
            "return document.title === 'Verified' ? true : null;",
        )
        .await;
    assert_eq!(browser.current_url().await, format!("{done}?result=ok"));

    // The user lacks the documents: the top window goes to error_url.
    let session = created(&sandbox, &spec).await;
    let page = host.page(
        "/verify",
        host_page(&flow_url(&sandbox, &session_query(&session)), None),
    );
    open_in_iframe(&browser, &page).await;
    browser.click(&browser.find("#no-documents").await).await;
    browser.leave_frames().await;
    browser
        .wait_for(
            "the error page",
            "return document.title === 'Not verified' ? true : null;",
        )
        .await;
    assert_eq!(browser.current_url().await, failed);

    // A failure with no click behind it (the sandbox answers 503 while the page loads) also
    // leads to error_url: in the top window where the browser allows a frame to navigate it
    // without a user's gesture (this Chromium does), else in the frame itself.
    let session = created(&sandbox, &spec).await;
    sandbox.add_faults(Route::UserGetConfiguration, [Fault::service_unavailable()]);
    let page = host.page(
        "/verify",
        host_page(&flow_url(&sandbox, &session_query(&session)), None),
    );
    browser.goto(&page).await;
    let landed = browser
        .wait_for(
            "error_url, in the top window or the frame",
            "if (document.title === 'Not verified') return location.href;\
             const frame = document.getElementById('flow');\
             try { return frame.contentDocument.title === 'Not verified'\
               ? frame.contentWindow.location.href : null; } catch (e) { return null; }",
        )
        .await;
    assert_eq!(landed, json!(failed));
    sandbox.shutdown().await;
}
