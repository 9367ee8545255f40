//! The engine worker's loop (run by `src/bin/engine_worker.rs` in a dedicated worker): it
//! answers each request with [`protocol::answer`] and says [`protocol::READY`] once it listens.

use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{DedicatedWorkerGlobalScope, MessageEvent};

use super::protocol;

/// Listens for requests in the worker this code runs in, for as long as the worker lives.
pub fn serve() {
    let scope: DedicatedWorkerGlobalScope = js_sys::global().unchecked_into();
    let replies = scope.clone();
    let on_message = Closure::<dyn FnMut(MessageEvent)>::new(move |event: MessageEvent| {
        let request = event.data().as_string().unwrap_or_default();
        // A reply that cannot be posted leaves the page waiting on nothing it could mend: the
        // worker's error event (a panic) is what the page listens for instead.
        let _ = replies.post_message(&JsValue::from_str(&protocol::answer(&request)));
    });
    scope.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
    // The worker lives as long as the page: so does its listener.
    on_message.forget();
    let _ = scope.post_message(&JsValue::from_str(protocol::READY));
}
