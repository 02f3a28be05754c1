//! Panics become log lines and error responses; the server keeps serving.
//!
//! Two layers: [`guarded`] wraps each synchronous piece of analysis (the normal path, used by
//! every handler), and [`GuardedService`] wraps the whole tower-lsp service as a last line of
//! defence for a panic in handler glue. Without it, a panic would unwind through
//! tower-lsp-server's single serving task and take the process down. `GuardedService` also
//! notes the `exit` notification, which tower-lsp handles without calling our code.

use std::any::Any;
use std::borrow::Cow;
use std::future::Future;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::pin::Pin;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::task::{Context, Poll};

use futures::FutureExt;
use tower_lsp_server::jsonrpc::{Error, ErrorCode, Request, Response};
use tower_service::Service;

/// Runs `f`, catching a panic: `None` then, and the panic is logged with `what`.
pub fn guarded<T>(what: &str, f: impl FnOnce() -> T) -> Option<T> {
    match catch_unwind(AssertUnwindSafe(f)) {
        Ok(value) => Some(value),
        Err(payload) => {
            tracing::error!("panic in {what}: {}", panic_message(&*payload));
            None
        }
    }
}

/// The JSON-RPC error for a request whose handler panicked.
pub fn internal_error(what: &str) -> Error {
    Error {
        code: ErrorCode::InternalError,
        message: Cow::Owned(format!(
            "dockerfile-lsp: internal error in {what} (details in the server log)"
        )),
        data: None,
    }
}

pub fn panic_message(payload: &(dyn Any + Send)) -> &str {
    if let Some(s) = payload.downcast_ref::<&str>() {
        s
    } else if let Some(s) = payload.downcast_ref::<String>() {
        s
    } else {
        "(no message)"
    }
}

/// What the protocol's lifecycle reached; decides the exit status.
///
/// `shutdown` and `exit` are noted when they are read, not when their handlers run: tower-lsp
/// cancels pending requests on `exit`, so a client that sends both without waiting would
/// otherwise see its `shutdown` cancelled and the process exit with 1. A `shutdown` counts
/// once `initialize` has been answered successfully, as tower-lsp accepts it only then.
#[derive(Debug, Default)]
pub struct Lifecycle {
    initialized: AtomicBool,
    shutdown: AtomicBool,
    exit: AtomicBool,
}

impl Lifecycle {
    /// 0 after `shutdown` then `exit`; 1 when `exit` came without `shutdown`, or input ended
    /// without `exit` (the LSP specification's rule, extended to a vanished client).
    pub fn exit_status(&self) -> u8 {
        let clean = self.shutdown.load(Ordering::SeqCst) && self.exit.load(Ordering::SeqCst);
        if clean { 0 } else { 1 }
    }
}

/// Wraps tower-lsp's `LspService`: catches handler panics and notes `exit`.
pub struct GuardedService<S> {
    inner: S,
    lifecycle: Arc<Lifecycle>,
}

impl<S> GuardedService<S> {
    pub fn new(inner: S, lifecycle: Arc<Lifecycle>) -> Self {
        Self { inner, lifecycle }
    }
}

type BoxFuture<T> = Pin<Box<dyn Future<Output = T> + Send>>;

