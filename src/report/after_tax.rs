//! What the investor keeps: the after-tax figures (`metrics.after_tax`) and the summary's
//! "After tax and costs" block. The engine's money record (src/money/) has the amounts;
//! this turns them into the final value and XIRR the investor would have after settling
//! the tax still due, and into words.

use serde::Serialize;

use super::number::money;
use super::run_report::Report;
use super::xirr::xirr;
use crate::engine::{Flows, Run};
use crate::money::{MoneyRecord, Netting, TaxRule};

/// The final value and XIRR after the tax still due at the end of the run is paid (tax
/// already paid left the account as it fell due, so every figure already counts it), and
/// the same if every holding were also sold at the last close: unrealized gains owe tax
/// too, which without this makes buy-and-hold look untaxed.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct AfterTax {
    /// Final value less the tax due, in the figures' currency.
    pub final_value: f64,
    /// XIRR of the investor's flows with that final value (`None` if there is no solution).
    pub xirr: Option<f64>,
    /// The tax due subtracted, in the figures' currency.
    pub taxes_due: f64,
    /// Final value less the tax due and the tax selling everything at the last close would
    /// add under the same rule (no fee or slippage on that sale).
    pub final_value_if_sold: f64,
    /// XIRR with that final value.
    pub xirr_if_sold: Option<f64>,
    /// The tax that sale would add, in the figures' currency.
    pub taxes_if_sold: f64,
}

/// The after-tax figures of `run` in USD, or in the base currency when `base`: its curve
/// and flows with the final value less the tax due. `None` without a tax rule.
pub fn after_tax(run: &Run, base: Option<&crate::engine::run::BaseCurve>, tax: Option<&TaxRule>) -> Option<AfterTax> {
    let rule = tax?;
    let m: &MoneyRecord = &run.money;
    match base {
        Some(b) => {
            // A USD rule's tax is worth its dollars at the last day's rate.
            let usd_to_base = match (run.equity.last(), b.equity.last()) {
                (Some(&usd), Some(&base)) if usd != 0.0 => base / usd,
                _ => 1.0,
            };
            let (due, if_sold) = if rule.in_base {
                (m.taxes_due_in_rule_currency, m.taxes_if_sold_in_rule_currency)
            } else {
                (m.taxes_due * usd_to_base, m.taxes_if_sold * usd_to_base)
            };
            figures(&run.days, &b.equity, &b.flows, due, if_sold)
        }
        None => figures(&run.days, &run.equity, &run.flows, m.taxes_due, m.taxes_if_sold),
    }
}

/// The final value less `due` (and less `if_sold` too), and the XIRR of the investor's
/// flows (each bar's flow put in, the final value taken out on the last day), as
/// [`super::metrics::Metrics::xirr`].
fn figures(days: &[i32], equity: &[f64], flows: &Flows, due: f64, if_sold: f64) -> Option<AfterTax> {
    let last = *days.last()?;
    let investor: Vec<(i32, f64)> = (days.iter().zip(flows))
        .filter(|(_, f)| *f != 0.0)
        .map(|(d, f)| (*d, -f))
        .collect();
    let rate = |value: f64| {
        let mut flows = investor.clone();
        flows.push((last, value));
        xirr(&flows)
    };
    let final_value = equity.last().copied().unwrap_or(0.0) - due;
    Some(AfterTax {
        final_value,
        xirr: rate(final_value),
        taxes_due: due,
        final_value_if_sold: final_value - if_sold,
        xirr_if_sold: rate(final_value - if_sold),
        taxes_if_sold: if_sold,
    })
}

