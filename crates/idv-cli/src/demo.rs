//! `idv demo --product-page`: the product page's staged session against an in-process sandbox.

use std::collections::HashSet;
use std::time::{Duration, Instant};

use idv_cli::report::{Verdict, describe_resource, render_report};
use idv_cli::terminal_safe::terminal_safe;
use idv_client::IdvClient;
use idv_model::Session;
use idv_sandbox::{Sandbox, SandboxHandle, generate_app_keys};
use indicatif::HumanBytes;

use crate::cli::{DemoArgs, GlobalArgs};
use crate::error::{CliError, CliResult};
use crate::pull;
use crate::sandbox::map_error;
use crate::session::{self, Poll};
use crate::term::{self, Style, out, outln, paint};

/// `idv demo`: the whole lifecycle, or with `--product-page` the staged in-branch session.
pub async fn run(global: &GlobalArgs, args: &DemoArgs) -> CliResult<()> {
    if args.product_page {
        run_product_page(global, args).await
    } else {
        crate::demo_lifecycle::run(args).await
    }
}

/// `idv demo --product-page`: the product page's five stages, polled until complete.
async fn run_product_page(_global: &GlobalArgs, args: &DemoArgs) -> CliResult<()> {
    let started = Instant::now();
    let color = term::stdout_color();
    let bold = |t: &str| paint(t, Style::Bold, color);
    let dim = |t: &str| paint(t, Style::Dim, color);

    outln(&format!(
        "{} runs against the {} on this machine, not against Yoti: no credentials, nothing leaves loopback.\n",
        bold("idv demo"),
        bold("local IDV sandbox")
    ));

    // 1. A throwaway application key, as Yoti's portal would issue (the sandbox only ever sees
    //    the public half).
    let keys = generate_app_keys().map_err(map_error)?;
    outln(&format!(
        "1. Generated a throwaway RSA-2048 key for app {} {}",
        paint(&keys.sdk_id, Style::Cyan, color),
        dim(&format!("({} ms)", started.elapsed().as_millis()))
    ));

    // 2. The sandbox, on a free loopback port, with the product page's session stages.
    let handle = Sandbox::product_page_demo()
        .app_pem(keys.sdk_id.clone(), keys.public_key_pem.clone())
        .start()
        .await
        .map_err(map_error)?;
    let result = drive(
        &handle,
        &keys.sdk_id,
        &keys.private_key_pem,
        args,
        started,
        color,
    )
    .await;
    handle.shutdown().await;
    result
}

