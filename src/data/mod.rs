//! Market data and macro series from CSV files, as people download them, into columns.
//!
//! [`load_path`] reads a file or a directory of `*.csv` files; the layout of each file is
//! told from its header ([`layout`](self::layout)):
//!
//! - **prices, long**: `date,symbol,open,high,low,close[,adj_close][,volume]`, many symbols;
//! - **prices, one symbol**: Yahoo, Stooq, Alpha Vantage and EODHD exports, or a bare
//!   `Date,Close`; the symbol is the file stem (`IWO.csv` → `IWO`) or `data "…" as NAME`;
//! - **series**: a date column and one series per other column (FRED's `DATE,DFF`).
//!
//! [`LoadOptions::only`] loads just the histories a strategy uses; the other names are
//! still listed ([`DataSet::unloaded`]) for the checker.
//!
//! Every problem is a [`DataError`] pointing at the file, line and column of the cell.
//! Lenient loading skips bad rows instead, counting them and saying so in
//! [`DataSet::notes`].

mod bundled;
mod cell;
mod chronology;
pub mod date;
mod day_cache;
mod error;
mod estimate;
mod input;
mod issue;
mod layout;
mod load;
mod loaded;
mod plain;
mod prices;
mod record;
mod series;
mod store;
mod symbols;

pub use bundled::{BUNDLED_FILES, bundled, bundled_with};
pub use date::{Resolution, day_of, format_timestamp, parse_timestamp};
pub use error::DataError;
pub use load::{LoadOptions, load_path, load_str};
pub use loaded::LoadedData;
pub use store::{DataSet, NameKind, PriceHistory, SeriesHistory, Unloaded};

#[cfg(test)]
mod tests;
