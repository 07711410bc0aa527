//! `cutover`: go-live cutover runbooks for hospital EPR programmes.
//!
//! The data flow is the architecture:
//! `load` (YAML -> [`model`]) -> `validate` (diagnostics, resolved [`project`]) ->
//! `graph` -> `schedule` -> evaluate -> `render`.

pub(crate) mod background;
pub mod board;
pub mod calendar;
pub mod calibrate;
pub(crate) mod check;
pub mod cli;
pub mod critical;
pub mod decision;
pub mod diagnostic;
pub mod diff;
pub mod eventlog;
pub mod gates;
pub mod graph;
pub mod interop;
pub mod lint;
pub mod load;
pub mod model;
pub mod montecarlo;
pub mod output;
pub mod paper;
pub mod pipeline;
pub mod plan;
pub mod project;
pub mod render;
pub mod report;
pub mod revision;
pub mod runsheet;
pub(crate) mod scenario;
pub mod schedule;
pub(crate) mod schema;
pub mod simulate;
pub mod since;
pub mod source;
pub mod status;
pub mod synthetic;
pub mod time;
pub mod update;
pub mod validate;
pub mod window;
