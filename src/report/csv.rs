//! The CSV files `rotor run` writes: every fill (`--trades FILE`) and the equity curve
//! (`--equity FILE`). Numbers are written in full, unrounded, for other programs to read;
//! in the equity file, figures within rounding of zero are 0 ([`super::zero`]).

use super::Report;
use super::zero::clean;

/// `date,symbol,side,shares,price,value,fee,rule,exit`: one row a fill; `exit` names the
/// exit that sold (`stop_loss`, `take_profit`, `trailing_stop`), empty for other fills.
/// Prices and values are USD. With listings priced in the base currency (`priced in KRW`)
/// two columns follow, `listing_currency,listing_price`: each fill's currency and price in
/// it (`USD` and the same price for the other listings).
pub fn trades(report: &Report) -> String {
    let listed = !report.listed.is_empty();
    let mut own = report.listed.iter().peekable();
    let mut s = String::from("date,symbol,side,shares,price,value,fee,rule,exit");
    s.push_str(if listed {
        ",listing_currency,listing_price\n"
    } else {
        "\n"
    });
    for (i, t) in report.trades.iter().enumerate() {
        let exit = t.exit.map_or("", |e| e.key());
        s.push_str(&format!(
            "{},{},{},{},{},{},{},{},{exit}",
            t.date, t.symbol, t.side, t.shares, t.price, t.value, t.fee, t.rule
        ));
        match own.next_if(|l| l.trade == i) {
            Some(l) => s.push_str(&format!(",{},{}", l.currency, l.price)),
            None if listed => s.push_str(&format!(",USD,{}", t.price)),
            None => {}
        }
        s.push('\n');
    }
    s
}

/// `date,equity,cash_flow,invested`: one row a bar, in USD; no `-0`, no `1e-13`. The date
/// has the data's resolution: `2024-01-02 09:31` for one-minute bars.
pub fn equity(report: &Report) -> String {
    let c = &report.curve;
    let mut s = String::from("date,equity,cash_flow,invested\n");
    for (i, flow) in c.flows.iter().take(c.days.len()).enumerate() {
        s.push_str(&format!(
            "{},{},{},{}\n",
            c.resolution.format(c.ts[i]),
            clean(c.equity[i]),
            clean(flow),
            clean(c.invested[i])
        ));
    }
    s
}
