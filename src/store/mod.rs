//! The only code that touches browser storage. Runs live in IndexedDB: the run's settings
//! (`runs`), the data set it judges, byte for byte (`datasets`), and every answer as it arrives
//! (`answers`). Each answer is first written synchronously to a localStorage journal, so that
//! an answer that arrived just before the tab closed is not lost while IndexedDB was still
//! writing it; the journal is replayed into IndexedDB the next time the app opens.

use std::cell::RefCell;
use std::rc::Rc;

use js_sys::Uint8Array;
use rexie::{KeyRange, ObjectStore, Rexie, TransactionMode};
use wasm_bindgen::JsValue;

use crate::engine::judged::JudgedAnswer;
use crate::runner::plan::{answer_key, RunInfo, RunSettings};
use error::fail;

mod error;

pub use error::{RecoveryError, StoreError, StoreResult};

const DB_NAME: &str = "metajudge-studio";
const RUNS: &str = "runs";
const DATASETS: &str = "datasets";
const ANSWERS: &str = "answers";
const JOURNAL_PREFIX: &str = "metajudge-journal:";
const PREFERENCES: &str = "metajudge-run-settings";

thread_local! {
    static DB: RefCell<Option<Rc<Rexie>>> = const { RefCell::new(None) };
}

async fn db() -> StoreResult<Rc<Rexie>> {
    if let Some(db) = DB.with(|d| d.borrow().clone()) {
        return Ok(db);
    }
    let db = Rexie::builder(DB_NAME)
        .version(1)
        .add_object_store(ObjectStore::new(RUNS))
        .add_object_store(ObjectStore::new(DATASETS))
        .add_object_store(ObjectStore::new(ANSWERS))
        .build()
        .await
        .map_err(fail("opening the database"))?;
    let db = Rc::new(db);
    DB.with(|d| *d.borrow_mut() = Some(db.clone()));
    Ok(db)
}

async fn put(store: &str, key: &str, value: &JsValue) -> StoreResult<()> {
    let db = db().await?;
    let tx = db
        .transaction(&[store], TransactionMode::ReadWrite)
        .map_err(fail("saving"))?;
    let s = tx.store(store).map_err(fail("saving"))?;
    s.put(value, Some(&JsValue::from_str(key)))
        .await
        .map_err(fail("saving"))?;
    tx.done().await.map_err(fail("saving"))?;
    Ok(())
}

/// Saves (or updates) a run's settings. The key is in it only if the user asked to remember it.
pub async fn save_run(run: &RunInfo) -> StoreResult<()> {
    let json = serde_json::to_string(run)?;
    put(RUNS, &run.id, &JsValue::from_str(&json)).await
}

/// Saves the data set a run judges, byte for byte.
pub async fn save_dataset(run_id: &str, bytes: &[u8]) -> StoreResult<()> {
    put(DATASETS, run_id, &Uint8Array::from(bytes).into()).await
}

/// Saves one answer. It is durable when this returns: written synchronously to the
/// localStorage journal; a background writer then moves journal entries into IndexedDB in
/// batches (one transaction for many answers, so that 50 answers a second do not queue behind
/// 50 transactions). Without room in the journal, the answer goes to IndexedDB directly.
/// An error of an earlier batch is reported here, so the caller stops before losing more.
pub async fn save_answer(run_id: &str, answer: &JudgedAnswer) -> StoreResult<()> {
    if let Some(error) = WRITER.with(|w| w.borrow_mut().error.take()) {
        return Err(error);
    }
    let key = answer_key(run_id, &answer.model, answer.line);
    let json = serde_json::to_string(answer)?;
    let journaled = local_storage()
        .is_some_and(|j| j.set_item(&format!("{JOURNAL_PREFIX}{key}"), &json).is_ok());
    if !journaled {
        return put(ANSWERS, &key, &JsValue::from_str(&json)).await;
    }
    let start_writer = WRITER.with(|w| {
        let mut w = w.borrow_mut();
        w.pending.push((key, json));
        !std::mem::replace(&mut w.running, true)
    });
    if start_writer {
        wasm_bindgen_futures::spawn_local(write_batches());
    }
    Ok(())
}

