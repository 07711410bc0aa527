//! `cutover`: go-live cutover runbooks for hospital EPR programmes.
//!
//! The data flow is the architecture:
//! `load` (YAML -> [`model`]) -> `validate` (diagnostics, resolved [`project`]) ->
//! `graph` -> `schedule` -> evaluate -> `render`.
#![forbid(unsafe_code)]

pub mod background;
pub mod calendar;
pub mod check;
pub mod critical;
pub mod decision;
pub mod diagnostic;
pub mod gates;
pub mod graph;
pub mod interop;
pub mod load;
pub mod model;
pub mod montecarlo;
pub mod output;
pub mod plan;
pub mod project;
pub mod render;
pub mod report;
pub mod scenario;
pub mod schedule;
pub mod schema;
pub mod simulate;
pub mod source;
pub mod status;
pub mod synthetic;
pub mod time;
pub mod validate;
pub mod window;
