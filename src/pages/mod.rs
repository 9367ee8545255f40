//! Pages: one file per screen, composing components.

pub mod agreement;
pub mod breakdowns;
pub mod compare;
pub mod distributions;
pub mod downloads;
pub mod evaluate;
pub mod later;
pub mod overview;
pub mod panel;
pub mod problems;
pub mod runner;
pub mod samples;
pub mod studio;