/// Waits until every answer saved so far is in IndexedDB (not only in the journal).
pub async fn flush_answers() -> StoreResult<()> {
    while WRITER.with(|w| w.borrow().running) {
        gloo_timers::future::TimeoutFuture::new(10).await;
    }
    match WRITER.with(|w| w.borrow_mut().error.take()) {
        Some(error) => Err(error),
        None => Ok(()),
    }
}

/// Answers journaled but not yet in IndexedDB, and the state of the background writer.
#[derive(Default)]
struct Writer {
    pending: Vec<(String, String)>,
    running: bool,
    error: Option<StoreError>,
}

thread_local! {
    static WRITER: RefCell<Writer> = RefCell::new(Writer::default());
}

/// Moves pending answers into IndexedDB, one transaction per batch, until none is left; each
/// journal entry is removed once its batch is committed.
async fn write_batches() {
    loop {
        let batch = WRITER.with(|w| std::mem::take(&mut w.borrow_mut().pending));
        if batch.is_empty() {
            WRITER.with(|w| w.borrow_mut().running = false);
            return;
        }
        match put_batch(&batch).await {
            Ok(()) => {
                if let Some(journal) = local_storage() {
                    for (key, _) in &batch {
                        let _ = journal.remove_item(&format!("{JOURNAL_PREFIX}{key}"));
                    }
                }
            }
            // The entries stay in the journal; the next start of the app replays them.
            Err(error) => WRITER.with(|w| w.borrow_mut().error = Some(error)),
        }
    }
}

async fn put_batch(batch: &[(String, String)]) -> StoreResult<()> {
    let db = db().await?;
    let tx = db
        .transaction(&[ANSWERS], TransactionMode::ReadWrite)
        .map_err(fail("saving answers"))?;
    let store = tx.store(ANSWERS).map_err(fail("saving answers"))?;
    let items = batch
        .iter()
        .map(|(key, json)| (JsValue::from_str(json), Some(JsValue::from_str(key))));
    store.put_all(items).await.map_err(fail("saving answers"))?;
    tx.done().await.map_err(fail("saving answers"))?;
    Ok(())
}

/// Moves answers left in the journal (the tab closed while saving them) into IndexedDB.
/// Returns how many were recovered. It stops at the first failure: an entry leaves the journal
/// only once IndexedDB has it, so the answers not moved stay there for the next load.
pub async fn recover_journal() -> Result<usize, RecoveryError> {
    let Some(journal) = local_storage() else {
        return Ok(0);
    };
    let n = journal.length().unwrap_or(0);
    let keys: Vec<String> = (0..n)
        .filter_map(|i| journal.key(i).ok().flatten())
        .filter(|k| k.starts_with(JOURNAL_PREFIX))
        .collect();
    for (n_recovered, key) in keys.iter().enumerate() {
        if let Ok(Some(json)) = journal.get_item(key) {
            let moved = put(
                ANSWERS,
                &key[JOURNAL_PREFIX.len()..],
                &JsValue::from_str(&json),
            )
            .await;
            if let Err(error) = moved {
                return Err(RecoveryError {
                    n_recovered,
                    n_left: keys.len() - n_recovered,
                    error,
                });
            }
        }
        let _ = journal.remove_item(key);
    }
    Ok(keys.len())
}

/// Every stored run, newest first.
pub async fn list_runs() -> StoreResult<Vec<RunInfo>> {
    let db = db().await?;
    let tx = db
        .transaction(&[RUNS], TransactionMode::ReadOnly)
        .map_err(fail("listing runs"))?;
    let values = tx
        .store(RUNS)
        .map_err(fail("listing runs"))?
        .get_all(None, None)
        .await
        .map_err(fail("listing runs"))?;
    let mut runs: Vec<RunInfo> = values
        .iter()
        .filter_map(|v| v.as_string())
        .filter_map(|s| serde_json::from_str(&s).ok())
        .collect();
    runs.sort_by(|a, b| b.created_ms.total_cmp(&a.created_ms));
    Ok(runs)
}

