//! Cash, holdings and fills. A buy never overdraws cash (it is shrunk to what is there);
//! a sell never goes below zero shares.

use compact_str::CompactString;
use serde::Serialize;

/// Costs and share rounding that apply to every fill.
#[derive(Clone, Copy, Debug)]
pub struct Costs {
    /// Fee as a fraction of the traded value.
    pub fee_rate: f64,
    /// Fixed fee per fill, in USD.
    pub fee_per_trade: f64,
    /// Slippage as a fraction of the price, against the trader.
    pub slippage: f64,
    pub whole_shares: bool,
}

/// One fill.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Trade {
    /// When it filled, as the data gives its times: `2024-01-31`, or `2024-01-31 09:30`
    /// for intraday bars. Held in the trade (no heap block up to 24 bytes), read as a
    /// `&str`.
    pub date: CompactString,
    /// The symbol's name, held the same way.
    pub symbol: CompactString,
    /// "buy" or "sell"
    pub side: &'static str,
    pub shares: f64,
    /// Price paid or received per share, after slippage.
    pub price: f64,
    /// shares × price
    pub value: f64,
    pub fee: f64,
    /// 1-based index of the rule that made the order (0 for the benchmark, a `delisted
    /// sell` sale, an exit and a dividend reinvested with `reinvest dividends`).
    pub rule: usize,
    /// The exit that sold, if one did: `stop_loss`, `take_profit` or `trailing_stop`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub exit: Option<crate::check::ExitKind>,
}

/// One fill as the loop writes it down: by bar and symbol index, formatted into a
/// [`Trade`] (its date as text, its symbol's name) only when the run's trades are read, at
/// the run's end. A sweep's variants only count their fills, so theirs never are.
#[derive(Clone, Copy, Debug)]
pub(super) struct Filled {
    /// The frame's bar and symbol.
    pub(super) bar: usize,
    pub(super) symbol: usize,
    pub(super) buy: bool,
    pub(super) shares: f64,
    pub(super) price: f64,
    pub(super) value: f64,
    pub(super) fee: f64,
    pub(super) rule: usize,
    pub(super) exit: Option<crate::check::ExitKind>,
}

impl Filled {
    /// The fill as the run's record shows it, with `frame`'s dates and names.
    pub(super) fn trade(&self, frame: &super::frame::Frame) -> Trade {
        Trade {
            date: CompactString::from(frame.resolution.format(frame.ts[self.bar])),
            symbol: CompactString::new(&frame.symbols[self.symbol].name),
            side: if self.buy { "buy" } else { "sell" },
            shares: self.shares,
            price: self.price,
            value: self.value,
            fee: self.fee,
            rule: self.rule,
            exit: self.exit,
        }
    }
}

/// A fill's price in its listing's own currency (`priced in KRW 069500.KS`): kept beside
/// the trades ([`super::Run::listed`]), not in them, so a run without such listings writes
/// its trades as ever.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct ListedPrice {
    /// The fill's index in the run's trades.
    pub trade: usize,
    /// The currency code, such as `KRW`.
    pub currency: String,
    /// The price per share in it (after slippage): the USD price times the bar's rate, to
    /// a millionth.
    pub price: f64,
}

/// The prices in their own currency of the `fills` of `priced`'s listings, at `rates`
/// (base currency per USD, by bar).
pub(super) fn listed(
    fills: &[Filled],
    frame: &super::frame::Frame,
    priced: &crate::check::Priced,
    rates: &[f64],
) -> Vec<ListedPrice> {
    (fills.iter().enumerate())
        .filter(|(_, f)| priced.has(&frame.symbols[f.symbol].name))
        .map(|(i, f)| ListedPrice {
            trade: i,
            currency: priced.code.clone(),
            price: (f.price * rates[f.bar] * 1e6).round() / 1e6,
        })
        .collect()
}

/// `fills` written down as trades ([`Filled::trade`]), in the same order. The fills are let
/// go as they are written, a block at a time from the end, so the two lists are never both
/// whole at once: at the end of a long run they are the largest things alive (at 20,000
/// fills, ~1.3 MB of fills beside ~3.6 MB of trades and their text).
pub(super) fn written(mut fills: Vec<Filled>, frame: &super::frame::Frame) -> Vec<Trade> {
    /// Fills (64 bytes each) written between two releases of the list's end.
    const BLOCK: usize = 2048;
    // The list grew by doubling: up to half of it is room never used, which would be
    // held beside the whole list of trades allocated next (the run's peak of memory).
    fills.shrink_to_fit();
    let mut trades = Vec::with_capacity(fills.len());
    while !fills.is_empty() {
        let from = fills.len().saturating_sub(BLOCK);
        trades.extend(fills[from..].iter().rev().map(|f| f.trade(frame)));
        fills.truncate(from);
        fills.shrink_to_fit();
    }
    trades.reverse();
    trades
}

