//! docs/DATA.md's claims, through the command line: downloads in their own formats run.

mod common;

use common::{root, rotor};

/// `rotor ARGS…` in the repository, allowed to read it (`--allow-path .`): the fixtures lie
/// outside the temporary folders the strategies are written to.
fn allowed(args: &[&str]) -> common::Run {
    let mut all = args.to_vec();
    all.insert(1, ".");
    all.insert(1, "--allow-path");
    rotor(root(), &all)
}

fn write_strategy(name: &str, body: &str) -> std::path::PathBuf {
    let dir = common::temp_dir(&format!("import-{name}"));
    let path = dir.join(format!("{name}.rotor"));
    std::fs::write(
        &path,
        body.replace("FIX", &root().join("tests/fixtures/data").display().to_string()),
    )
    .expect("writable");
    path
}

fn run_json(path: &std::path::Path) -> serde_json::Value {
    let out = allowed(&["run", path.to_str().expect("utf-8"), "--json"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    serde_json::from_str(&out.stdout).expect("json")
}

#[test]
fn a_yahoo_export_and_a_fred_download() {
    let path = write_strategy(
        "yahoo_fred",
        "data \"FIX/yahoo/IWO.csv\"\ndata \"FIX/fred/DFF.csv\"\ncapital 1000 USD\nfill close\nbuy IWO once on 2016-04-28\n",
    );
    let v = run_json(&path);
    assert_eq!(v["holdings"][0]["symbol"], "IWO");
    assert!(
        v["assumptions"]
            .as_array()
            .expect("list")
            .iter()
            .any(|a| a.as_str().is_some_and(|s| s.contains("adj_close")))
    );
}

#[test]
fn a_stooq_file_renamed_with_as() {
    let path = write_strategy(
        "stooq",
        "data \"FIX/stooq/SPY.csv\" as SPYX\ncapital 1000 USD\nbuy SPYX daily\n",
    );
    let v = run_json(&path);
    assert_eq!(v["holdings"][0]["symbol"], "SPYX");
}

#[test]
fn an_alpha_vantage_file_newest_first() {
    let path = write_strategy(
        "av",
        "data \"FIX/alphavantage/IWM.csv\"\ncapital 1000 USD\nbuy IWM daily\n",
    );
    let v = run_json(&path);
    assert!(v["metrics"]["start"].as_str() < v["metrics"]["end"].as_str());
}

#[test]
fn a_broken_csv_points_at_the_cell() {
    let path = write_strategy("bad", "data \"FIX/bad/not_a_number.csv\"\nbuy IWO daily\n");
    let out = allowed(&["run", path.to_str().expect("utf-8")]);
    assert_eq!(out.code, 1);
    assert!(out.stderr.contains("rotor::data::not_a_number"), "{}", out.stderr);
    assert!(out.stderr.contains("not_a_number.csv:"), "{}", out.stderr);
}

#[test]
fn day_first_dates_are_read_day_first_and_the_report_says_so() {
    let path = write_strategy(
        "day_first",
        "data \"FIX/day_first/EWG.csv\"\ncapital 1000 USD\nfill close\nbuy EWG once on 2024-02-01\n",
    );
    let v = run_json(&path);
    // 1 February (Thursday) to 5 February 2024 (Monday), not 2 January to 2 May.
    assert_eq!(v["metrics"]["start"], "2024-02-01");
    assert_eq!(v["metrics"]["end"], "2024-02-05");
    let notes = v["data"]["notes"].to_string();
    assert!(
        notes.contains("dates read day-first (`01/02/2024` is 1 February 2024)"),
        "{notes}"
    );
}

#[test]
fn ambiguous_dates_stop_with_a_located_diagnostic_until_the_data_line_says() {
    let path = write_strategy(
        "ambiguous",
        "data \"FIX/day_first/rates.csv\"\ndata \"FIX/yahoo/IWO.csv\"\nbuy IWO daily while policy_rate > 3\n",
    );
    let out = allowed(&["run", path.to_str().expect("utf-8")]);
    assert_eq!(out.code, 1, "{}", out.stdout);
    assert!(out.stderr.contains("rotor::data::ambiguous_dates"), "{}", out.stderr);
    assert!(out.stderr.contains("rates.csv:2:1"), "{}", out.stderr);
    assert!(out.stderr.contains("dates day-first"), "{}", out.stderr);

    let path = write_strategy(
        "told",
        "data \"FIX/day_first/rates.csv\" dates day-first\ndata \"FIX/yahoo/IWO.csv\"\nbuy IWO daily while policy_rate > 3\n",
    );
    let out = allowed(&["run", path.to_str().expect("utf-8"), "--json"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
}

#[test]
fn a_misspelled_column_warns_on_stderr_and_the_run_goes_on_unadjusted() {
    let path = write_strategy(
        "misspelled",
        "data \"FIX/misspelled/IWO.csv\"\ncapital 1000 USD\nbuy IWO daily\n",
    );
    let out = allowed(&["run", path.to_str().expect("utf-8")]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(out.stderr.contains("rotor::data::unknown_column"), "{}", out.stderr);
    assert!(out.stderr.contains("did you mean `Adj Close`?"), "{}", out.stderr);
    assert!(out.stderr.contains("IWO.csv:1:26"), "{}", out.stderr);
    assert!(out.stdout.contains("no adjusted close"), "{}", out.stdout);
    assert!(out.stdout.contains("price return"), "{}", out.stdout);
}

#[test]
fn check_shows_data_warnings_in_text_and_in_json() {
    let path = write_strategy("check_warns", "data \"FIX/misspelled/IWO.csv\"\nbuy IWO daily\n");
    let file = path.to_str().expect("utf-8");
    let text = allowed(&["check", file]);
    assert_eq!(text.code, 0, "a warning fails nothing: {}", text.stderr);
    assert!(text.stdout.ends_with(": ok\n"), "{}", text.stdout);
    assert!(text.stderr.contains("rotor::data::unknown_column"), "{}", text.stderr);
    assert!(text.stderr.contains("IWO.csv:1:26"), "{}", text.stderr);

    let json = allowed(&["check", "--format", "json", file]);
    assert_eq!(json.code, 0, "{}", json.stderr);
    assert!(
        json.stderr.is_empty(),
        "JSON mode says it all on stdout: {}",
        json.stderr
    );
    let v: serde_json::Value = serde_json::from_str(&json.stdout).expect("json");
    let all = v.as_array().expect("an array of diagnostics");
    assert_eq!(all.len(), 1, "{v:#}");
    assert_eq!(v[0]["severity"], "warning");
    assert_eq!(v[0]["code"], "rotor::data::unknown_column");
    assert_eq!(
        v[0]["message"],
        "column `Adj Clse` is not read; did you mean `Adj Close`?"
    );
    assert!(
        v[0]["file"].as_str().is_some_and(|f| f.ends_with("misspelled/IWO.csv")),
        "{v:#}"
    );
    // `Adj Clse` starts at byte 25 of `Date,Open,High,Low,Close,Adj Clse,Volume`.
    assert_eq!((v[0]["line"].as_u64(), v[0]["column"].as_u64()), (Some(1), Some(26)));
    assert_eq!(v[0]["labels"][0]["end_column"], 34);
}

#[test]
fn check_shows_data_warnings_beside_the_strategy_s_errors() {
    let path = write_strategy(
        "check_warns_and_fails",
        "data \"FIX/misspelled/IWO.csv\"\nbuy IWX daily\n",
    );
    let file = path.to_str().expect("utf-8");
    let text = allowed(&["check", file]);
    assert_eq!(text.code, 1);
    let warning = text.stderr.find("rotor::data::unknown_column").expect("the warning");
    let error = text.stderr.find("unknown symbol `IWX`").expect("the error");
    assert!(warning < error, "{}", text.stderr);

    let json = allowed(&["check", "--format", "json", file]);
    assert_eq!(json.code, 1);
    let v: serde_json::Value = serde_json::from_str(&json.stdout).expect("json");
    let severities: Vec<&str> = v
        .as_array()
        .expect("an array")
        .iter()
        .filter_map(|d| d["severity"].as_str())
        .collect();
    assert_eq!(severities, ["warning", "error"], "{v:#}");
    assert_eq!(v[1]["code"], "rotor::check::unknown_name");
}

#[test]
fn sweep_shows_data_warnings_once() {
    let path = write_strategy(
        "sweep_warns",
        "data \"FIX/raw_split/IWM.csv\"\nlet level = 50\nbuy IWM daily while close(IWM) > level\n",
    );
    let out = allowed(&["sweep", path.to_str().expect("utf-8"), "--vary", "level=50:100:50"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert_eq!(
        out.stderr.matches("rotor::data::split_like_move").count(),
        1,
        "{}",
        out.stderr
    );
    assert!(out.stderr.contains("2005-06-09"), "{}", out.stderr);
    assert!(
        !out.stdout.contains("split_like_move"),
        "warnings stay off stdout: {}",
        out.stdout
    );
}

#[test]
fn a_price_file_without_close_is_an_error_at_its_header() {
    let path = write_strategy("no_close", "data \"FIX/no_close/IWM.csv\"\nbuy IWM daily\n");
    let out = allowed(&["run", path.to_str().expect("utf-8")]);
    assert_eq!(out.code, 1);
    assert!(out.stderr.contains("rotor::data::missing_column"), "{}", out.stderr);
    assert!(out.stderr.contains("IWM.csv:1:1"), "{}", out.stderr);
    assert!(!out.stderr.contains("unknown symbol"), "{}", out.stderr);
}

#[test]
fn a_split_in_raw_prices_is_no_loss() {
    // Buy on 2005-06-08 at the close (123.43 as traded, 61.715 split-adjusted); the
    // 2005-06-10 close is 62.45: a gain of 62.45 / 61.715 − 1 = 1.19%, not −49%.
    let path = write_strategy(
        "splits",
        "data \"FIX/splits/IWM.csv\"\ncapital 1000 USD\nfill close\nbuy all IWM once on 2005-06-08\n",
    );
    let v = run_json(&path);
    let final_value = v["metrics"]["final_value"].as_f64().expect("a number");
    let expected = 1000.0 * 62.45 / 61.715;
    assert!((final_value - expected).abs() < 0.01, "{final_value} vs {expected}");

    let path = write_strategy(
        "raw_split",
        "data \"FIX/raw_split/IWM.csv\"\ncapital 1000 USD\nbuy IWM daily\n",
    );
    let out = allowed(&["run", path.to_str().expect("utf-8")]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(out.stderr.contains("rotor::data::split_like_move"), "{}", out.stderr);
    assert!(out.stderr.contains("2005-06-09"), "{}", out.stderr);
}

#[test]
fn a_korean_etf_from_a_krx_export() {
    // KODEX 미국러셀2000(H) from a CP949 KRX export, newest row first, named with `as`.
    let path = write_strategy(
        "krx",
        "data \"FIX/krx/280930.csv\" as KODEX_R2000H\ncapital 1000 USD\nfill close\nbuy all KODEX_R2000H once on 2024-01-02\n",
    );
    let v = run_json(&path);
    assert_eq!(v["holdings"][0]["symbol"], "KODEX_R2000H");
    assert_eq!(v["metrics"]["start"], "2024-01-02");
    assert_eq!(v["metrics"]["end"], "2024-01-04");
    // Bought at the 2024-01-02 close of 12,400, valued at 11,905 on 2024-01-04.
    let expected = 1000.0 * 11_905.0 / 12_400.0;
    let final_value = v["metrics"]["final_value"].as_f64().expect("a number");
    assert!((final_value - expected).abs() < 0.01, "{final_value} vs {expected}");
}

#[test]
fn the_won_dollar_rate_from_ecos_serves_currency_krw() {
    let path = write_strategy(
        "ecos",
        "data \"FIX/tab/SPY.csv\"\ndata \"FIX/ecos/usdkrw.csv\"\ncurrency KRW using usdkrw\n\
         capital 1000 USD\nfill close\nbuy all SPY once on 2024-01-02\n",
    );
    let v = run_json(&path);
    assert_eq!(v["base_currency"]["code"], "KRW");
    // Bought at 472.65 on 2024-01-02, valued at 468.79 on 2024-01-03, when a dollar was
    // 1,306.1 won.
    let usd = 1000.0 * 468.79 / 472.65;
    let final_value = v["metrics"]["final_value"].as_f64().expect("a number");
    assert!((final_value - usd).abs() < 0.01, "{final_value} vs {usd}");
    let krw = v["base_currency"]["metrics"]["final_value"].as_f64().expect("a number");
    assert!((krw - usd * 1306.1).abs() < 1.0, "{krw} vs {}", usd * 1306.1);
}

#[test]
fn every_source_in_docs_data_md_has_a_fixture() {
    let doc = std::fs::read_to_string(root().join("docs/DATA.md")).expect("docs/DATA.md");
    let fixtures: Vec<&str> = doc
        .lines()
        .filter(|l| l.starts_with('|'))
        .filter_map(|l| l.split('`').find(|part| part.starts_with("tests/fixtures/data/")))
        .collect();
    assert!(fixtures.len() >= 15, "{fixtures:?}");
    for fixture in fixtures {
        let path = root().join(fixture);
        let loaded = rotor::data::load_path(&path, &rotor::data::LoadOptions::default());
        // The ambiguous file is there to show the diagnostic; every other one loads.
        if fixture.ends_with("rates.csv") {
            assert!(loaded.is_err(), "{fixture}");
        } else {
            assert!(loaded.is_ok(), "{fixture}: {:?}", loaded.err());
        }
    }
}

#[test]
fn yahoo_history_with_events_pays_its_dividends_column_as_cash() {
    // 10 IWO bought at the close of 2024-03-15 (256.90, the raw close); the 0.403 dividend
    // of 2024-03-18 pays 10 × 0.403 = 4.03 USD.
    let path = write_strategy(
        "yahoo_events",
        "data \"FIX/yahoo_events/IWO.csv\"\ndividends cash\ncapital 2600 USD\nfill close\nbuy 10 shares of IWO once on 2024-03-15\n",
    );
    let v = run_json(&path);
    assert_eq!(v["costs"]["dividends_received"], 4.03);
    assert_eq!(v["costs"]["withholding_tax"], 0.0);
    assert_eq!(v["trades"][0]["price"], 256.9);
}

#[test]
fn a_yahoo_dividend_file_pays_a_symbols_dividends() {
    // 10 IWO bought at the close of 2016-04-29: with `dividends cash`, at the raw close
    // 134.07, not the adjusted 129.15. The 0.25 of 2016-05-02 pays 10 × 0.25 = 2.50 USD;
    // the 0.186 of 2016-03-23 is before the data and pays nothing.
    let path = write_strategy(
        "dividend_file",
        "data \"FIX/yahoo/IWO.csv\"\ndividends \"FIX/dividends/IWO_div.csv\" for IWO\ncapital 1357 USD\nfill close\n\
         buy 10 shares of IWO once on 2016-04-29\n",
    );
    let v = run_json(&path);
    assert_eq!(v["trades"][0]["price"], 134.07);
    assert_eq!(v["costs"]["dividends_received"], 2.5);
}

/// A folder's `*.tsv` files are read as its `*.csv` files are (tab-separated, said under
/// Assumed); a `*.txt` file in it is not (a readme, often), but is read when named.
#[test]
fn a_folder_reads_tsv_files_and_a_named_txt_file() {
    let dir = common::temp_dir("import-tsv");
    let prices = dir.join("prices");
    std::fs::create_dir_all(&prices).expect("a folder");
    let rows = "Date\tOpen\tHigh\tLow\tClose\n2024-01-02\t10\t11\t9\t10\n2024-01-03\t10\t12\t9\t11\n";
    std::fs::write(prices.join("AAA.tsv"), rows).expect("writable");
    std::fs::write(prices.join("README.txt"), "Downloaded from somewhere.\n").expect("writable");
    std::fs::write(dir.join("BBB.txt"), rows.replace('\t', ",")).expect("writable");
    std::fs::write(
        dir.join("s.rotor"),
        "data \"prices/\"\ndata \"BBB.txt\"\ncapital 1000 USD\nfill close\nbuy 100 USD of AAA once on 2024-01-02\nbuy 100 USD of BBB once on 2024-01-02\n",
    )
    .expect("writable");
    let out = rotor(&dir, &["run", "s.rotor", "--json"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    let v: serde_json::Value = serde_json::from_str(&out.stdout).expect("json");
    let mut held: Vec<&str> = (v["holdings"].as_array().expect("holdings").iter())
        .map(|h| h["symbol"].as_str().expect("a symbol"))
        .collect();
    held.sort_unstable();
    assert_eq!(held, ["AAA", "BBB"]);
    let notes = v["data"]["notes"].to_string();
    assert!(notes.contains("AAA.tsv: fields separated by tabs"), "{notes}");
    assert!(!notes.contains("README"), "{notes}");
}

/// Two `data` lines naming one file: a located error on both lines.
#[test]
fn two_data_lines_naming_one_file_are_shown_on_both_lines() {
    let path = write_strategy(
        "twice-lines",
        "data \"FIX/yahoo/IWO.csv\"\ndata \"FIX/yahoo/IWO.csv\"\nbuy IWO monthly\n",
    );
    let out = allowed(&["run", path.to_str().expect("utf-8")]);
    assert_eq!(out.code, 1, "{}", out.stderr);
    assert!(out.stderr.contains("rotor::check::duplicate_data"), "{}", out.stderr);
    assert!(out.stderr.contains("is named by two `data` lines"), "{}", out.stderr);
    assert!(
        out.stderr.contains("first here") && out.stderr.contains("again here"),
        "{}",
        out.stderr
    );
}

#[test]
fn the_same_file_named_twice_is_said_to_be_named_twice() {
    // `data "IWO.csv"` in the strategy and `--data IWO.csv` on the command line said "`IWO`
    // is loaded twice, from `…/IWO.csv` and from `…/IWO.csv`" with the help to load one
    // "under another name": no help for one file named twice.
    let path = write_strategy("twice", "data \"FIX/yahoo/IWO.csv\"\nbuy IWO monthly\n");
    let file = root().join("tests/fixtures/data/yahoo/IWO.csv");
    let file = file.to_str().expect("utf-8");
    let out = allowed(&["run", path.to_str().expect("utf-8"), "--data", file]);
    assert_eq!(out.code, 1, "{}", out.stderr);
    let flat = |s: &str| s.replace('│', " ").split_whitespace().collect::<Vec<_>>().join(" ");
    let text = flat(&out.stderr);
    assert!(
        text.contains("is named twice, by a `data` line and by `--data`"),
        "{}",
        out.stderr
    );
    assert!(!text.contains("under another name"), "{}", out.stderr);
    // `--data` twice, the same.
    let out = allowed(&["run", "strategies/fee_drag.rotor", "--data", file, "--data", file]);
    assert_eq!(out.code, 1, "{}", out.stderr);
    let text = flat(&out.stderr);
    assert!(text.contains("is given to `--data` twice"), "{}", out.stderr);
}
