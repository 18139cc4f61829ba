//! `rotor compare`: its figures are the single runs' figures (golden: `--json` is the runs'
//! own `rotor run --json` objects), the best run per figure is the hand-picked one, the
//! page and the picture show every run, and different periods are said, not hidden.

mod common;

use std::path::PathBuf;

use scraper::{Html, Selector};
use serde_json::Value;

/// AAA (tests/fixtures/report/trips.csv) opens at 10 on 3 Jan and closes at 9 at the end.
/// `a.rotor` trades it (ends with 1009.09 USD, as tests/report_html.rs works out); `b.rotor`
/// buys it all on 3 Jan at 10 and holds: 100 shares × 9 = 900 USD.
fn folder(b_extra: &str) -> PathBuf {
    let dir = common::temp_dir("compare");
    let fixture = common::root().join("tests/fixtures/report/trips.csv");
    std::fs::copy(fixture, dir.join("trips.csv")).expect("fixture copied");
    std::fs::write(
        dir.join("a.rotor"),
        "data \"trips.csv\"\nstrategy \"Trader\"\ncapital 1000 USD\n\
         buy 500 USD of AAA once on 2024-01-02\nbuy AAA once on 2024-01-30\n\
         sell 50 shares of AAA once on 2024-02-01\nsell all AAA once on 2024-03-01\n",
    )
    .expect("writable");
    std::fs::write(
        dir.join("b.rotor"),
        format!("data \"trips.csv\"\nstrategy \"Holder\"\ncapital 1000 USD\n{b_extra}buy AAA once on 2024-01-02\n"),
    )
    .expect("writable");
    dir
}

fn json_of(dir: &std::path::Path, args: &[&str]) -> Value {
    let out = common::rotor(dir, args);
    assert_eq!(out.code, 0, "{}", out.stderr);
    serde_json::from_str(&out.stdout).expect("valid JSON")
}

#[test]
fn compare_json_is_each_runs_own_json() {
    let dir = folder("");
    let both = json_of(&dir, &["compare", "a.rotor", "b.rotor", "--json"]);
    let a = json_of(&dir, &["run", "a.rotor", "--json"]);
    let b = json_of(&dir, &["run", "b.rotor", "--json"]);
    assert_eq!(both, serde_json::json!({ "strategies": [a, b] }));
    // The holder: 100 shares at 10, worth 900 at the end.
    assert_eq!(both["strategies"][1]["metrics"]["final_value"], 900.0);
}