/// The summary's block: interest, FX costs, withdrawals, taxes by year, and the after-tax
/// figures. Empty when the strategy asks for none of them.
pub fn render(report: &Report) -> String {
    let c = &report.costs;
    let code = report.base_currency.as_ref().map(|b| b.code.as_str());
    let mut out = String::new();
    match &report.tax {
        None if c.interest_earned == 0.0 && c.fx_costs == 0.0 && c.dividends_received == 0.0 => {}
        None => out.push_str(&format!(
            "\nCosts and income: interest earned {} USD, FX costs {} USD\n{}",
            money(c.interest_earned),
            money(c.fx_costs),
            dividends(c, code)
        )),
        Some(tax) => {
            out.push_str(&format!("\nAfter tax and costs (tax {}):\n", tax.rule));
            out.push_str(&format!(
                "  Interest earned {} USD, FX costs {} USD, taxes paid {} USD, taxes due at the end {} USD\n",
                money(c.interest_earned),
                money(c.fx_costs),
                money(c.taxes_paid),
                money(c.taxes_due)
            ));
            out.push_str(&dividends(c, code));
            out.push_str(&years(tax));
        }
    }
    let w = withdrawals(report);
    if out.is_empty() && !w.is_empty() {
        out.push_str("\nWithdrawals:\n");
    }
    out.push_str(&w);
    if report.tax.is_none() {
        return out;
    }
    let line = |label: &str, unit: &str, gross: &super::metrics::Metrics| {
        gross.after_tax.as_ref().map(|a| {
            format!(
                "  {label}: final value {} {unit} after tax ({} before), XIRR {} after tax ({} before); \
                 if sold on the last day {} {unit}, XIRR {}\n",
                money(a.final_value),
                money(gross.final_value),
                pct(a.xirr),
                pct(gross.xirr),
                money(a.final_value_if_sold),
                pct(a.xirr_if_sold)
            )
        })
    };
    out.extend(line("Strategy", "USD", &report.metrics));
    if let Some(base) = &report.base_currency {
        out.extend(line("Strategy", &base.code, &base.metrics));
    }
    if let Some(b) = &report.benchmark {
        let bc = &b.costs;
        out.push_str(&format!(
            "  {} (buy & hold), the same rules: interest earned {} USD, FX costs {} USD, taxes paid {} USD, \
             taxes due at the end {} USD\n",
            b.symbol,
            money(bc.interest_earned),
            money(bc.fx_costs),
            money(bc.taxes_paid),
            money(bc.taxes_due)
        ));
        out.extend(line(&format!("{} (buy & hold)", b.symbol), "USD", &b.metrics));
    }
    if let (Some(b), Some(base)) = (&report.benchmark, &report.base_currency)
        && let Some(m) = &base.benchmark
    {
        out.extend(line(&format!("{} (buy & hold)", b.symbol), &base.code, m));
    }
    out
}

/// The dividends line of the block: received and withheld, in USD and in the base
/// currency; empty when none was paid.
fn dividends(c: &super::run_report::Costs, code: Option<&str>) -> String {
    if c.dividends_received == 0.0 {
        return String::new();
    }
    let base = match (c.dividends_received_base, c.withholding_tax_base) {
        (Some(received), Some(withheld)) => format!(
            " ({} and {} {} at the ex-dates' rates)",
            money(received),
            money(withheld),
            code.unwrap_or("in the base currency")
        ),
        _ => String::new(),
    };
    format!(
        "  Dividends received {} USD, tax withheld from them {} USD{base}\n",
        money(c.dividends_received),
        money(c.withholding_tax)
    )
}

/// Each tax year's line.
fn years(tax: &super::run_report::TaxReport) -> String {
    let mut out = String::new();
    for y in &tax.years {
        out.push_str(&format!("  {}: {}\n", y.year, year_line(y, &tax.currency)));
    }
    out
}

/// A tax year in words, amounts in `unit`: "net gain …, taxable …, tax …, paid 2025-06-02"
/// (the text summary's line and the HTML report's costs row).
pub fn year_line(y: &crate::money::tax::TaxYear, unit: &str) -> String {
    let when = match (&y.paid_on, y.withheld_at_sale) {
        // A sale without an exchange rate: the year's gain, and so its tax, is unknown.
        _ if y.tax.is_nan() => "unknown: a sale without an exchange rate (see Assumed)".to_string(),
        (_, true) => "withheld at each sale".to_string(),
        (Some(d), false) => format!("paid {d}"),
        (None, false) => "due".to_string(),
    };
    let net = if y.withheld_at_sale {
        "gains less losses"
    } else {
        "net gain"
    };
    format!(
        "{net} {} {unit}, taxable {} {unit}, tax {} {unit}, {when}",
        money(y.net_gain),
        money(y.taxable),
        money(y.tax)
    )
}

