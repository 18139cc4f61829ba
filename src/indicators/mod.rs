//! The built-in technical indicators, as streaming state machines.
//!
//! The engine feeds each indicator one bar at a time, in date order, and reads back the
//! value for that bar: `update(x)` takes this bar's value and returns this bar's result.
//! There is deliberately no function that takes a whole series, so no indicator can look
//! ahead by construction.
//!
//! Conventions shared by every indicator:
//! - **Not available in, state unchanged.** A NaN input means the series is not available
//!   on this bar: `update` returns NaN and the bar is skipped, as if it never happened (the
//!   next change, return or window slot is taken across the gap). Infinite inputs are
//!   treated the same way, so one bad value cannot poison a running sum forever.
//! - **NaN out means "not yet available"**: too little history for the result (the warm-up,
//!   documented on each type), or a result that is undefined on this bar (a return out of
//!   a zero price, a z-score of a flat window).
//! - **Windows count values**: `n` is a number of available bars, `n >= 1` (`n >= 2` for the
//!   sample standard deviations). Constructors assume it was validated by the caller and
//!   panic otherwise; durations are converted to bar counts before.
//! - **O(1) per update** (amortised O(1) for [`Highest`] and [`Lowest`]; O(n) for the
//!   rank-based [`PercentRank`] and [`Percentile`], a shift in a sorted window, and for
//!   [`Comovement`], recomputed in two passes), and no allocation after `new`.
//! - **No drift**: running sums are compensated and rebuilt from their window every `n`
//!   updates, so after millions of bars a result still agrees with a from-scratch
//!   recomputation to about 1e-9 relative.

mod atr;
mod bars_since;
mod bollinger;
mod change;
mod compensated_sum;
mod correlation;
mod drawdown;
mod ema;
mod highest;
mod lag;
mod lowest;
mod macd;
mod monotonic_window;
mod percent_rank;
mod percentile;
mod returns;
mod rolling_moments;
mod rsi;
mod sma;
mod sorted_window;
mod stdev;
#[cfg(test)]
mod testing;
mod volatility;
mod window;
mod wma;
mod zscore;

pub use atr::Atr;
pub use bars_since::BarsSince;
pub use bollinger::{Bollinger, BollingerValue};
pub use change::Change;
pub use correlation::{Comovement, Measure};
pub use drawdown::Drawdown;
pub use ema::Ema;
pub use highest::Highest;
pub use lag::Lag;
pub use lowest::Lowest;
pub use macd::{Macd, MacdValue};
pub use percent_rank::PercentRank;
pub use percentile::Percentile;
pub use returns::Return;
pub use rsi::Rsi;
pub use sma::Sma;
pub use stdev::Stdev;
pub use volatility::Volatility;
pub use wma::Wma;
pub use zscore::Zscore;
