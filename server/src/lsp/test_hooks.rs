//! Faults on demand, for the end-to-end tests of the guards (`tests/tests/robust_work.rs`):
//! they must see a handler panic, or run long, in the real binary. Set by environment
//! variables that nothing else uses; read once. Without them this costs one check of a
//! `OnceLock` per request.
//!
//! * `DOCKERFILE_LSP_TEST_PANIC=what[,what…]`: the feature called `what` (the name given to
//!   `Server::run_blocking`, e.g. `hover`) panics.
//! * `DOCKERFILE_LSP_TEST_SLOW=what`: the feature works for up to a minute, stopping as soon
//!   as its request is cancelled (the way a long feature checks its cancellation flag).

use std::sync::OnceLock;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

struct Hooks {
    panic: Vec<String>,
    slow: Option<String>,
}

fn hooks() -> Option<&'static Hooks> {
    static HOOKS: OnceLock<Option<Hooks>> = OnceLock::new();
    HOOKS
        .get_or_init(|| {
            let panic: Vec<String> = std::env::var("DOCKERFILE_LSP_TEST_PANIC")
                .map(|v| v.split(',').map(str::to_string).collect())
                .unwrap_or_default();
            let slow = std::env::var("DOCKERFILE_LSP_TEST_SLOW").ok();
            (!panic.is_empty() || slow.is_some()).then_some(Hooks { panic, slow })
        })
        .as_ref()
}

/// Called on the blocking thread before the feature `what` runs; `wanted` turns false when
/// the request is cancelled.
pub fn before(what: &str, wanted: &AtomicBool) {
    let Some(hooks) = hooks() else {
        return;
    };
    if hooks.panic.iter().any(|p| p == what) {
        panic!("test hook: {what} panics");
    }
    if hooks.slow.as_deref() == Some(what) {
        let started = Instant::now();
        while wanted.load(Ordering::Relaxed) && started.elapsed() < Duration::from_secs(60) {
            std::thread::sleep(Duration::from_millis(5));
        }
        tracing::info!(
            "test hook: {what} stopped after {:?} (cancelled: {})",
            started.elapsed(),
            !wanted.load(Ordering::Relaxed)
        );
    }
}