/// Below this value (USD, the account's currency) a fill is not an order: a cent (issue 12
/// item 2: the 1e-12 USD of rounding residue left by a buy of all the cash was bought
/// again the next day as a "fill" of 1e-14 shares).
pub const MIN_ORDER_USD: f64 = 0.01;

/// The least a fill must leave of its value after its fee (USD): half a cent, so that
/// value − fee comes to at least a cent at the cent level. "A fee not smaller than the
/// value" compared exactly was decided by rounding dust: a 2 USD fee against a sale worth
/// 2.0000000000000906 USD (a rebalance leg's shares times its price) was placed by one
/// order of the arithmetic and not by another, for 9e-14 USD of net proceeds.
pub const MIN_NET_USD: f64 = MIN_ORDER_USD / 2.0;

/// How far below [`MIN_ORDER_USD`] or [`MIN_NET_USD`] a fill's value (or what its fee
/// leaves of it) may come and still meet it (USD): a ten-millionth of a cent. A value is a
/// floating-point product (shares × price, the shares being the amount ÷ the price), so an
/// order for exactly a cent came to 0.009999999999999998 USD on some prices and to 0.01 on
/// others: equal orders filled or not by rounding (28 of 1,258 daily orders of
/// `buy 0.01 USD` were refused). The rounding of such a product is a few units in its
/// 16th digit, far below this; an amount a user can write (a cent or more, or a fraction
/// of a cent below half a cent's remainder) is far above it, so the tolerance creates no
/// order and drops none.
pub const ROUNDING_USD: f64 = 1e-9;

/// A position of fewer shares than this is zero: what rounding leaves of a sold-out
/// holding is not a holding.
pub const SHARE_EPSILON: f64 = 1e-9;

/// What happened to an order, for the report's counters.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum FillOutcome {
    /// Filled: so many shares at so much a share (after slippage).
    Filled { shares: f64, price: f64 },
    /// Filled, but smaller than asked because cash ran short.
    Shrunk { shares: f64, price: f64 },
    /// Came to nothing (no cash, no position, or less than [`MIN_ORDER_USD`]): not a trade.
    Nothing,
    /// Not placed: the fee would be at least the fill's value (issue 12 item 3).
    FeeExceedsValue,
}

#[derive(Clone, Debug)]
pub struct Portfolio {
    pub cash: f64,
    /// Shares per frame symbol.
    pub shares: Vec<f64>,
    pub costs: Costs,
    pub fees_paid: f64,
    pub slippage_paid: f64,
    pub traded_value: f64,
}

impl Portfolio {
    pub fn new(symbols: usize, costs: Costs) -> Self {
        Portfolio {
            cash: 0.0,
            shares: vec![0.0; symbols],
            costs,
            fees_paid: 0.0,
            slippage_paid: 0.0,
            traded_value: 0.0,
        }
    }

    /// Spends up to `money` (fees included) on `sym` at `price` (before slippage).
    pub fn buy_value(&mut self, sym: usize, money: f64, price: f64) -> FillOutcome {
        let c = self.costs;
        let mut shrunk = false;
        let mut budget = money;
        if budget > self.cash {
            // Tiny differences are rounding, not a shrunk order.
            shrunk = budget - self.cash > 1e-9 * budget.max(1.0);
            budget = self.cash;
        }
        let fill_price = price * (1.0 + c.slippage);
        let mut shares = (budget - c.fee_per_trade) / (fill_price * (1.0 + c.fee_rate));
        if c.whole_shares {
            shares = shares.floor();
        }
        match self.place(sym, true, shares, fill_price, price) {
            FillOutcome::Filled { shares, price } if shrunk => FillOutcome::Shrunk { shares, price },
            outcome => outcome,
        }
    }

    /// Buys `shares` of `sym`, fewer if cash runs short.
    pub fn buy_shares(&mut self, sym: usize, shares: f64, price: f64) -> FillOutcome {
        let c = self.costs;
        let fill_price = price * (1.0 + c.slippage);
        let cost = shares * fill_price * (1.0 + c.fee_rate) + c.fee_per_trade;
        if cost > self.cash * (1.0 + 1e-12) {
            return match self.buy_value(sym, self.cash, price) {
                FillOutcome::Filled { shares, price } => FillOutcome::Shrunk { shares, price },
                outcome => outcome,
            };
        }
        let shares = if c.whole_shares { shares.floor() } else { shares };
        self.place(sym, true, shares, fill_price, price)
    }

