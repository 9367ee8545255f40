//! Pages: one file per screen, composing components.

pub mod studio;