/// What `withdraw` took out, and each withdrawal the account could not pay in full.
fn withdrawals(report: &Report) -> String {
    let c = &report.costs;
    if c.withdrawn == 0.0 && c.withdrawals_short.is_empty() {
        return String::new();
    }
    let mut out = format!("  Withdrawn {} USD", money(c.withdrawn));
    if let (Some(b), Some(base)) = (c.withdrawn_base, &report.base_currency) {
        out.push_str(&format!(" ({} {} received)", money(b), base.code));
    }
    out.push('\n');
    for w in &c.withdrawals_short {
        out.push_str(&format!(
            "  Withdrawal on {} short: asked {} USD, paid {} USD (all the account could raise that day)\n",
            w.date,
            money(w.asked),
            money(w.paid)
        ));
    }
    out
}

/// What the money settings assumed, in words, for the report's "Assumed" list.
pub fn assumptions(program: &crate::check::Program, run: &Run, adjusted: Option<&[String]>) -> Vec<String> {
    let m = &program.money;
    let mut out = Vec::new();
    if run.money.interest_days_without_rate > 0 {
        out.push(format!(
            "No interest on cash on {} calendar days on which the interest rate series had no value yet.",
            run.money.interest_days_without_rate
        ));
    }
    if run.money.dividends_without_rate > 0 {
        let (were, they) = if run.money.dividends_without_rate == 1 {
            ("was", "it is")
        } else {
            ("were", "they are")
        };
        out.push(format!(
            "{} {were} paid on a day without an exchange rate (none yet, or older than \
             `stale … after`): {they} in the USD figures but left out of the base-currency dividend totals.",
            crate::display::count(run.money.dividends_without_rate as usize, "dividend")
        ));
    }
    if run.money.sales_without_rate > 0 && program.currency.is_some() {
        let n = run.money.sales_without_rate as usize;
        let (has, its) = if n == 1 {
            ("has", "its year's")
        } else {
            ("have", "their years'")
        };
        let tax = if m.tax.as_ref().is_some_and(|t| t.in_base) {
            format!(
                " and {its} tax under `tax {}` is unknown (shown as `-`, not paid)",
                m.tax.as_ref().map_or("", |t| t.name.as_str())
            )
        } else {
            String::new()
        };
        out.push(format!(
            "{} {has} no gain in the base currency: the sale, or the purchase of a lot it closed, fell on a day \
             without an exchange rate (none yet, or older than `stale … after`){tax}.",
            crate::display::count(n, "sale")
        ));
    }
    if m.dividends.is_none() && m.dividend_tax > 0.0 {
        out.push(
            "Dividends stay inside the prices (an adjusted close, or none in a raw one): nothing is \
             withheld from them; `dividends cash` with data that has dividends pays them, less the \
             withholding."
                .to_string(),
        );
    }
    if !program.withdrawals.is_empty() {
        out.push(
            "Withdrawals are paid at the close of their days: from cash first, then by selling every holding \
             that trades that day in proportion to its value, closing lots by the cost basis (docs/TAXES.md)."
                .to_string(),
        );
    }
    out.extend(short_withdrawals(&run.money));
    let Some(rule) = &m.tax else { return out };
    if let Some(symbols) = adjusted {
        out.push(format!(
            "Capital gains for tax are measured on prices adjusted for dividends ({}): dividends \
             reinvested in them count as capital gains, taxed at the capital-gains rate.",
            symbols.join(", ")
        ));
    }
    let basis = match m.basis {
        crate::money::Basis::Fifo => "first in, first out",
        crate::money::Basis::Average => "at the moving average cost",
    };
    let when = match rule.netting {
        Netting::Yearly => "each year's tax is paid on the first trading day on or after May 31 of the next year",
        Netting::Sale => {
            "each sale's gain in KRW (lots at their buy days' rates) is taxed on its own, withheld from \
             the proceeds, with no deduction and no netting of losses; the law taxes the lesser of that gain \
             and the gain of the fund's tax-base price (과세표준기준가격), which rotor does not have"
        }
        Netting::Account => {
            "gains and losses of every sale are netted over the account's life and taxed when it is \
             closed, at the end of the run; the 3-year minimum holding period is not checked"
        }
    };
    out.push(format!(
        "Tax `{}`: sales close lots {basis}; {when}; tax not yet paid at the end is due and subtracted in \
         the after-tax figures (docs/TAXES.md).",
        rule.name
    ));
    out.extend(proxy_funds(program, rule.netting));
    if rule.netting == Netting::Account {
        out.extend(isa_over_limit(run));
    }
    if program.currency.is_some() && m.fx_spread == 0.0 {
        out.push("Currency conversions are at the mid rate: no `fx spread`.".to_string());
    }
    if run.money.taxes_paid_from_outside > 0.0 {
        out.push(format!(
            "Cash was short of the tax due: {} USD of tax was paid from outside the account, \
             counted as contributions on the days it was paid.",
            money(run.money.taxes_paid_from_outside)
        ));
    }
    out
}