    /// Sells up to `shares` of `sym` (never more than held).
    pub fn sell_shares(&mut self, sym: usize, shares: f64, price: f64) -> FillOutcome {
        let c = self.costs;
        let held = self.shares[sym];
        let mut q = shares.min(held);
        if c.whole_shares && q < held {
            q = q.floor();
        }
        let fill_price = price * (1.0 - c.slippage);
        self.place(sym, false, q, fill_price, price)
    }

    /// Moves shares and cash for a buy or sell of `q` shares at `fill_price`, unless it is
    /// not an order: no shares (a budget that does not cover the fixed fee asks for fewer
    /// than none), worth less than [`MIN_ORDER_USD`], or a fee that leaves less than a cent
    /// of its value ([`MIN_NET_USD`]; a fee as large as the value would take more than the
    /// fill is worth, and on a sell could take cash below zero). Both are compared within
    /// [`ROUNDING_USD`], so an order's floating-point value decides nothing.
    fn place(&mut self, sym: usize, buy: bool, q: f64, fill_price: f64, price: f64) -> FillOutcome {
        let c = self.costs;
        let value = q * fill_price;
        // NaN compares false: a NaN price or share count is no order either.
        if !(q > 0.0 && fill_price > 0.0 && value >= MIN_ORDER_USD - ROUNDING_USD) {
            return FillOutcome::Nothing;
        }
        let fee = value * c.fee_rate + c.fee_per_trade;
        if value - fee < MIN_NET_USD - ROUNDING_USD {
            return FillOutcome::FeeExceedsValue;
        }
        if buy {
            self.cash -= value + fee;
        } else {
            self.cash += value - fee;
        }
        // Rounding must never leave a negative balance behind.
        if self.cash < 0.0 && self.cash > -1e-6 {
            self.cash = 0.0;
        }
        self.shares[sym] += if buy { q } else { -q };
        if self.shares[sym].abs() < SHARE_EPSILON {
            self.shares[sym] = 0.0;
        }
        self.fees_paid += fee;
        self.slippage_paid += q * (fill_price - price).abs();
        self.traded_value += value;
        FillOutcome::Filled {
            shares: q,
            price: fill_price,
        }
    }

    /// The fee of a fill of `value`.
    pub fn fee(&self, value: f64) -> f64 {
        value * self.costs.fee_rate + self.costs.fee_per_trade
    }

    /// Cash plus holdings at the given prices (NaN prices count as 0 holdings value).
    pub fn value(&self, prices: impl Fn(usize) -> f64) -> f64 {
        self.cash + self.invested(prices)
    }

