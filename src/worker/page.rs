//! The page's side of the engine worker: [`figures`] sends a job to the worker and gives its
//! figures, or, when the worker cannot start or fails, computes them on the page (slower for
//! the page, never missing). The worker starts with the first job and lives as long as the
//! page; its script is beside the page (a relative URL, so the site works from any path).

use std::cell::RefCell;
use std::collections::HashMap;
use std::sync::Arc;

use js_sys::{Function, Promise};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use web_sys::{Event, MessageEvent, Worker};

use super::protocol::{self, Reply, ReplyId, READY};
use crate::clock::{next_task, sleep_ms};
use crate::engine::figures_job::{FiguresJob, JobFigures};

/// The loader trunk writes for the worker (`data-loader-shim` in `index.html`).
const LOADER: &str = "./engine-worker_loader.js";

/// How long the worker may take to say [`READY`] (its loader, script and 140 KB of wasm)
/// before the page stops waiting for it: a host may answer for a file it does not have with
/// something that is not an error.
const READY_WITHIN_MS: f64 = 15_000.0;

/// How long a job may wait for its reply before the page stops trusting the worker (a job of
/// the 22,116-row file takes a third of a second).
const REPLY_WITHIN_MS: f64 = 120_000.0;

/// A job sent to the engine worker (or why it could not be), its figures to wait for.
pub struct Sent {
    job: Arc<FiguresJob>,
    reply: Result<Promise, String>,
}

/// Sends `job` to the engine worker now; [`Sent::figures`] waits for its figures. Sending
/// several before waiting lets the worker take one after another without a round trip
/// between them.
pub fn send(job: Arc<FiguresJob>) -> Sent {
    let reply = DOOR.with(|door| door.borrow_mut().send(&job));
    Sent { job, reply }
}

impl Sent {
    /// The job's figures, from the engine worker (computed on the page when it cannot).
    pub async fn figures(self) -> JobFigures {
        match read(self.reply).await {
            Ok(figures) => figures,
            Err(_) => {
                // The door said why once; each job then takes a task of its own.
                next_task().await;
                self.job.run()
            }
        }
    }
}

/// The figures of `job` (see [`send`]).
pub async fn figures(job: Arc<FiguresJob>) -> JobFigures {
    send(job).figures().await
}

async fn read(reply: Result<Promise, String>) -> Result<JobFigures, String> {
    let reply = JsFuture::from(reply?)
        .await
        .map_err(|why| why.as_string().unwrap_or_else(|| format!("{why:?}")))?;
    let reply: Reply = serde_json::from_str(&reply.as_string().unwrap_or_default())
        .map_err(|error| format!("the engine worker's reply cannot be read: {error}"))?;
    reply.figures
}

thread_local! {
    static DOOR: RefCell<Door> = const { RefCell::new(Door::Unopened) };
}

enum Door {
    Unopened,
    Open(Open),
    /// The worker would not start or failed (why): jobs are computed on the page.
    Closed(String),
}

/// A started worker and the requests waiting on it.
struct Open {
    worker: Worker,
    /// Whether it said [`READY`]; until then requests wait in `held`.
    ready: bool,
    held: Vec<String>,
    /// The promise callbacks (resolve, reject) of each request sent, by id.
    waiting: HashMap<u64, (Function, Function)>,
    next_id: u64,
}

