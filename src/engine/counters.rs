//! What a run counts besides its trades, for the report.

/// Counts the report states, so nothing the engine skipped goes unmentioned.
#[derive(Clone, Debug, Default, PartialEq, serde::Serialize)]
pub struct Counters {
    /// Orders placed by rules.
    pub orders: usize,
    /// Fills (each leg of a rebalance counts).
    pub trades: usize,
    /// Buys shrunk to the cash available: an order's, or a rebalance or rotation leg's
    /// shrunk by a cent or more.
    pub shrunk_orders: usize,
    /// Orders that came to nothing (no cash, no position, less than a cent); not trades.
    /// Those that had waited for a price are counted in `empty_after_waiting` instead.
    pub empty_orders: usize,
    /// Orders (and rebalance legs) that found no price for their symbol on the bar they
    /// were to fill (no row that bar: a gap in its file, a rarer file beside a daily one,
    /// or its file ended) and waited for its next row; each counted once.
    pub waited_for_price: usize,
    /// Orders that waited for a price and came to nothing when it came (the cash spent, or
    /// the position sold, by then).
    pub empty_after_waiting: usize,
    /// Orders and rebalance legs not placed because the fee would have been at least the
    /// fill's value.
    pub fee_exceeds_value: usize,
    /// Rotation candidates left out of a ranking: no row on any of the last five trading
    /// days (a file that has ended, a long halt).
    pub not_ranked_no_price: usize,
    /// Orders for a symbol that had no price yet (before its history starts).
    pub skipped_not_listed: usize,
    /// Scheduled checks where a guard read a value not yet available (and so was false).
    pub guards_not_available: usize,
    /// Orders still waiting for a fill when the data ended.
    pub pending_at_end: usize,
    /// Contributions in the base currency never credited: no exchange rate was available
    /// from the day each was due to the end of the data.
    pub contributions_skipped: usize,
    /// Contributions in the base currency credited on a later bar than the one they were
    /// due on, the first with an exchange rate (at that bar's rate).
    pub contributions_late_no_rate: usize,
    /// Sales made by `stop loss`, `take profit` and `trailing stop`.
    pub exits: ExitCounts,
    /// Scheduled checks whose guards passed but whose rule was within its cooldown (`at
    /// most once per …`), or still had an order waiting.
    pub cooldown_skipped: usize,
    /// Withdrawals in the base currency skipped because the exchange rate was not available.
    pub withdrawals_skipped: usize,
    /// Orders not placed because their computed amount (`(2 * base) USD`) was not available.
    pub amount_not_available: usize,
    /// Orders not placed because their computed amount was zero or negative.
    pub amount_not_positive: usize,
    /// `weighted by` rebalances placed with some symbols' weights unresolved (not available,
    /// negative or infinite, or no current price): those got 0, the rest were renormalised.
    pub weights_partly_resolved: usize,
    /// `weighted by` rebalances not placed: no symbol's weight resolved (or all were 0).
    pub weights_unresolved: usize,
}

/// Sales made by each kind of exit.
#[derive(Clone, Debug, Default, PartialEq, serde::Serialize)]
pub struct ExitCounts {
    pub stop_loss: usize,
    pub take_profit: usize,
    pub trailing_stop: usize,
}

impl Counters {
    /// Counts a sale made by an exit.
    pub(super) fn count_exit(&mut self, kind: crate::check::ExitKind) {
        use crate::check::ExitKind as K;
        match kind {
            K::StopLoss => self.exits.stop_loss += 1,
            K::TakeProfit => self.exits.take_profit += 1,
            K::TrailingStop => self.exits.trailing_stop += 1,
        }
    }
}