/// The data set of a run.
pub async fn load_dataset(run_id: &str) -> StoreResult<Vec<u8>> {
    let db = db().await?;
    let tx = db
        .transaction(&[DATASETS], TransactionMode::ReadOnly)
        .map_err(fail("reading a data set"))?;
    let value = tx
        .store(DATASETS)
        .map_err(fail("reading a data set"))?
        .get(JsValue::from_str(run_id))
        .await
        .map_err(fail("reading a data set"))?;
    value
        .map(|v| Uint8Array::new(&v).to_vec())
        .ok_or_else(|| StoreError::NoDataset(run_id.to_string()))
}

/// Every stored answer of a run, with those still in the journal.
pub async fn load_answers(run_id: &str) -> StoreResult<Vec<JudgedAnswer>> {
    let db = db().await?;
    let tx = db
        .transaction(&[ANSWERS], TransactionMode::ReadOnly)
        .map_err(fail("reading answers"))?;
    let values = tx
        .store(ANSWERS)
        .map_err(fail("reading answers"))?
        .get_all(Some(run_range(run_id)?), None)
        .await
        .map_err(fail("reading answers"))?;
    let mut answers: Vec<JudgedAnswer> = values
        .iter()
        .filter_map(|v| v.as_string())
        .filter_map(|s| serde_json::from_str(&s).ok())
        .collect();
    // An answer still in the journal (its recovery failed) is newer than any stored copy, and
    // counts for its run: without it, resuming the run would send its row again.
    for answer in journaled_answers(run_id) {
        match answers
            .iter_mut()
            .find(|a| a.line == answer.line && a.model == answer.model)
        {
            Some(old) => *old = answer,
            None => answers.push(answer),
        }
    }
    Ok(answers)
}

/// The answers of a run that are in the journal, not yet in IndexedDB.
fn journaled_answers(run_id: &str) -> Vec<JudgedAnswer> {
    let Some(journal) = local_storage() else {
        return Vec::new();
    };
    let prefix = format!("{JOURNAL_PREFIX}{run_id}|");
    (0..journal.length().unwrap_or(0))
        .filter_map(|i| journal.key(i).ok().flatten())
        .filter(|k| k.starts_with(&prefix))
        .filter_map(|k| journal.get_item(&k).ok().flatten())
        .filter_map(|json| serde_json::from_str(&json).ok())
        .collect()
}

/// Deletes a run with its data set and answers.
pub async fn delete_run(run_id: &str) -> StoreResult<()> {
    let db = db().await?;
    let tx = db
        .transaction(&[RUNS, DATASETS, ANSWERS], TransactionMode::ReadWrite)
        .map_err(fail("deleting"))?;
    tx.store(RUNS)
        .map_err(fail("deleting"))?
        .delete(JsValue::from_str(run_id))
        .await
        .map_err(fail("deleting"))?;
    tx.store(DATASETS)
        .map_err(fail("deleting"))?
        .delete(JsValue::from_str(run_id))
        .await
        .map_err(fail("deleting"))?;
    let answers = tx.store(ANSWERS).map_err(fail("deleting"))?;
    for key in answers
        .get_all_keys(Some(run_range(run_id)?), None)
        .await
        .map_err(fail("deleting"))?
    {
        answers.delete(key).await.map_err(fail("deleting"))?;
    }
    tx.done().await.map_err(fail("deleting"))?;
    Ok(())
}

/// Keys of one run's answers: `run|` up to `run|\u{ffff}`.
fn run_range(run_id: &str) -> StoreResult<KeyRange> {
    let lower = JsValue::from_str(&format!("{run_id}|"));
    let upper = JsValue::from_str(&format!("{run_id}|\u{ffff}"));
    KeyRange::bound(&lower, &upper, Some(false), Some(false))
        .map_err(|e| fail("selecting a run's answers")(e.into()))
}

/// The last run settings used (never the key), to fill the form on the next visit.
pub fn save_preferences(settings: &RunSettings) {
    if let (Some(storage), Ok(json)) = (local_storage(), serde_json::to_string(settings)) {
        let _ = storage.set_item(PREFERENCES, &json);
    }
}

/// The settings saved by [`save_preferences`], if any and still readable.
pub fn load_preferences() -> Option<RunSettings> {
    let json = local_storage()?.get_item(PREFERENCES).ok()??;
    serde_json::from_str(&json).ok()
}

fn local_storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok().flatten()
}
