//! The full pipeline of SPEC section 8, pure: the stages of an evaluation, the request each
//! stage sends for a row, the readers of their answers, the swap figures, and the columns the
//! answers become. The runner sends what this builds; the page and `metajudge genrm` show and
//! write what it reads.
//!
//! Where things live: `stage` (the `Stage` enum, custom_id names, the fields each writes),
//! `request` (what a request reads from a row: turns, text fields, one-pass filling, why a
//! row cannot be asked), `generate` (the judge-prompt request, in either order), `answer`
//! (a judge-prompt answer -> reasons, verdict, problems), `swap` (mirroring, position
//! consistency), `decompose` (the decomposition request and its claims), `columns` (results
//! -> data-set fields), `starter` (the shipped starter set, embedded), `structured` (the JSON answers a stage may
//! ask for instead of free text, and the reference text they are read as).

pub mod answer;
pub mod columns;
pub mod decompose;
pub mod generate;
pub mod request;
pub mod stage;
pub mod starter;
pub mod structured;
pub mod swap;

pub use answer::{read_answer, AnswerProblem, JudgeAnswer};
pub use columns::{write_claims, write_judge_columns};
pub use decompose::{decompose_request, read_claims, Claims, DecomposeProblem, FieldMapping};
pub use generate::{judge_request, Order};
pub use request::RequestError;
pub use stage::{swap_name, Fields, Stage};
pub use starter::{starter_file, STARTER_JSONL, STARTER_NAME};
pub use structured::{read_owned, read_with, reference_text, Structured, MARK_SUFFIX};
pub use swap::{
    file_consistencies, file_consistency, mirror, mirror_label, pair_consistency,
    position_consistency, swap_twins, Consistency,
};
