//! What the page and the engine worker say to each other, as JSON text: a [`Request`] (an id
//! and a job), a [`Reply`] (the id and the figures, or why there are none), and [`READY`],
//! which the worker says once when it can take requests. Pure, so that it is tested natively.

use serde::{Deserialize, Serialize};

use crate::engine::figures_job::{FiguresJob, JobFigures};

/// What the worker says once its engine is loaded; requests sent before then would be lost,
/// so the page holds them until it hears this.
pub const READY: &str = "ready";

/// A job for the worker, with the page's id for its reply.
#[derive(Debug, Serialize, Deserialize)]
pub struct Request {
    pub id: u64,
    pub job: FiguresJob,
}

/// The text of the request `id` for `job` (the job borrowed: it is written, not copied).
pub fn request(id: u64, job: &FiguresJob) -> String {
    #[derive(Serialize)]
    struct Borrowed<'a> {
        id: u64,
        job: &'a FiguresJob,
    }
    // Plain data (numbers, strings, enums): writing it cannot fail.
    serde_json::to_string(&Borrowed { id, job }).unwrap_or_default()
}

/// The worker's answer to the request `id`.
#[derive(Debug, Serialize, Deserialize)]
pub struct Reply {
    pub id: u64,
    pub figures: Result<JobFigures, String>,
}

/// The id of a reply, read without its figures (the page routes replies by it).
#[derive(Deserialize)]
pub struct ReplyId {
    pub id: u64,
}

/// The worker's whole work: a request's text to its reply's text. A request that cannot be
/// read gets a reply with id 0 and the reason (the page then computes on its own thread).
pub fn answer(request: &str) -> String {
    let reply = match serde_json::from_str::<Request>(request) {
        Ok(request) => Reply {
            id: request.id,
            figures: Ok(request.job.run()),
        },
        Err(error) => Reply {
            id: serde_json::from_str::<ReplyId>(request).map_or(0, |r| r.id),
            figures: Err(format!(
                "the engine worker cannot read the request: {error}"
            )),
        },
    };
    serde_json::to_string(&reply).unwrap_or_else(|error| {
        format!(
            "{{\"id\":{},\"figures\":{{\"Err\":{}}}}}",
            reply.id,
            serde_json::Value::from(format!("the figures cannot be written: {error}"))
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::dataset::load;
    use crate::engine::summary::{evaluate_models, evaluate_models_deferred, Options};

    #[test]
    fn a_request_is_answered_with_the_figures_computed_in_place() {
        let file = load(
            "judged.jsonl",
            include_bytes!("../../tests/fixtures/data/judged-judge-a-n60.jsonl"),
        );
        let options = Options::default();
        let deferred = evaluate_models_deferred(&file, &[0], &options).remove(0);
        let request = request(7, deferred.job.as_ref().expect("intervals on"));
        let reply: Reply = serde_json::from_str(&answer(&request)).unwrap();
        assert_eq!(reply.id, 7);
        let figures = reply.figures.expect("figures");
        assert_eq!(
            deferred.report.with_figures(&figures),
            evaluate_models(&file, &[0], &options).remove(0)
        );
    }

    #[test]
    fn a_request_it_cannot_read_gets_a_reason_under_its_id() {
        let reply: Reply = serde_json::from_str(&answer(r#"{"id": 3, "job": 5}"#)).unwrap();
        assert_eq!(reply.id, 3);
        let why = reply.figures.unwrap_err();
        assert!(why.contains("cannot read the request"), "{why}");
        let reply: Reply = serde_json::from_str(&answer("not json")).unwrap();
        assert_eq!(reply.id, 0);
        assert!(reply.figures.is_err());
    }
}
