//! Market data and macro series from CSV files, as people download them, into columns.
//!
//! [`load_path`] reads a file or a directory of `*.csv` and `*.tsv` files; the layout of each file is
//! told from its header ([`layout`](self::layout)):
//!
//! - **prices, long**: `date,symbol,open,high,low,close[,adj_close][,volume]`, many symbols;
//! - **prices, one symbol**: Yahoo, Stooq, Alpha Vantage and EODHD exports, or a bare
//!   `Date,Close`; the symbol is the file stem (`IWO.csv` → `IWO`) or `data "…" as NAME`;
//! - **series**: a date column and one series per other column (FRED's `DATE,DFF`), or
//!   the one value column of a Bank of Korea ECOS download, named by the file.
//! - **FedWatch**: CME FedWatch exports, fed funds futures and FOMC calendar files, read by
//!   [`crate::fedwatch`]; [`DataSet::finish`], once every file is merged, puts them together
//!   into the `fed_*` series.
//!
//! Files are read as they come: UTF-8, CP949/EUC-KR or UTF-16 text (`encoding.rs`);
//! `,`, `;` or tab between fields and a decimal point or comma (`dialect.rs`); English or
//! Korean column names (`layout.rs`); dates with the year last read day-first or
//! month-first as decided from all of a file's dates (`date_order.rs`); raw prices made
//! continuous with split coefficients (`splits.rs`). Whatever was decided is a note for the
//! report's "Assumed"; what a person should look at is a [`DataWarning`].
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
mod columns_form;
pub mod date;
mod date_order;
mod day_cache;
mod dialect;
mod encoding;
mod error;
mod estimate;
mod gaps;
mod input;
mod issue;
mod layout;
mod load;
mod loaded;
mod plain;
mod price_builder;
mod price_notes;
mod price_rows;
mod prices;
mod record;
mod sanity;
mod series;
mod splits;
mod store;
mod symbol_index;
mod symbols;
pub(crate) mod two_cores;
mod two_scales;
mod unread;
mod warning;
mod zoned_dates;

pub use bundled::{BUNDLED_FILES, bundled, bundled_with, is_bundled_series, sample_columns};
pub use date::{DateOrder, Resolution, day_of, format_timestamp, parse_timestamp};
pub use error::{DataError, PeriodForm};
pub use load::{
    FOLDER_EXTENSIONS, LoadOptions, Release, is_folder_data, load_bytes, load_mapped, load_path, load_slice, load_str,
};
pub use loaded::LoadedData;
pub use store::{Column, DataSet, DividendHistory, Dividends, NameKind, PriceHistory, SeriesHistory, Times, Unloaded};
pub use unread::Unread;
pub use warning::DataWarning;

#[cfg(test)]
mod tests;