async fn drive(
    handle: &SandboxHandle,
    sdk_id: &str,
    private_key_pem: &str,
    args: &DemoArgs,
    started: Instant,
    color: bool,
) -> CliResult<()> {
    let bold = |t: &str| paint(t, Style::Bold, color);
    let dim = |t: &str| paint(t, Style::Dim, color);
    let base_url = handle.base_url().to_owned();
    let session_id = handle
        .session_ids()
        .into_iter()
        .next()
        .ok_or_else(|| CliError::Failure("the sandbox started without a session".into()))?;
    outln(&format!(
        "2. Started the sandbox at {} serving the five stages of the in-branch session on Yoti's\n   \"Retrieve Results\" page (created, three documents, completed); it verifies every signature.",
        paint(&base_url, Style::Cyan, color)
    ));

    // 3. The SDK client, exactly as with real credentials.
    let client = IdvClient::builder()
        .sdk_id(sdk_id)
        .key_pem(private_key_pem.as_bytes().to_vec())
        .base_url(&base_url)
        .user_agent_suffix(concat!("idv-cli-demo/", env!("CARGO_PKG_VERSION")))
        .build()
        .map_err(|e| CliError::Failure(format!("cannot build the client: {e}")))?;
    outln(&format!(
        "3. Waiting for session {} to complete (polling; in production use the completion notification):",
        paint(&session_id, Style::Cyan, color)
    ));

    // 4. Wait, showing each change as it happens.
    let wait_started = Instant::now();
    let mut seen_resources: HashSet<String> = HashSet::new();
    let poll = Poll {
        initial: Duration::from_millis(250),
        max: Duration::from_millis(250),
        deadline: Duration::from_secs(60),
    };
    let spinner = session::spinner();
    spinner.set_message("waiting: first request");
    let waited = session::wait(&client, &session_id, poll, |s: &Session| {
        spinner.suspend(|| {
            let line = state_change(s, &mut seen_resources, wait_started.elapsed(), color);
            out(&line);
        });
        spinner.set_message(format!("waiting: {}", session::describe_progress(s)));
    })
    .await;
    spinner.finish_and_clear();
    let (session, _bytes) = waited.map_err(|e| e.into_cli(&session_id, &base_url))?;

    // 5. The report.
    outln(&format!(
        "\n4. The report ({}):\n",
        dim("what `idv session get` prints")
    ));
    out(&indent(&render_report(&session, color), "   "));

    // 6. The media.
    outln(&format!(
        "\n5. Downloading every media item into {}:",
        bold(&args.out.display().to_string())
    ));
    let outcome = pull::pull(&client, &session, &session_id, &args.out, 4, &base_url).await?;
    pull::print_outcome(&outcome, color);
    if let Some(e) = pull::failure(&outcome) {
        return Err(e);
    }

    // 7. The summary.
    let summary = session.recommendation_summary();
    let verdict = Verdict::of(&session);
    let mut recommendations = vec![];
    for (n, what) in [
        (summary.approve, "APPROVE"),
        (summary.reject, "REJECT"),
        (summary.consider, "CONSIDER"),
        (summary.not_available, "NOT_AVAILABLE"),
    ] {
        if n > 0 {
            recommendations.push(format!("{n} {what}"));
        }
    }
    outln(&format!(
        "\n{} {} checks ({}), verdict {}; {} files ({}) in {}, {} skipped; {:.1} s in all.",
        bold("Done:"),
        summary.total_checks,
        if recommendations.is_empty() {
            "none".to_owned()
        } else {
            recommendations.join(", ")
        },
        verdict.label(),
        outcome.files.len(),
        HumanBytes(outcome.bytes),
        outcome.dir.display(),
        outcome.skipped.len(),
        started.elapsed().as_secs_f64()
    ));
    outln(&dim(
        "This was the local sandbox with a throwaway key. With real credentials: \
         idv session get SESSION_ID --sdk-id ID --key-file key.pem (see idv --help).",
    ));
    Ok(())
}

/// One line per change: the state, and what resources or checks appeared.
fn state_change(
    session: &Session,
    seen: &mut HashSet<String>,
    elapsed: Duration,
    color: bool,
) -> String {
    let state = session.state().map_or("(no state)", |s| s.as_str());
    let mut added = Vec::new();
    for resource in session.all_resources() {
        if let Some(id) = resource.id()
            && seen.insert(id.to_owned())
        {
            added.push(terminal_safe(&describe_resource(&resource)).to_string());
        }
    }
    let checks = session.checks.len();
    let mut line = format!(
        "   {} {}",
        paint(
            &format!("[{:>4.1}s]", elapsed.as_secs_f64()),
            Style::Dim,
            color
        ),
        paint(
            state,
            if session.is_finished() {
                Style::Green
            } else {
                Style::Yellow
            },
            color
        )
    );
    if !added.is_empty() {
        line.push_str(&format!("  + {}", added.join(", ")));
    }
    if checks > 0 {
        line.push_str(&format!("  {checks} checks"));
    }
    line.push('\n');
    line
}

/// `text` with every non-empty line prefixed (the demos print reports indented).
pub(crate) fn indent(text: &str, prefix: &str) -> String {
    text.lines()
        .map(|l| {
            if l.is_empty() {
                String::from("\n")
            } else {
                format!("{prefix}{l}\n")
            }
        })
        .collect()
}
