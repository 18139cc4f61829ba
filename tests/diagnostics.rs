//! Snapshot tests of diagnostics for malformed strategies: every file in
//! tests/fixtures/diagnostics/ is parsed and checked against the sample data's names and
//! the plain rendering is compared with tests/snapshots/.

mod common;

#[test]
fn malformed_strategies() {
    insta::glob!("fixtures/diagnostics/*.rotor", |path| {
        let bytes = std::fs::read(path).expect("fixture readable");
        let name = path.file_name().expect("a file name").to_string_lossy();
        insta::assert_snapshot!(common::diagnose(&name, &bytes));
    });
}

#[test]
fn ten_thousand_nested_parentheses_are_an_error_not_a_crash() {
    let text = format!(
        "buy IWO monthly while {}1{} > 0\n",
        "(".repeat(10_000),
        ")".repeat(10_000)
    );
    let out = common::diagnose("nested.rotor", text.as_bytes());
    assert!(out.contains("rotor::syntax::too_deep"), "{out}");
    assert!(out.contains("nested more than 32 deep"), "{out}");
}

#[test]
fn a_one_megabyte_file_of_errors_reports_a_capped_list() {
    let line = "buy IWO monthy\n";
    let text = line.repeat(1_048_576 / line.len());
    let out = common::diagnose("big.rotor", text.as_bytes());
    assert_eq!(
        out.matches("rotor::syntax::unexpected").count(),
        rotor::syntax::MAX_ERRORS
    );
    assert!(out.contains("did you mean `monthly`?"));
}

#[test]
fn a_one_megabyte_valid_file_checks() {
    let line = "buy IWO monthly while fed_cut_prob > 0.8 and sma(IWO, 50) > sma(IWO, 200)\n";
    let text = line.repeat(1_048_576 / line.len());
    assert_eq!(common::diagnose("big.rotor", text.as_bytes()), "ok\n");
}

#[test]
fn errors_on_several_lines_are_all_reported() {
    let out = common::diagnose(
        "many.rotor",
        b"buy IWO monthy\nbuy IWN weekly on fryday\nbuy SPMD daily\n",
    );
    assert!(out.contains("did you mean `monthly`?"), "{out}");
    assert!(out.contains("did you mean `friday`?"), "{out}");
    assert!(out.contains("2 errors"), "{out}");
}

#[test]
fn a_currency_in_lower_case_and_a_thousands_comma_get_the_line_rewritten() {
    // A newcomer's `capital 10,000 usd` was "unexpected `usd`; expected the end of the line"
    // with no help, and the comma "unexpected `,`" likewise.
    let dir = common::temp_dir("currency-shape");
    std::fs::write(
        dir.join("s.rotor"),
        "capital 1000 usd\ncontribute 500 USDD monthly\ncapital 10,000 USD\nbuy IWO monthly\n",
    )
    .expect("writable");
    let out = common::rotor(&dir, &["check", "--no-data", "s.rotor"]);
    assert_eq!(out.code, 1, "{}", out.stderr);
    let text = out.stderr.split_whitespace().collect::<Vec<_>>().join(" ");
    for help in [
        "help: a currency is three capital letters after the amount: `1000 USD` (or `$1000` for dollars)",
        "help: a currency is three capital letters after the amount: `500 USD` (or `$500` for dollars)",
        "help: numbers are written without a thousands separator: `10000` (or `10_000`)",
    ] {
        assert!(text.contains(help), "{help}\n{}", out.stderr);
    }
}

#[test]
fn an_out_of_range_sell_share_and_zero_money_say_what_is_wrong() {
    // `sell 150% of IWO` and `buy 0 USD of IWO` were told "an amount must be money, shares
    // or a percentage", which each already is.
    let dir = common::temp_dir("amount-range");
    std::fs::write(
        dir.join("s.rotor"),
        "buy 0 USD of IWO monthly\nsell 150% of IWO yearly\nsell 101% of IWO yearly\n",
    )
    .expect("writable");
    let out = common::rotor(&dir, &["check", "--no-data", "s.rotor"]);
    assert_eq!(out.code, 1, "{}", out.stderr);
    let text = out.stderr.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(
        !text.contains("an amount must be money, shares or a percentage"),
        "{}",
        out.stderr
    );
    for message in [
        "an amount of money to trade must be above 0",
        "a share of 150% of the position is out of range",
        "a share of 101% of the position is out of range",
        "help: a share of the position is between 0% and 100% (`sell all` sells the whole position)",
    ] {
        assert!(text.contains(message), "{message}\n{}", out.stderr);
    }
}

#[test]
fn a_date_in_an_expression_is_refused_at_the_date_not_read_as_a_subtraction() {
    // `close(IWO) > 2020-06-01` read as `close(IWO) > 2020 - 6 - 1` = 2013: it checked,
    // ran with no orders and `fmt` rewrote it with spaces.
    let out = common::diagnose("date.rotor", b"buy IWO monthly while close(IWO) > 2020-06-01\n");
    assert!(out.contains("rotor::syntax::date_in_expression"), "{out}");
    assert!(
        out.contains("`2020-06-01` is a date, and a date is not a value here"),
        "{out}"
    );
    assert!(out.contains("`from DATE to DATE`"), "{out}");
    // In a call's arguments and in a `let` as well; a date that is not a day is still a date.
    for line in [
        "let d = 2025-01-01\n",
        "buy IWO monthly while sma(IWO, 2025-01-01) > 0\n",
        "let d = 2025-13-45\n",
        // Without leading zeros it was still the subtraction 2020 - 6 - 1 = 2013.
        "buy IWO monthly while close(IWO) > 2020-6-1\n",
        "let d = 2025-1-15\n",
    ] {
        let out = common::diagnose("date.rotor", line.as_bytes());
        assert!(out.contains("rotor::syntax::date_in_expression"), "{line}: {out}");
    }
}

#[test]
fn numbers_subtracted_with_spaces_stay_arithmetic() {
    assert_eq!(
        common::diagnose("minus.rotor", b"buy IWO monthly while close(IWO) > 2025 - 1 - 1\n"),
        "ok\n"
    );
}