impl<S> Service<Request> for GuardedService<S>
where
    S: Service<Request, Response = Option<Response>>,
    S::Future: Send + 'static,
    S::Error: Send + 'static,
{
    type Response = Option<Response>;
    type Error = S::Error;
    type Future = BoxFuture<Result<Option<Response>, S::Error>>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), Self::Error>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, req: Request) -> Self::Future {
        let method = req.method().to_owned();
        match method.as_str() {
            "shutdown" if self.lifecycle.initialized.load(Ordering::SeqCst) => {
                self.lifecycle.shutdown.store(true, Ordering::SeqCst);
            }
            "exit" => self.lifecycle.exit.store(true, Ordering::SeqCst),
            _ => {}
        }
        let initialize = method == "initialize";
        let lifecycle = self.lifecycle.clone();
        let id = req.id().cloned();
        let failed = move |payload: Box<dyn Any + Send>| {
            tracing::error!("panic in {method}: {}", panic_message(&*payload));
            id.map(|id| Response::from_error(id, internal_error(&method)))
        };
        // tower-lsp builds the handler future lazily, but guard `call` too: it is cheap.
        let fut = match catch_unwind(AssertUnwindSafe(|| self.inner.call(req))) {
            Ok(fut) => fut,
            Err(payload) => return Box::pin(std::future::ready(Ok(failed(payload)))),
        };
        Box::pin(AssertUnwindSafe(fut).catch_unwind().map(move |r| match r {
            Ok(result) => {
                if initialize && matches!(&result, Ok(Some(response)) if response.is_ok()) {
                    lifecycle.initialized.store(true, Ordering::SeqCst);
                }
                result
            }
            Err(payload) => Ok(failed(payload)),
        }))
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;
    use tower_lsp_server::jsonrpc::Result;
    use tower_lsp_server::ls_types::{
        DidOpenTextDocumentParams, Hover, HoverParams, InitializeParams, InitializeResult,
    };
    use tower_lsp_server::{LanguageServer, LspService};

    use super::*;

    struct Panicky;

    impl LanguageServer for Panicky {
        async fn initialize(&self, _: InitializeParams) -> Result<InitializeResult> {
            Ok(InitializeResult::default())
        }

        async fn shutdown(&self) -> Result<()> {
            Ok(())
        }

        async fn hover(&self, _: HoverParams) -> Result<Option<Hover>> {
            panic!("hover exploded")
        }

        async fn did_open(&self, _: DidOpenTextDocumentParams) {
            panic!("didOpen exploded")
        }
    }

    async fn call<S>(service: &mut S, request: Request) -> Option<Response>
    where
        S: Service<Request, Response = Option<Response>>,
        S::Error: std::fmt::Debug,
    {
        futures::future::poll_fn(|cx| service.poll_ready(cx))
            .await
            .expect("ready");
        service.call(request).await.expect("served")
    }

    fn hover(id: i64) -> Request {
        Request::build("textDocument/hover")
            .id(id)
            .params(json!({
                "textDocument": {"uri": "file:///Dockerfile"},
                "position": {"line": 0, "character": 0},
            }))
            .finish()
    }

    #[tokio::test]
    async fn a_panicking_handler_answers_an_internal_error_and_serving_goes_on() {
        let (service, _socket) = LspService::new(|_| Panicky);
        let lifecycle = Arc::new(Lifecycle::default());
        let mut service = GuardedService::new(service, lifecycle.clone());
        let init = Request::build("initialize")
            .id(1)
            .params(json!({"capabilities": {}}))
            .finish();
        assert!(call(&mut service, init).await.is_some_and(|r| r.is_ok()));
        for id in [2, 3] {
            let response = call(&mut service, hover(id)).await.expect("a response");
            let error = response.error().expect("an error");
            assert_eq!(error.code, ErrorCode::InternalError);
            assert!(error.message.contains("textDocument/hover"), "{error:?}");
        }
        let open = Request::build("textDocument/didOpen")
            .params(json!({"textDocument": {
                "uri": "file:///Dockerfile", "languageId": "dockerfile", "version": 1, "text": "",
            }}))
            .finish();
        assert_eq!(call(&mut service, open).await, None);
        let exit = Request::build("exit").finish();
        assert_eq!(call(&mut service, exit).await, None);
        assert_eq!(lifecycle.exit_status(), 1);
    }

    #[test]
    fn guarded_returns_the_value_or_none() {
        assert_eq!(guarded("sum", || 1 + 1), Some(2));
        let none: Option<()> = guarded("boom", || panic!("boom"));
        assert_eq!(none, None);
        let owned: Option<()> = guarded("boom", || panic!("{}", String::from("owned")));
        assert_eq!(owned, None);
    }
}
