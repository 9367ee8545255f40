//! Pages: one file per screen, composing components.

pub mod agreement;
pub mod breakdowns;
pub mod compare;
pub mod distributions;
pub mod evaluate;
pub mod overview;
pub mod runner;
pub mod samples;
pub mod studio;
