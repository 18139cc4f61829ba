//! What the investor keeps: the after-tax figures (`metrics.after_tax`) and the summary's
//! "After tax and costs" block. The engine's money record (src/money/) has the amounts;
//! this turns them into the final value and XIRR the investor would have after settling
//! the tax still due, and into words.

use serde::Serialize;

use super::number::money;
use super::run_report::Report;
use super::xirr::xirr;
use crate::engine::Run;
use crate::money::{MoneyRecord, TaxRule};

/// The final value and XIRR after the tax still due at the end of the run is paid (tax
/// already paid left the account as it fell due, so every figure already counts it).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct AfterTax {
    /// Final value less the tax due, in the figures' currency.
    pub final_value: f64,
    /// XIRR of the investor's flows with that final value (`None` if there is no solution).
    pub xirr: Option<f64>,
    /// The tax due subtracted, in the figures' currency.
    pub taxes_due: f64,
}

/// The after-tax figures of `run` in USD, or in the base currency when `base`: its curve
/// and flows with the final value less the tax due. `None` without a tax rule.
pub fn after_tax(run: &Run, base: Option<&crate::engine::run::BaseCurve>, tax: Option<&TaxRule>) -> Option<AfterTax> {
    let rule = tax?;
    let m: &MoneyRecord = &run.money;
    match base {
        Some(b) => {
            let due = if rule.in_base {
                m.taxes_due_in_rule_currency
            } else {
                // A USD rule's tax, worth its dollars at the last day's rate.
                match (run.equity.last(), b.equity.last()) {
                    (Some(&usd), Some(&base)) if usd != 0.0 => m.taxes_due * base / usd,
                    _ => m.taxes_due,
                }
            };
            figures(&run.days, &b.equity, &b.flows, due)
        }
        None => figures(&run.days, &run.equity, &run.flows, m.taxes_due),
    }
}

/// The final value less `due`, and the XIRR of the investor's flows (each bar's flow put
/// in, the final value taken out on the last day), as [`super::metrics::Metrics::xirr`].
fn figures(days: &[i32], equity: &[f64], flows: &[f64], due: f64) -> Option<AfterTax> {
    let last = *days.last()?;
    let final_value = equity.last().copied().unwrap_or(0.0) - due;
    let mut investor: Vec<(i32, f64)> = (days.iter().zip(flows))
        .filter(|(_, f)| **f != 0.0)
        .map(|(d, f)| (*d, -f))
        .collect();
    investor.push((last, final_value));
    Some(AfterTax {
        final_value,
        xirr: xirr(&investor),
        taxes_due: due,
    })
}

/// The summary's block: interest, FX costs, taxes by year, and the after-tax figures.
/// Empty when the strategy asks for none of them.
pub fn render(report: &Report) -> String {
    let c = &report.costs;
    let code = report.base_currency.as_ref().map(|b| b.code.as_str());
    let Some(tax) = &report.tax else {
        if c.interest_earned == 0.0 && c.fx_costs == 0.0 && c.dividends_received == 0.0 {
            return String::new();
        }
        return format!(
            "\nCosts and income: interest earned {} USD, FX costs {} USD\n{}",
            money(c.interest_earned),
            money(c.fx_costs),
            dividends(c, code)
        );
    };
    let mut out = format!("\nAfter tax and costs (tax {}):\n", tax.rule);
    out.push_str(&format!(
        "  Interest earned {} USD, FX costs {} USD, taxes paid {} USD, taxes due at the end {} USD\n",
        money(c.interest_earned),
        money(c.fx_costs),
        money(c.taxes_paid),
        money(c.taxes_due)
    ));
    out.push_str(&dividends(c, code));
    let unit = &tax.currency;
    for y in &tax.years {
        let when = match &y.paid_on {
            Some(d) => format!("paid {d}"),
            None => "due".to_string(),
        };
        out.push_str(&format!(
            "  {}: net gain {} {unit}, taxable {} {unit}, tax {} {unit}, {when}\n",
            y.year,
            money(y.net_gain),
            money(y.taxable),
            money(y.tax)
        ));
    }
    let line = |label: &str, unit: &str, gross: &super::metrics::Metrics| {
        gross.after_tax.as_ref().map(|a| {
            format!(
                "  {label}: final value {} {unit} after tax ({} before), XIRR {} after tax ({} before)\n",
                money(a.final_value),
                money(gross.final_value),
                pct(a.xirr),
                pct(gross.xirr)
            )
        })
    };
    out.extend(line("Strategy", "USD", &report.metrics));
    if let Some(base) = &report.base_currency {
        out.extend(line("Strategy", &base.code, &base.metrics));
    }
    if let Some(b) = &report.benchmark {
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
    if m.dividends.is_none() && m.dividend_tax > 0.0 {
        out.push(
            "Dividends stay inside the prices (an adjusted close, or none in a raw one): nothing is \
             withheld from them; `dividends cash` with data that has dividends pays them, less the \
             withholding."
                .to_string(),
        );
    }
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
    out.push(format!(
        "Tax `{}`: sales close lots {basis}; each year's tax is paid on the first trading day on or \
         after May 31 of the next year; tax not yet paid at the end is due and subtracted in the \
         after-tax figures (docs/TAXES.md).",
        rule.name
    ));
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
        let a = figures(&[0, 365], &[10_000.0, 11_000.0], &[10_000.0, 0.0], 220.0).expect("bars");
        assert_eq!(a.final_value, 10_780.0);
        assert!((a.xirr.expect("a rate") - 0.078).abs() < 1e-9);
        assert_eq!(figures(&[], &[], &[], 0.0), None);
    }
}