    pub fn invested(&self, prices: impl Fn(usize) -> f64) -> f64 {
        self.shares
            .iter()
            .enumerate()
            .filter(|(_, q)| **q != 0.0)
            .map(|(i, q)| {
                let p = prices(i);
                if p.is_nan() { 0.0 } else { q * p }
            })
            .sum()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fills_are_written_in_their_order_over_several_blocks() {
        // 5,000 daily bars of one symbol from 1970-01-01; a fill on every bar but the
        // multiples of 7, buys and sells in turn.
        let n = 5_000;
        let ts: Vec<i64> = (0..n).map(|d| d * 86_400).collect();
        let prices: Vec<f64> = (0..n).map(|i| 1.0 + i as f64).collect();
        let history = crate::data::PriceHistory {
            symbol: "AAA".into(),
            file: "AAA.csv".into(),
            ts: ts.into(),
            open: prices.clone().into(),
            high: prices.clone().into(),
            low: prices.clone().into(),
            close: prices.into(),
            adj_close: None,
            volume: None,
            dividends: None,
            open_is_close: false,
            close_is_adjusted: false,
        };
        let data = crate::data::DataSet {
            prices: vec![history],
            ..Default::default()
        };
        let frame = super::super::frame::Frame::build(&data, &["AAA".to_owned()], &[], &[], &[], None);
        let fills: Vec<Filled> = (0..n as usize)
            .filter(|bar| bar % 7 != 0)
            .map(|bar| Filled {
                bar,
                symbol: 0,
                buy: bar % 2 == 0,
                shares: bar as f64,
                price: 2.0,
                value: 2.0 * bar as f64,
                fee: 0.5,
                rule: bar % 3,
                exit: None,
            })
            .collect();
        let trades = written(fills.clone(), &frame);
        assert_eq!(trades.len(), fills.len());
        for (trade, fill) in trades.iter().zip(&fills) {
            assert_eq!(trade, &fill.trade(&frame));
        }
        // Bar 1 is 1970-01-02, the last (4,999, not a multiple of 7) 1983-09-09.
        assert_eq!((&trades[0].date[..], trades[0].side), ("1970-01-02", "sell"));
        assert_eq!(trades[trades.len() - 1].date, "1983-09-09");
        assert!(written(Vec::new(), &frame).is_empty());
    }

    fn portfolio(cash: f64, fee_per_trade: f64) -> Portfolio {
        let mut pf = Portfolio::new(
            1,
            Costs {
                fee_rate: 0.0,
                fee_per_trade,
                slippage: 0.0,
                whole_shares: false,
            },
        );
        pf.cash = cash;
        pf
    }

    #[test]
    fn rounding_residue_is_not_an_order() {
        // 1000 / 9.5 shares cost 999.9999999999999 in f64: 1.1e-13 USD stays behind.
        let mut pf = portfolio(1000.0, 0.0);
        assert!(matches!(pf.buy_value(0, 1000.0, 9.5), FillOutcome::Filled { .. }));
        assert!(pf.cash > 0.0 && pf.cash < 1e-12, "residue {}", pf.cash);
        assert_eq!(pf.buy_value(0, pf.cash, 10.0), FillOutcome::Nothing);
        // A cent is an order; 0.99 of a cent is not.
        let mut pf = portfolio(1.0, 0.0);
        assert_eq!(pf.buy_value(0, 0.0099, 1.0), FillOutcome::Nothing);
        assert_eq!(
            pf.buy_value(0, 0.01, 1.0),
            FillOutcome::Filled {
                shares: 0.01,
                price: 1.0
            }
        );
    }

    #[test]
    fn a_fee_not_smaller_than_the_value_is_not_paid() {
        // 1 USD a trade: selling 0.02 shares at 10 (0.20 USD) would pay 1 USD for it.
        let mut pf = portfolio(0.0, 1.0);
        pf.shares[0] = 10.0;
        assert_eq!(pf.sell_shares(0, 0.02, 10.0), FillOutcome::FeeExceedsValue);
        // Exactly the fee's worth (0.1 shares at 10 = 1 USD) is not placed either, and a
        // budget below the fee buys nothing (it must not turn into a sell).
        assert_eq!(pf.buy_value(0, 0.5, 10.0), FillOutcome::Nothing);
        assert_eq!(pf.sell_shares(0, 0.1, 10.0), FillOutcome::FeeExceedsValue);
        assert_eq!((pf.cash, pf.shares[0], pf.fees_paid), (0.0, 10.0, 0.0));
        // 2 USD of cash would buy 1 USD of shares for a 1 USD fee: not placed; 3 USD buys
        // 2 USD of shares and pays the fee.
        let mut pf = portfolio(2.0, 1.0);
        assert_eq!(pf.buy_value(0, 2.0, 1.0), FillOutcome::FeeExceedsValue);
        let mut pf = portfolio(3.0, 1.0);
        assert_eq!(
            pf.buy_value(0, 3.0, 1.0),
            FillOutcome::Filled {
                shares: 2.0,
                price: 1.0
            }
        );
        assert_eq!(pf.cash, 0.0);
    }

    #[test]
    fn a_fee_equal_to_the_value_is_not_paid_whichever_way_rounding_went() {
        // The property test's case (seed 77): a 2 USD fee against a sale the reference
        // valued at 2.0000000000000906 USD and rotor at a hair less. Neither is placed:
        // 9e-14 USD left after the fee is no fill.
        for q in [2.0000000000000906, 2.0, 1.9999999999999998, 2.004] {
            let mut pf = portfolio(0.0, 2.0);
            pf.shares[0] = 10.0;
            assert_eq!(pf.sell_shares(0, q, 1.0), FillOutcome::FeeExceedsValue, "{q}");
            assert_eq!((pf.cash, pf.fees_paid), (0.0, 0.0));
        }
        // 2.01 USD for a 2 USD fee leaves a cent (0.00999… in f64): placed.
        let mut pf = portfolio(0.0, 2.0);
        pf.shares[0] = 10.0;
        assert!(matches!(pf.sell_shares(0, 2.01, 1.0), FillOutcome::Filled { .. }));
        assert!((pf.cash - 0.01).abs() < 1e-12, "{}", pf.cash);
        // The same on a buy: 4 USD (and dust) for 2 USD of shares and a 2 USD fee is not
        // placed; 4.01 USD is.
        for cash in [4.0, 4.000000000000001] {
            let mut pf = portfolio(cash, 2.0);
            assert_eq!(pf.buy_value(0, cash, 1.0), FillOutcome::FeeExceedsValue, "{cash}");
        }
        let mut pf = portfolio(4.01, 2.0);
        assert!(matches!(pf.buy_value(0, 4.01, 1.0), FillOutcome::Filled { .. }));
    }

    proptest::proptest! {
        /// Finding 10 of the eighth attack: whether an order is at least a cent was decided
        /// on the floating-point product (amount ÷ price) × price, so `buy 0.01 USD` filled
        /// on some prices and not on others. For any price, an amount of whole cents (or a
        /// sale of that value) fills, with no fee or with a fixed fee that leaves at least
        /// half a cent of it; less than half a cent never does.
        #[test]
        fn whole_cents_fill_at_any_price_and_less_than_half_a_cent_never(
            price_cents in 1u32..10_000_000,
            cents in 1u32..1_000_000,
            tenths_of_a_cent in 0u32..5,
            fee_mils in 0u32..10_000,
        ) {
            // Prices as data files give them, to the cent.
            let price = f64::from(price_cents) / 100.0;
            let amount = f64::from(cents) / 100.0;
            let mut pf = portfolio(amount, 0.0);
            proptest::prop_assert!(
                matches!(pf.buy_value(0, amount, price), FillOutcome::Filled { .. }),
                "buy {amount} USD at {price}"
            );
            let mut pf = portfolio(0.0, 0.0);
            pf.shares[0] = 2.0 * amount / price;
            proptest::prop_assert!(
                matches!(pf.sell_shares(0, amount / price, price), FillOutcome::Filled { .. }),
                "sell {amount} USD at {price}"
            );
            // A fixed fee of `fee_mils` tenths of a cent, paid out of the budget: what it
            // leaves of the value is at least half a cent when cents × 10 − fee_mils ≥ 5.
            let fee = f64::from(fee_mils) / 1000.0;
            let budget = amount + fee;
            let mut pf = portfolio(budget, fee);
            let outcome = pf.buy_value(0, budget, price);
            if cents * 10 >= fee_mils + 5 {
                proptest::prop_assert!(
                    matches!(outcome, FillOutcome::Filled { .. }),
                    "buy {budget} USD with a {fee} USD fee at {price}: {outcome:?}"
                );
            } else {
                proptest::prop_assert_eq!(outcome, FillOutcome::FeeExceedsValue);
            }
            // The least order, a cent (and a cent and a half with half a cent of fee), at
            // this price: the amounts where rounding decided.
            for (budget, fee) in [(0.01, 0.0), (0.015, 0.005)] {
                let mut pf = portfolio(budget, fee);
                let outcome = pf.buy_value(0, budget, price);
                proptest::prop_assert!(
                    matches!(outcome, FillOutcome::Filled { .. }),
                    "buy {budget} USD with a {fee} USD fee at {price}: {outcome:?}"
                );
            }
            // Less than half a cent: never an order, whatever the price.
            let dust = f64::from(tenths_of_a_cent) / 1000.0 + 0.000_9;
            let mut pf = portfolio(1.0, 0.0);
            proptest::prop_assert!(dust < 0.005);
            proptest::prop_assert_eq!(pf.buy_value(0, dust, price), FillOutcome::Nothing);
        }
    }

    #[test]
    fn an_order_for_exactly_a_cent_fills_whatever_the_rounding_of_its_value() {
        // 0.01 / 2.55 × 2.55 is 0.009999999999999998 in f64: a buy of a cent at 2.55 USD
        // was refused while the same buy at 2 USD filled.
        let p = std::hint::black_box(2.55);
        assert!(0.01 / p * p < 0.01);
        for price in [2.0, 2.55] {
            let mut pf = portfolio(1.0, 0.0);
            assert!(
                matches!(pf.buy_value(0, 0.01, price), FillOutcome::Filled { .. }),
                "{price}"
            );
        }
        // 0.015 USD with a 0.005 USD fee: 0.015 − 0.005 is 0.009999999999999998 in f64.
        let fee = std::hint::black_box(0.005);
        assert!(0.015 - fee < 0.01);
        let mut pf = portfolio(1.0, 0.005);
        assert!(matches!(pf.buy_value(0, 0.015, 7.0), FillOutcome::Filled { .. }));
    }

    #[test]
    fn a_position_below_the_share_epsilon_is_zero() {
        let mut pf = portfolio(0.0, 0.0);
        pf.shares[0] = 100.0;
        // Selling 100 − 1e-10 shares leaves 1e-10: not a holding.
        assert!(matches!(
            pf.sell_shares(0, 100.0 - 1e-10, 10.0),
            FillOutcome::Filled { .. }
        ));
        assert_eq!(pf.shares[0], 0.0);
    }
}