#[test]
fn the_table_names_the_best_run_per_figure() {
    let dir = folder("");
    let out = common::rotor(&dir, &["compare", "a.rotor", "b.rotor"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    let line = |label: &str| {
        out.stdout
            .lines()
            .find(|l| l.trim_start().starts_with(label))
            .unwrap_or_else(|| panic!("{label}: {}", out.stdout))
            .to_string()
    };
    // Final value 1009.09 against 900: the trader's.
    let fv = line("Final value");
    assert!(
        fv.contains("1,009.09") && fv.contains("900.00") && fv.trim_end().ends_with("Trader"),
        "{fv}"
    );
    // Drawdown: the trader fell 11.90% (1145.45 to 1009.09), the holder 1 − 9/12 = 25%:
    // the lower is best.
    let dd = line("Max drawdown");
    assert!(
        dd.contains("-11.90%") && dd.contains("-25.00%") && dd.trim_end().ends_with("Trader"),
        "{dd}"
    );
    // Money put in is a fact, not a score.
    assert!(line("Contributed").trim_end().ends_with('-'));
    assert!(!out.stdout.contains("different periods"));
}

#[test]
fn the_page_shows_every_run_and_their_figures_are_the_json_figures() {
    let dir = folder("");
    let out = common::rotor(
        &dir,
        &["compare", "a.rotor", "b.rotor", "--report", "c.html", "--plot", "c.svg"],
    );
    assert_eq!(out.code, 0, "{}", out.stderr);
    let json = json_of(&dir, &["compare", "a.rotor", "b.rotor", "--json"]);
    let html = Html::parse_document(&std::fs::read_to_string(dir.join("c.html")).expect("written"));
    let sel = |s: &str| Selector::parse(s).expect("valid");
    assert_eq!(html.select(&sel("#chart-equity")).count(), 1);
    assert_eq!(html.select(&sel("#chart-underwater")).count(), 1);
    let cells: Vec<_> = html.select(&sel("#figures-compare td[data-value]")).collect();
    // 15 figures each, less `Recovered` (a date) and the best and worst year (no whole year).
    assert_eq!(cells.len(), 2 * 12);
    for cell in cells {
        let field = cell.value().attr("data-field").expect("a field");
        let want = field.split('.').fold(&json, |v, k| match k.parse::<usize>() {
            Ok(i) => &v[i],
            Err(_) => &v[k],
        });
        let got: f64 = cell
            .value()
            .attr("data-value")
            .expect("a value")
            .parse()
            .expect("a number");
        assert_eq!(Some(got), want.as_f64(), "{field}");
    }
    let best: Vec<String> = html
        .select(&sel("#figures-compare td.best-name"))
        .map(|e| e.text().collect())
        .collect();
    assert_eq!(best[1], "Trader", "final value");
    let charts: Value = serde_json::from_str(
        &html
            .select(&sel("script#charts"))
            .next()
            .expect("data")
            .text()
            .collect::<String>(),
    )
    .expect("JSON");
    assert_eq!(charts["strategies"][1]["name"], "Holder");
    assert_eq!(charts["strategies"][1]["equity"][8], 900.0);
    let svg = std::fs::read_to_string(dir.join("c.svg")).expect("written");
    assert!(svg.contains("Trader") && svg.contains("Holder"));
}

#[test]
fn different_periods_are_said() {
    let dir = folder("from 2024-02-01\n");
    let out = common::rotor(&dir, &["compare", "a.rotor", "b.rotor", "--report", "c.html"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(
        out.stdout.contains(
            "the runs cover different periods (Trader: 2024-01-02 to 2024-03-28; Holder: 2024-02-01 to 2024-03-28)"
        ),
        "{}",
        out.stdout
    );
    let page = std::fs::read_to_string(dir.join("c.html")).expect("written");
    assert!(page.contains("id=\"cautions\"") && page.contains("different periods"));
    // --from puts both on one period: nothing to say.
    let out = common::rotor(&dir, &["compare", "a.rotor", "b.rotor", "--from", "2024-02-01"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(!out.stdout.contains("different periods"), "{}", out.stdout);
}

#[test]
fn one_file_is_not_a_comparison_and_outputs_never_overwrite_inputs() {
    let dir = folder("");
    let out = common::rotor(&dir, &["compare", "a.rotor"]);
    assert_eq!(out.code, 2, "{}", out.stderr);
    let before = std::fs::read(dir.join("b.rotor")).expect("there");
    let out = common::rotor(&dir, &["compare", "a.rotor", "b.rotor", "--report", "b.rotor"]);
    assert_ne!(out.code, 0);
    assert!(out.stderr.contains("--report"), "{}", out.stderr);
    assert_eq!(std::fs::read(dir.join("b.rotor")).expect("there"), before);
}

#[test]
fn different_money_in_is_said() {
    // The holder also puts in 100 USD a month: more than the trader's 1,000 USD.
    let dir = folder("contribute 100 USD monthly\n");
    let out = common::rotor(&dir, &["compare", "a.rotor", "b.rotor"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(
        out.stdout
            .contains("the runs put in different amounts (Trader: 1,000.00 USD; Holder: "),
        "{}",
        out.stdout
    );
    assert!(
        out.stdout.contains("their money-weighted returns (XIRR) do"),
        "{}",
        out.stdout
    );
    // The same money in: nothing said.
    let same = common::rotor(&folder(""), &["compare", "a.rotor", "b.rotor"]);
    assert!(!same.stdout.contains("different amounts"), "{}", same.stdout);
}

#[test]
fn different_money_in_names_no_best_final_value_or_profit() {
    // The holder puts in 100 USD a month on top of the same 1,000 USD: it ends with
    // 900 USD of shares plus every contribution in cash, above the trader's 1,009.09, and
    // only because it put in more. The note says final values and profits do not compare,
    // so neither row may name a best run; the returns, which do compare, still do.
    let dir = folder("contribute 100 USD monthly\n");
    let out = common::rotor(&dir, &["compare", "a.rotor", "b.rotor", "--report", "c.html"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    let line = |label: &str| {
        out.stdout
            .lines()
            .find(|l| l.trim_start().starts_with(label))
            .unwrap_or_else(|| panic!("{label}: {}", out.stdout))
            .trim_end()
            .to_string()
    };
    assert!(line("Final value").ends_with(" -"), "{}", out.stdout);
    assert!(line("Profit").ends_with(" -"), "{}", out.stdout);
    let xirr = line("Money-weighted return (XIRR)");
    assert!(xirr.ends_with("Trader") || xirr.ends_with("Holder"), "{xirr}");
    assert!(
        out.stdout
            .contains("\n`-` on final values and profits: the runs put in different amounts.\n"),
        "{}",
        out.stdout
    );
    // The page agrees: no best run on those rows.
    let html = Html::parse_document(&std::fs::read_to_string(dir.join("c.html")).expect("written"));
    let sel = |s: &str| Selector::parse(s).expect("valid");
    let rows: Vec<(String, String)> = html
        .select(&sel("#figures-compare tbody tr"))
        .map(|tr| {
            let label = tr
                .select(&sel("th"))
                .next()
                .map(|e| e.text().collect())
                .unwrap_or_default();
            let best = tr
                .select(&sel("td.best-name"))
                .next()
                .map(|e| e.text().collect())
                .unwrap_or_default();
            (label, best)
        })
        .collect();
    for (label, best) in &rows {
        if label.starts_with("Final value") || label.starts_with("Profit") {
            assert_eq!(best, "—", "{label}");
        }
    }
    assert!(
        rows.iter().any(|(l, b)| l.starts_with("Money-weighted") && b != "—"),
        "{rows:?}"
    );
    // The same money in: the final value still has its best run.
    let same = common::rotor(&folder(""), &["compare", "a.rotor", "b.rotor"]);
    assert!(
        !same.stdout.contains("the runs put in different amounts."),
        "{}",
        same.stdout
    );
}

#[test]
fn different_periods_name_no_best_total() {
    // The holder starts on 1 Feb, the trader on 2 Jan, with the same 1,000 USD: a final
    // value, a profit or a total return over a longer period is not better for that, so
    // none of the three names a best run; the annualised figures still do.
    let dir = folder("from 2024-02-01\n");
    let out = common::rotor(&dir, &["compare", "a.rotor", "b.rotor"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    let line = |out: &common::Run, label: &str| {
        out.stdout
            .lines()
            .find(|l| l.trim_start().starts_with(label))
            .unwrap_or_else(|| panic!("{label}: {}", out.stdout))
            .trim_end()
            .to_string()
    };
    // The max drawdown too: a longer run meets more falls (the trader's from 2 Jan, the
    // holder's from 1 Feb only).
    for label in [
        "Final value",
        "Profit",
        "Time-weighted return, total",
        "Max drawdown",
        "Calmar",
        "Best year",
        "Worst year",
    ] {
        assert!(line(&out, label).ends_with(" -"), "{label}: {}", out.stdout);
    }
    // The footnote: short lines, each one reason.
    assert!(
        out.stdout.ends_with(
            "\nBest: the highest figure (the lowest volatility and drawdown).\n\
             `-` under Best: a fact, not a score (money in, time in the market).\n\
             `-` on totals (final value, profit, total time-weighted return), max drawdown, Calmar and\n  \
             best and worst year: the runs cover different periods; a longer one grows more, meets\n  \
             more falls and has more years.\n"
        ),
        "{}",
        out.stdout
    );
    // One period (--from): the final value has its best run again, and nothing is said.
    let same = common::rotor(&dir, &["compare", "a.rotor", "b.rotor", "--from", "2024-02-01"]);
    assert_eq!(same.code, 0, "{}", same.stderr);
    let final_value = line(&same, "Final value");
    assert!(
        final_value.ends_with("Trader") || final_value.ends_with("Holder"),
        "{final_value}"
    );
    assert!(
        !same.stdout.contains("the runs cover different periods;"),
        "{}",
        same.stdout
    );
}

#[test]
fn different_data_files_are_named_for_each_run() {
    // The same prices under another name: the caution names each run's files, where the
    // reader can see them (there is no list of them below the table).
    let dir = folder("");
    std::fs::copy(dir.join("trips.csv"), dir.join("trips2.csv")).expect("copied");
    let b = std::fs::read_to_string(dir.join("b.rotor")).expect("readable");
    std::fs::write(dir.join("b.rotor"), b.replace("trips.csv", "trips2.csv")).expect("writable");
    let out = common::rotor(&dir, &["compare", "a.rotor", "b.rotor"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    let all = format!("{}{}", out.stdout, out.stderr)
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    assert!(all.contains("the runs read different data files (Trader: "), "{all}");
    assert!(
        all.contains("trips.csv; Holder: ") && all.contains("trips2.csv)"),
        "{all}"
    );
    assert!(!all.contains("see each one's data below"), "{all}");
}

/// tests/fixtures/krw_hole (tests/money.rs describes it): `contribute 1000000 KRW monthly`
/// beside a rate series with a three-week hole over the March contribution.
const HOLE: &str = "data \"krw_hole/prices.csv\"\ndata \"krw_hole/macro.csv\"\nfill close\n\
                    capital 1000000 KRW\ncontribute 1000000 KRW monthly\nbuy AAA weekly\n";

#[test]
fn runs_whose_contributions_waited_for_a_rate_or_never_came_are_named() {
    // "Late": `stale usdkrw after 5 days` leaves March's contribution without a rate until
    // 03-20 (credited then); "Gone": `gone` never comes back after 02-21 (March's and
    // April's never credited); "On time": no `stale` line, every contribution on its day.
    let dir = common::strategy_with_fixtures(
        "krw_hole",
        &format!("strategy \"Late\"\ncurrency KRW using usdkrw\nstale usdkrw after 5 days\n{HOLE}"),
    );
    let on_time = format!("strategy \"On time\"\ncurrency KRW using usdkrw\n{HOLE}");
    std::fs::write(dir.join("on_time.rotor"), on_time).expect("writable");
    let gone = format!("strategy \"Gone\"\ncurrency KRW using gone\nstale gone after 5 days\n{HOLE}");
    std::fs::write(dir.join("gone.rotor"), gone).expect("writable");
    let out = common::rotor(&dir, &["compare", "s.rotor", "on_time.rotor", "gone.rotor"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(
        out.stdout.contains(
            "  - contributions came in late or not at all for want of an exchange rate (Late: 1 credited late; \
             Gone: 2 never credited): their money did not go in when their plans say (each run's Assumed says \
             when), so their final values and profits are not those of the plans as written\n"
        ),
        "{}",
        out.stdout
    );
    // Two runs that both got every contribution on its day: nothing to say.
    let out = common::rotor(&dir, &["compare", "on_time.rotor", "on_time.rotor"]);
    assert!(!out.stdout.contains("for want of an exchange rate"), "{}", out.stdout);
}

/// The figure row labelled `label` of a comparison's text table.
fn table_row<'a>(text: &'a str, label: &str) -> &'a str {
    (text.lines())
        .map(str::trim_start)
        .find(|l| l.starts_with(label))
        .unwrap_or_else(|| panic!("no row {label:?}: {text}"))
}

#[test]
fn runs_in_won_show_their_won_figures_and_an_untaxed_runs_after_tax_figures_are_its_own() {
    // Both over tests/fixtures/krw_hole with `currency KRW using usdkrw`. "On time" (no
    // `stale` line) credits March's contribution on 03-06 at the last rate, 02-21's 1,000:
    // 1,000 USD → 125 AAA at 8; with 200 (01-03), 100 (02-07) and 80 (04-03, 800 USD at
    // 1,250): 505 AAA × 12 = 6,060 USD, × 1,250 = 7,575,000 KRW. "Late" credits it on
    // 03-20 at 1,250 (tests/money.rs): 5,760 USD, 7,200,000 KRW. Both put in 5,000,000 KRW
    // (4,800 and 4,600 USD): in won the final values compare, and On time's is the best.
    let dir = common::strategy_with_fixtures(
        "krw_hole",
        &format!("strategy \"Late\"\ncurrency KRW using usdkrw\nstale usdkrw after 5 days\n{HOLE}"),
    );
    let on_time = format!("strategy \"On time\"\ncurrency KRW using usdkrw\n{HOLE}");
    std::fs::write(dir.join("on_time.rotor"), &on_time).expect("writable");
    let out = common::rotor(&dir, &["compare", "on_time.rotor", "s.rotor"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    let text = &out.stdout;
    let cells = |label: &str| -> Vec<String> {
        table_row(text, label)[label.len()..]
            .split("  ")
            .map(str::trim)
            .filter(|c| !c.is_empty())
            .map(String::from)
            .collect()
    };
    assert_eq!(
        cells("Contributed (KRW)"),
        ["5,000,000.00", "5,000,000.00", "-"],
        "{text}"
    );
    assert_eq!(
        cells("Final value (KRW)"),
        ["7,575,000.00", "7,200,000.00", "On time"],
        "{text}"
    );
    assert_eq!(
        cells("Profit (KRW)"),
        ["2,575,000.00", "2,200,000.00", "On time"],
        "{text}"
    );
    assert!(text.contains("different amounts") && text.contains("in USD"), "{text}");
    // A tax rule in one of them: the other's after-tax figures are its figures (it pays no
    // tax in the model), said as such, and not ranked against the taxed run's.
    let taxed = format!("strategy \"Taxed\"\ntax korea\ncurrency KRW using usdkrw\n{HOLE}");
    std::fs::write(dir.join("taxed.rotor"), taxed).expect("writable");
    let out = common::rotor(&dir, &["compare", "on_time.rotor", "taxed.rotor"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    let text = &out.stdout;
    let row = table_row(text, "Final value after tax (USD)");
    assert!(
        row.contains("6,060.00 (no tax rule)") && row.trim_end().ends_with(" -"),
        "{text}"
    );
    let row = table_row(text, "Final value after tax (KRW)");
    assert!(
        row.contains("7,575,000.00 (no tax rule)") && row.trim_end().ends_with(" -"),
        "{text}"
    );
    assert!(text.contains("(no tax rule): a run without a tax rule"), "{text}");
}
