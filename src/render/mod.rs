//! Output formats. Renderers only format what the library computed.

pub mod diagnostics;
