//! Data loaded for a run, with where it came from: what the report's data section says.

use super::DataSet;

/// Data loaded for a run, and where it came from.
#[derive(Debug)]
pub struct LoadedData {
    pub data: DataSet,
    /// Files or folders, as the strategy or the command line named them.
    pub sources: Vec<String>,
    /// True when the bundled synthetic sample data was used.
    pub bundled: bool,
}
