//! Words for the grammar's rule names, so an error says "expected a schedule such as
//! `monthly`", never "expected schedule". The match is exhaustive: a new grammar rule does
//! not compile until it has words here (tera v1's `renamed_rules`).

use super::parser::Rule;

/// What the user should have written where pest expected `rule`, and keywords that
/// would have fit there (for "did you mean").
pub fn describe(rule: Rule) -> (&'static str, &'static [&'static str]) {
    const SCHEDULES: &[&str] = &[
        "daily",
        "hourly",
        "weekly",
        "monthly",
        "quarterly",
        "yearly",
        "every",
        "once",
    ];
    const GUARDS: &[&str] = &["while", "if", "when", "unless"];
    const NONE: &[&str] = &[];
    match rule {
        Rule::EOI | Rule::line | Rule::comment => ("the end of the line", NONE),
        // Silent rules: never reported, listed so this match stays exhaustive.
        Rule::WHITESPACE | Rule::continuation | Rule::nl | Rule::ident_char | Rule::digits | Rule::statement => {
            ("the end of the line", NONE)
        }
        Rule::schedule
        | Rule::daily
        | Rule::hourly
        | Rule::every_bar
        | Rule::weekly
        | Rule::monthly
        | Rule::quarterly
        | Rule::yearly
        | Rule::every
        | Rule::once
        | Rule::kw_daily
        | Rule::kw_hourly
        | Rule::kw_weekly
        | Rule::kw_monthly
        | Rule::kw_quarterly
        | Rule::kw_yearly
        | Rule::kw_every
        | Rule::kw_once => ("a schedule such as `monthly` or `every 2 weeks`", SCHEDULES),
        Rule::guard | Rule::guard_kw => ("a condition such as `while fed_cut_prob > 0.8`", GUARDS),
        Rule::anchor | Rule::day_number | Rule::first_trading_day | Rule::last_trading_day => (
            "`day 15`, `first trading day` or `last trading day`",
            &["day", "first", "last"],
        ),
        Rule::weekday => (
            "a weekday such as `friday`",
            &[
                "monday",
                "tuesday",
                "wednesday",
                "thursday",
                "friday",
                "saturday",
                "sunday",
            ],
        ),
        Rule::time_unit | Rule::duration => (
            "a time unit: `days`, `weeks`, `months` or `years`",
            &["days", "weeks", "months", "years", "day", "week", "month", "year"],
        ),
        Rule::every_unit | Rule::kw_bar => (
            "`bar` or a time unit: `minutes`, `hours`, `days`, `weeks`, `months` or `years`",
            &[
                "bar", "minutes", "hours", "days", "weeks", "months", "years", "minute", "hour", "day", "week",
                "month", "year",
            ],
        ),
        Rule::name | Rule::plain_name | Rule::digit_name | Rule::quoted_name => {
            ("a name such as `IWO` or `fed_cut_prob`", NONE)
        }
        Rule::keyword => ("a name that is not a keyword", NONE),
        Rule::expr
        | Rule::or_expr
        | Rule::and_expr
        | Rule::not_expr
        | Rule::comparison
        | Rule::sum
        | Rule::product
        | Rule::unary
        | Rule::postfix
        | Rule::primary
        | Rule::group
        | Rule::selected
        | Rule::call
        | Rule::literal
        | Rule::date_value
        | Rule::boolean
        | Rule::not_op
        | Rule::neg_op => ("a value such as `0.8`, `40%`, `IWO` or `sma(IWO, 50)`", NONE),
        Rule::or_op | Rule::and_op | Rule::cmp_op | Rule::cross_op | Rule::add_op | Rule::mul_op | Rule::kw_crosses => {
            ("an operator such as `>`, `+` or `and`", &["and", "or", "crosses"])
        }
        Rule::kw_above | Rule::kw_below => ("`above` or `below`", &["above", "below"]),
        Rule::lag => ("a lag such as `[1]`", NONE),
        Rule::number | Rule::integer => ("a number", NONE),
        Rule::percent => ("a percentage such as `40%`", NONE),
        Rule::money | Rule::dollars => ("an amount of money such as `500 USD` or `$500`", NONE),
        Rule::currency => ("a currency code such as `USD` or `KRW`", NONE),
        Rule::date => ("a date such as `2025-09-17`", NONE),
        Rule::string | Rule::string_inner => ("a quoted text such as `\"prices.csv\"`", NONE),
        Rule::order_size
        | Rule::all_amount
        | Rule::amount
        | Rule::shares_amount
        | Rule::fraction
        | Rule::value_amount => ("an amount such as `500 USD`, `10% of cash` or `all`", &["all"]),
        Rule::fraction_base => ("`cash`, `equity` or `position`", &["cash", "equity", "position"]),
        Rule::target => ("a target weight such as `IWO 40%`", NONE),
        Rule::weighted | Rule::kw_weighted => ("`weighted by` and an expression, or `weighted equally`", &["weighted"]),
        Rule::kw_equally => ("`equally` or `by`", &["equally", "by"]),
        Rule::money_amount => ("an amount such as `(2 * base) USD`", NONE),
        Rule::as_series | Rule::kw_series => ("`series` and a name, as in `as series irx`", &["series"]),
        Rule::tolerance | Rule::kw_tolerance => ("`tolerance 5%`", &["tolerance"]),
        Rule::rank | Rule::kw_top | Rule::kw_bottom => ("`top 1` or `bottom 1`", &["top", "bottom"]),
        Rule::fee => ("a fee such as `0.05%` or `1 USD per trade`", NONE),
        Rule::expense_item => ("a symbol and its expense ratio, such as `IWO 0.24%`", NONE),
        Rule::next_open | Rule::kw_next | Rule::kw_close | Rule::kw_open => {
            ("`next open` or `close`", &["next", "close", "open"])
        }
        Rule::kw_whole | Rule::kw_fractional => ("`whole` or `fractional`", &["whole", "fractional"]),
        Rule::kw_interest => ("`interest`, as in `cash interest 4.5%`", &["interest"]),
        Rule::kw_basis => ("`basis`, as in `cost basis fifo`", &["basis"]),
        Rule::basis_method => ("`fifo` or `average`", &["fifo", "average"]),
        Rule::tax_gains | Rule::tax_preset | Rule::tax_dividends | Rule::kw_gains => (
            "a tax rule: `korea`, `korea-listed`, `capital gains 22% above 2500000 KRW yearly` or `dividends 15%`",
            &["korea", "korea-listed", "capital", "dividends"],
        ),
        Rule::dividends_cash => (
            "`cash`, or a dividend file such as `\"IWO_div.csv\" for IWO`",
            &["cash"],
        ),
        Rule::dividends_word => ("`dividends`, as in `reinvest dividends`", &["dividends"]),
        Rule::kw_for => ("`for`, as in `dividends \"IWO_div.csv\" for IWO`", &["for"]),
        Rule::kw_isa => ("`isa`, as in `account isa`", &["isa"]),
        Rule::low_income => ("`low-income`, as in `account isa low-income`", &["low-income"]),
        Rule::kw_spread => ("`spread`, as in `fx spread 0.25%`", &["spread"]),
        Rule::kw_hold | Rule::delisted_sell => ("`hold` or `sell`", &["hold", "sell"]),
        Rule::strategy_stmt
        | Rule::description_stmt
        | Rule::data_stmt
        | Rule::fomc_stmt
        | Rule::use_stmt
        | Rule::capital_stmt
        | Rule::contribute_stmt
        | Rule::fees_stmt
        | Rule::slippage_stmt
        | Rule::expense_stmt
        | Rule::fill_stmt
        | Rule::benchmark_stmt
        | Rule::currency_stmt
        | Rule::priced_stmt
        | Rule::kw_priced
        | Rule::shares_stmt
        | Rule::lag_stmt
        | Rule::stale_stmt
        | Rule::calendar_stmt
        | Rule::risk_free_stmt
        | Rule::bars_stmt
        | Rule::delisted_stmt
        | Rule::period_stmt
        | Rule::let_stmt
        | Rule::interest_stmt
        | Rule::basis_stmt
        | Rule::tax_stmt
        | Rule::fx_stmt
        | Rule::dividends_stmt
        | Rule::reinvest_stmt
        | Rule::kw_reinvest
        | Rule::kw_dividends
        | Rule::account_stmt
        | Rule::withdraw_stmt
        | Rule::kw_account
        | Rule::kw_withdraw
        | Rule::kw_cost
        | Rule::kw_tax
        | Rule::kw_fx
        | Rule::buy_stmt
        | Rule::sell_stmt
        | Rule::rebalance_stmt
        | Rule::rotate_stmt
        | Rule::kw_strategy
        | Rule::kw_description
        | Rule::kw_data
        | Rule::kw_fomc
        | Rule::kw_use
        | Rule::kw_capital
        | Rule::kw_contribute
        | Rule::kw_fees
        | Rule::kw_slippage
        | Rule::kw_expense
        | Rule::kw_fill
        | Rule::kw_benchmark
        | Rule::kw_currency
        | Rule::kw_lag
        | Rule::kw_stale
        | Rule::kw_calendar
        | Rule::kw_risk
        | Rule::kw_bars
        | Rule::kw_delisted
        | Rule::kw_from
        | Rule::kw_let
        | Rule::kw_buy
        | Rule::kw_sell
        | Rule::kw_rebalance
        | Rule::kw_rotate
        | Rule::hold_stmt
        | Rule::stop_stmt
        | Rule::take_stmt
        | Rule::trailing_stmt
        | Rule::kw_take
        | Rule::kw_trailing
        | Rule::sleeve_stmt
        | Rule::kw_sleeve => (
            "a statement such as `buy`, `sell`, `rebalance`, `let` or `capital`",
            STATEMENT_KEYWORDS,
        ),
        Rule::meeting | Rule::kw_meeting => ("a meeting such as `meeting 2` or `by 2025-12-31`", &["meeting", "by"]),
        Rule::kw_after => ("`after`, as in `stale after 30 days`", &["after"]),
        Rule::exchange => ("a calendar: `nyse`, `krx` or `weekdays`", &["nyse", "krx", "weekdays"]),
        Rule::kw_all => ("`all`", &["all"]),
        Rule::kw_as => ("`as`", &["as"]),
        Rule::kw_dates => ("`dates day-first` or `dates month-first`", &["dates"]),
        Rule::date_order => ("`day-first` or `month-first`", &["day-first", "month-first"]),
        Rule::kw_by => ("`by`", &["by"]),
        Rule::kw_cash => ("`cash`", &["cash"]),
        Rule::kw_day => ("`day`", &["day"]),
        Rule::kw_first => ("`first`", &["first"]),
        Rule::kw_free => ("`free`", &["free"]),
        Rule::kw_last => ("`last`", &["last"]),
        Rule::kw_of => ("`of`", &["of"]),
        Rule::kw_on => ("`on`", &["on"]),
        Rule::kw_per => ("`per trade` or `per year`", &["per"]),
        Rule::kw_shares => ("`shares`", &["shares"]),
        Rule::kw_to => ("`to`", &["to"]),
        Rule::kw_trade => ("`trade`", &["trade"]),
        Rule::kw_trading => ("`trading`", &["trading"]),
        Rule::kw_using => ("`using`", &["using"]),
        Rule::kw_in => ("`in`, as in `priced in KRW 069500.KS`", &["in"]),
        Rule::kw_year => ("`year`, as in `bars per year 52`", &["year"]),
        Rule::hold_side => ("a symbol, weights such as `IWM 60%, AGG 40%`, or `cash`", &["cash"]),
        Rule::kw_if => ("`if` and a condition, as in `hold IWM if … else AGG`", &["if"]),
        Rule::kw_else => ("`else` and the other side, as in `hold IWM if … else AGG`", &["else"]),
        Rule::cooldown | Rule::kw_at => ("a cooldown such as `at most once per month`", &["at"]),
        Rule::kw_most => ("`most`, as in `at most once per month`", &["most"]),
        Rule::cooldown_span | Rule::cooldown_unit => (
            "a period: `day`, `week`, `month`, `quarter`, `year` or a count such as `20 days`",
            &["day", "week", "month", "quarter", "year"],
        ),
        Rule::since_entry | Rule::kw_since => ("`since entry`", &["since"]),
        Rule::kw_entry => ("`entry`, as in `since entry`", &["entry"]),
        Rule::exit_level => ("a percentage such as `10%`, and `on SYMBOL` for one symbol", &["on"]),
        Rule::kw_loss => ("`loss`, as in `stop loss 10%`", &["loss"]),
        Rule::kw_profit => ("`profit`, as in `take profit 25%`", &["profit"]),
        Rule::rule_exits | Rule::kw_with => ("exits such as `with stop loss 10%`", &["with"]),
        Rule::rule_exit => (
            "an exit: `stop loss`, `take profit` or `trailing stop` and a percentage",
            &["stop", "take", "trailing"],
        ),
        // Only after `trailing`: at the start of a line pest reports the line rule.
        Rule::kw_stop => ("`stop`, as in `trailing stop 15%`", &["stop"]),
        Rule::kw_rebalanced => (
            "`rebalanced` and a schedule, or `:`, as in `sleeve momentum 70% rebalanced yearly:`",
            &["rebalanced"],
        ),
    }
}

/// Every word a statement can start with.
pub const STATEMENT_KEYWORDS: &[&str] = &[
    "strategy",
    "description",
    "data",
    "fomc",
    "use",
    "capital",
    "contribute",
    "fees",
    "slippage",
    "expense",
    "fill",
    "benchmark",
    "currency",
    "priced",
    "whole",
    "fractional",
    "lag",
    "stale",
    "calendar",
    "risk",
    "bars",
    "delisted",
    "from",
    "to",
    "let",
    "cash",
    "cost",
    "tax",
    "fx",
    "dividends",
    "reinvest",
    "account",
    "withdraw",
    "buy",
    "sell",
    "rebalance",
    "rotate",
    "hold",
    "stop",
    "take",
    "trailing",
    "sleeve",
];
