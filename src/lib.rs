//! `cutover`: go-live cutover runbooks for hospital EPR programmes.
//!
//! The data flow is the architecture:
//! `load` (YAML -> [`model`]) -> `validate` (diagnostics, resolved [`project`]) ->
//! `graph` -> `schedule` -> evaluate -> `render`.

pub(crate) mod background;
pub mod calendar;
pub(crate) mod check;
pub mod cli;
pub mod critical;
pub mod decision;
pub mod diagnostic;
pub mod gates;
pub mod graph;
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
pub(crate) mod scenario;
pub mod schedule;
pub(crate) mod schema;
pub mod simulate;
pub mod source;
pub mod status;
pub mod synthetic;
pub mod time;
pub mod validate;
pub mod window;
