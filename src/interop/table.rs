//! Excel (.xlsx) and CSV task tables in.

use super::{Draft, ImportError, ImportOptions, Problem};

pub fn read_xlsx(
    _bytes: &[u8],
    _file_name: &str,
    _options: &ImportOptions,
) -> Result<(Draft, Vec<Problem>), ImportError> {
    Err(ImportError::Invalid("not yet".into()))
}

pub fn read_csv(
    _bytes: &[u8],
    _file_name: &str,
    _options: &ImportOptions,
) -> Result<(Draft, Vec<Problem>), ImportError> {
    Err(ImportError::Invalid("not yet".into()))
}