impl Door {
    /// Sends `job`; the promise settles with the reply's text, or fails with why there is none.
    fn send(&mut self, job: &FiguresJob) -> Result<Promise, String> {
        if matches!(self, Door::Unopened) {
            *self = match start() {
                Ok(worker) => {
                    wasm_bindgen_futures::spawn_local(async {
                        sleep_ms(READY_WITHIN_MS).await;
                        DOOR.with(|door| {
                            let mut door = door.borrow_mut();
                            if matches!(&*door, Door::Open(open) if !open.ready) {
                                door.fail(format!(
                                    "the engine worker did not start within {} s",
                                    READY_WITHIN_MS / 1000.0
                                ));
                            }
                        });
                    });
                    Door::Open(Open {
                        worker,
                        ready: false,
                        held: Vec::new(),
                        waiting: HashMap::new(),
                        next_id: 1,
                    })
                }
                Err(why) => {
                    warn(&why);
                    Door::Closed(why)
                }
            };
        }
        let open = match self {
            Door::Open(open) => open,
            Door::Closed(why) => return Err(why.clone()),
            Door::Unopened => unreachable!("opened above"),
        };
        let id = open.next_id;
        open.next_id += 1;
        let promise = Promise::new(&mut |resolve, reject| {
            open.waiting.insert(id, (resolve, reject));
        });
        let text = protocol::request(id, job);
        if open.ready {
            post(&open.worker, &text);
        } else {
            open.held.push(text);
        }
        wasm_bindgen_futures::spawn_local(async move {
            sleep_ms(REPLY_WITHIN_MS).await;
            DOOR.with(|door| {
                let mut door = door.borrow_mut();
                if matches!(&*door, Door::Open(open) if open.waiting.contains_key(&id)) {
                    door.fail(format!(
                        "the engine worker did not answer within {} s",
                        REPLY_WITHIN_MS / 1000.0
                    ));
                }
            });
        });
        Ok(promise)
    }

    /// A message from the worker: [`READY`] (the held requests go), or a reply.
    fn receive(&mut self, data: JsValue) {
        let Door::Open(open) = self else {
            return;
        };
        let text = data.as_string().unwrap_or_default();
        if text == READY {
            open.ready = true;
            for request in open.held.drain(..) {
                post(&open.worker, &request);
            }
            return;
        }
        // A reply to no request waiting (one the worker could not read comes back as id 0)
        // means the two sides do not understand each other: stop trusting the worker rather
        // than leave a request waiting for ever.
        let waiting = serde_json::from_str(&text)
            .ok()
            .and_then(|ReplyId { id }| open.waiting.remove(&id));
        match waiting {
            Some((resolve, _)) => {
                let _ = resolve.call1(&JsValue::NULL, &data);
            }
            None => self.fail("the engine worker answered a request it was not sent".into()),
        }
    }

    /// The worker failed: every request waiting is told so, and later jobs stay on the page.
    fn fail(&mut self, why: String) {
        warn(&why);
        if let Door::Open(open) = self {
            open.worker.terminate();
            for (_, (_, reject)) in open.waiting.drain() {
                let _ = reject.call1(&JsValue::NULL, &JsValue::from_str(&why));
            }
        }
        *self = Door::Closed(why);
    }
}

/// Says once, in the browser's console, why the page computes the intervals itself.
fn warn(why: &str) {
    leptos::logging::warn!("{why}; the page computes the intervals itself");
}

fn post(worker: &Worker, text: &str) {
    if let Err(error) = worker.post_message(&JsValue::from_str(text)) {
        let why = format!("the engine worker cannot be sent a job: {error:?}");
        // Not within a borrow of the door: posting happens in `send` and `receive`, which hold
        // it, so the failure is handled once they return.
        wasm_bindgen_futures::spawn_local(async move {
            DOOR.with(|door| door.borrow_mut().fail(why));
        });
    }
}

/// Starts the worker and listens to it for as long as the page lives.
fn start() -> Result<Worker, String> {
    let worker = Worker::new(LOADER)
        .map_err(|error| format!("the engine worker cannot start: {error:?}"))?;
    let on_message = Closure::<dyn FnMut(MessageEvent)>::new(|event: MessageEvent| {
        DOOR.with(|door| door.borrow_mut().receive(event.data()));
    });
    let on_error = Closure::<dyn FnMut(Event)>::new(|event: Event| {
        event.prevent_default();
        let why = "the engine worker stopped (its script did not load, or the engine failed)";
        DOOR.with(|door| door.borrow_mut().fail(why.to_string()));
    });
    worker.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
    worker.set_onerror(Some(on_error.as_ref().unchecked_ref()));
    on_message.forget();
    on_error.forget();
    Ok(worker)
}