/// Under `tax korea-listed` and `account isa` the account holds funds listed in Korea; a
/// traded symbol that is not a Korean listing (`IWO`) nor `priced in KRW` stands for such a
/// fund tracking it, priced at its own price (docs/TAXES.md). `None` under the other rules,
/// or when every traded symbol is a Korean listing.
fn proxy_funds(program: &crate::check::Program, netting: Netting) -> Option<String> {
    use crate::calendar::Exchange;
    let why = match netting {
        Netting::Sale => "the rule taxes funds listed in Korea",
        Netting::Account => "an ISA cannot hold a US-listed ETF",
        Netting::Yearly => return None,
    };
    let foreign: Vec<&str> = (program.traded.iter())
        .filter(|s| Exchange::of_symbol(s) != Exchange::Krx && !program.is_priced_in_base(s))
        .map(String::as_str)
        .collect();
    let (what, its) = match foreign.as_slice() {
        [] => return None,
        [one] => (format!("{one} stands for a Korean-listed fund that tracks it"), "its"),
        many => (
            format!("{} stand for Korean-listed funds that track them", many.join(", ")),
            "their",
        ),
    };
    Some(format!(
        "{what} ({why}): valued at {its} own price times the day's rate, as an unhedged fund roughly is; such \
         a fund's own fees and tracking difference are not modelled (docs/TAXES.md)."
    ))
}

/// Each withdrawal the account could not pay in full, in words.
fn short_withdrawals(m: &MoneyRecord) -> Vec<String> {
    (m.withdrawals_short.iter())
        .map(|w| {
            format!(
                "The withdrawal on {} was short: {} USD asked, {} USD paid (the cash and every holding \
                 that traded that day).",
                w.date,
                money(w.asked),
                money(w.paid)
            )
        })
        .collect()
}

/// Calendar years in which more than an ISA's yearly limit (20,000,000 KRW) went in: rotor
/// does not cap contributions, it says so.
fn isa_over_limit(run: &Run) -> Vec<String> {
    let code = run.base.as_ref().map_or("", |b| b.code.as_str());
    let mut out: Vec<String> = (super::warning::isa_years_over_limit(run).into_iter())
        .map(|(year, total)| {
            format!(
                "ISA contributions in {year} came to {} {code}, above the yearly limit of 20,000,000 KRW: \
                 rotor does not cap them (an ISA would refuse the excess).",
                money(total),
            )
        })
        .collect();
    out.extend(super::warning::isa_total_over_limit(run).map(|(day, total)| {
        format!(
            "ISA contributions reached {} {code} on {}, above the limit of 100,000,000 KRW over the \
             account's life: rotor does not cap them (an ISA would refuse the excess).",
            money(total),
            crate::civil::iso(day)
        )
    }));
    out
}

fn pct(x: Option<f64>) -> String {
    x.map_or("-".to_string(), |x| format!("{:.2}%", x * 100.0))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tax_due_lowers_the_final_value_and_the_xirr() {
        // 10,000 in on day 0, 11,000 a year later with 220 of tax due: 10,780 after tax,
        // XIRR 7.8% (one year of 365 days, so the rate is the plain return).
        // Selling what is held would add 780 of tax: 10,000 after it, XIRR 0.
        let a = figures(&[0, 365], &[10_000.0, 11_000.0], &[10_000.0, 0.0].into(), 220.0, 780.0).expect("bars");
        assert_eq!(a.final_value, 10_780.0);
        assert!((a.xirr.expect("a rate") - 0.078).abs() < 1e-9);
        assert_eq!(a.final_value_if_sold, 10_000.0);
        assert!(a.xirr_if_sold.expect("a rate").abs() < 1e-9);
        assert_eq!(figures(&[], &[], &Flows::new(), 0.0, 0.0), None);
    }
}
