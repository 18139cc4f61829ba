//! The CSV files `rotor run` writes: every fill (`--trades FILE`) and the equity curve
//! (`--equity FILE`). Numbers are written in full, unrounded, for other programs to read.

use super::Report;

/// `date,symbol,side,shares,price,value,fee,rule`: one row a fill.
pub fn trades(report: &Report) -> String {
    let mut s = String::from("date,symbol,side,shares,price,value,fee,rule\n");
    for t in &report.trades {
        s.push_str(&format!(
            "{},{},{},{},{},{},{},{}\n",
            t.date, t.symbol, t.side, t.shares, t.price, t.value, t.fee, t.rule
        ));
    }
    s
}

/// `date,equity,cash_flow,invested`: one row a bar, in USD.
pub fn equity(report: &Report) -> String {
    let c = &report.curve;
    let mut s = String::from("date,equity,cash_flow,invested\n");
    for i in 0..c.days.len() {
        s.push_str(&format!(
            "{},{},{},{}\n",
            crate::engine::date_of(c.days[i]),
            c.equity[i],
            c.flows[i],
            c.invested[i]
        ));
    }
    s
}
