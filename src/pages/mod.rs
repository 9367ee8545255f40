//! Pages: one file per screen, composing components.

pub mod runner;
pub mod studio;
