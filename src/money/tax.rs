//! Capital-gains tax rules. Three ways of netting (docs/TAXES.md gives each preset's
//! source and year):
//!
//! - [`Netting::Yearly`] (`tax korea`, `tax capital gains …`): gains and losses of all
//!   symbols netted per calendar year, a yearly deduction, one rate on the rest, paid at
//!   the end of May of the following year. A loss year owes nothing and its loss is not
//!   carried into the next year.
//! - [`Netting::Sale`] (`tax korea-listed`): each sale's gain taxed on its own, withheld
//!   from the sale's proceeds; a sale at a loss owes nothing and its loss offsets nothing.
//! - [`Netting::Account`] (`account isa`): gains and losses of every sale over the whole
//!   life of the account netted, a deduction, one rate on the rest, owed when the account
//!   is closed (the end of the run).

use crate::civil;

/// How a rule nets gains and losses, and when its tax is paid.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Netting {
    /// Per calendar year, paid by May 31 of the next year.
    #[default]
    Yearly,
    /// Each sale alone, withheld at the sale.
    Sale,
    /// Over the account's life, due when it is closed.
    Account,
}

/// A capital-gains tax rule.
#[derive(Clone, Debug, PartialEq)]
pub struct TaxRule {
    /// How the strategy named it: `korea`, `korea-listed`, `isa`, `isa low-income`, or
    /// `capital gains` for the generic form.
    pub name: String,
    /// The rate on the taxable gain, a fraction (0.22).
    pub rate: f64,
    /// Deducted from each netted gain (a year's, or the account's), in the gains' currency.
    pub deduction: f64,
    /// Whether gains are computed in the base currency (`currency KRW using …`) rather
    /// than in USD.
    pub in_base: bool,
    pub netting: Netting,
    /// The tax on distributions (dividends) the rule implies, a fraction, where it has one
    /// of its own: 15.4% for a Korean-listed fund. Read by the dividend path through
    /// [`super::Settings::dividend_tax`].
    pub dividend_rate: Option<f64>,
    /// A Korean assessment in won (the presets `korea`, `korea-listed`, `isa`): the taxable
    /// amount is cut to the won and the tax to ten won, its national part and its local
    /// income tax (10% of the national) each ([`won_assessed`]).
    pub in_won: bool,
}

/// The national income tax's share of a Korean preset's rate: the rate is the national
/// rate plus the local income tax at 10% of it (22% = 20% + 2%, 15.4% = 14% + 1.4%,
/// 9.9% = 9% + 0.9%).
const NATIONAL_SHARE: f64 = 1.0 / 1.1;

/// Cuts `won` down to ten won (국고금 관리법 제47조①: amounts under 10 won in a national
/// receipt are not counted, and a whole amount under 10 won is not collected). A
/// product that is a multiple of ten won but for the last bit of rounding counts as that
/// multiple; NaN stays NaN.
fn to_ten_won(won: f64) -> f64 {
    ((won + 1e-6) / 10.0).floor() * 10.0
}

/// The tax in won at `rate` (national plus local, [`NATIONAL_SHARE`]) on `base` won, as a
/// Korean assessment makes it: the base cut to the won (국고금 관리법 제47조②), the
/// national tax and the local income tax each cut to ten won (제47조①; ③ lets local
/// governments do the same). 22% of 2,289,123.45 KRW is 457,820 + 45,780 = 503,600, not
/// 503,607.16.
pub fn won_assessed(base: f64, rate: f64) -> f64 {
    let national = to_ten_won((base + 1e-6).floor() * rate * NATIONAL_SHARE);
    national + to_ten_won(national * 0.1)
}

impl TaxRule {
    /// `tax korea`: 22% (20% national + 2% local income tax) on a resident's net gains
    /// from overseas shares above 2,500,000 KRW a year, in KRW.
    pub fn korea() -> TaxRule {
        TaxRule {
            name: "korea".into(),
            rate: 0.22,
            deduction: 2_500_000.0,
            in_base: true,
            netting: Netting::Yearly,
            dividend_rate: None,
            in_won: true,
        }
    }

    /// `tax korea-listed`: a Korean-listed fund holding overseas shares. Its gain is
    /// dividend income, 15.4% (14% + 1.4% local income tax) withheld at each sale, with no
    /// deduction and no netting; its distributions are taxed 15.4% too. The law taxes the
    /// lesser of the trading gain and the gain of the tax-base price (과세표준기준가격);
    /// rotor has no tax-base price and taxes the trading gain in KRW.
    pub fn korea_listed() -> TaxRule {
        TaxRule {
            name: "korea-listed".into(),
            rate: 0.154,
            deduction: 0.0,
            in_base: true,
            netting: Netting::Sale,
            dividend_rate: Some(0.154),
            in_won: true,
        }
    }

    /// `account isa`: an individual savings account, general type (일반형), rules as of
    /// 2025: gains and losses netted over the account's life, 2,000,000 KRW tax-free, 9.9%
    /// (9% + 0.9% local) on the rest when the account is closed. `low_income`: the
    /// 서민형 variant, 4,000,000 KRW tax-free.
    pub fn isa(low_income: bool) -> TaxRule {
        TaxRule {
            name: if low_income { "isa low-income" } else { "isa" }.into(),
            rate: 0.099,
            deduction: if low_income { 4_000_000.0 } else { 2_000_000.0 },
            in_base: true,
            netting: Netting::Account,
            dividend_rate: None,
            in_won: true,
        }
    }

    /// The tax on a netted gain (or on one sale's gain, for [`Netting::Sale`]).
    pub fn tax(&self, net_gain: f64) -> f64 {
        self.levied(self.taxable(net_gain), self.rate)
    }

    /// The tax at `rate` on `taxable`, in the rule's currency: cut to ten won for a Korean
    /// assessment ([`won_assessed`]), else exact.
    pub fn levied(&self, taxable: f64, rate: f64) -> f64 {
        if self.in_won {
            won_assessed(taxable, rate)
        } else {
            taxable * rate
        }
    }

    /// What is taxed of a netted gain: the gain above the deduction, never negative; NaN
    /// (unknown) for an unknown gain (a sale in the base currency on a day without an
    /// exchange rate), never a silent 0.
    pub fn taxable(&self, net_gain: f64) -> f64 {
        if net_gain.is_nan() {
            return f64::NAN;
        }
        let taxable = (net_gain - self.deduction).max(0.0);
        // 국고금 관리법 제47조②: a tax base is counted in whole won.
        if self.in_won { (taxable + 1e-6).floor() } else { taxable }
    }

    /// Whether the investor converts dollars to pay the tax (and pays the FX spread): a
    /// tax on overseas shares is paid to the tax office in KRW; a Korean fund's or an
    /// ISA's tax is taken in KRW inside the account, where the fund already holds KRW.
    pub fn converted(&self) -> bool {
        self.in_base && self.netting == Netting::Yearly
    }
}

/// The yearly contribution limit of an ISA, KRW (조세특례제한법 제91조의18): contributions
/// above it in a calendar year are warned about in the report, not capped.
pub const ISA_YEARLY_LIMIT: f64 = 20_000_000.0;

/// The limit on an ISA's contributions over its life, KRW (the same article: the yearly
/// limit carried over, up to 100,000,000): above it, warned about, not capped.
pub const ISA_TOTAL_LIMIT: f64 = 100_000_000.0;

/// The day the tax on `year`'s gains is due: May 31 of the next year (day number).
pub fn deadline(year: i64) -> i32 {
    civil::days(year + 1, 5, 31) as i32
}

/// One tax year as the run saw it.
#[derive(Clone, Debug, Default, PartialEq, serde::Serialize)]
pub struct TaxYear {
    pub year: i64,
    /// Gains less losses of the year's sales, in the rule's currency.
    pub net_gain: f64,
    pub deduction: f64,
    pub taxable: f64,
    /// The tax, in the rule's currency.
    pub tax: f64,
    /// The date it was paid (`None`: due at the end of the run). With tax withheld at
    /// each sale (`korea-listed`), the date of the year's last sale.
    pub paid_on: Option<String>,
    /// What paying it took from cash, USD (with the FX spread); 0 while it is due.
    pub paid_usd: f64,
    /// `korea-listed`: the tax was withheld from each sale's proceeds, each gain taxed on
    /// its own (`taxable` is the sum of the gains, `net_gain` gains less losses).
    pub withheld_at_sale: bool,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn korean_tax_is_assessed_in_whole_won_and_cut_to_ten_won() {
        // Attack 8b finding 15: "tax 503,559.40 KRW". A net gain of 4,789,123.45 KRW:
        // taxable 2,289,123 (whole won); national 20% = 457,824.6 → 457,820; local 10% of
        // it = 45,782 → 45,780; tax 503,600 (22% exact would be 503,607.159).
        let k = TaxRule::korea();
        assert_eq!(k.taxable(4_789_123.45), 2_289_123.0);
        assert_eq!(k.tax(4_789_123.45), 503_600.0);
        // korea-listed, 15.4% of a 12,345.67 KRW gain: 12,345 → national 14% = 1,728.3 →
        // 1,720; local 172 → 170; 1,890.
        assert_eq!(TaxRule::korea_listed().tax(12_345.67), 1_890.0);
        // A whole tax under 10 won is not collected: 14% of 70 KRW is 9.8.
        assert_eq!(TaxRule::korea_listed().tax(70.0), 0.0);
        // isa, 9.9% of 2,123,456.78 − 2,000,000 = 123,456 → 9% = 11,111.04 → 11,110; local
        // 1,111 → 1,110; 12,220.
        assert_eq!(TaxRule::isa(false).tax(2_123_456.78), 12_220.0);
        // Multiples of ten won at every step stay as they are: 22% of 4,750,000 is
        // 950,000 + 95,000.
        assert_eq!(TaxRule::korea().tax(7_250_000.0), 1_045_000.0);
        // An unknown gain stays unknown.
        assert!(k.tax(f64::NAN).is_nan());
        // A rate of the user's is exact, in any currency.
        let own = TaxRule {
            in_won: false,
            ..TaxRule::korea()
        };
        assert!((own.tax(4_789_123.45) - 0.22 * 2_289_123.45).abs() < 1e-6);
    }

    #[test]
    fn the_issue_example() {
        // A 7,250,000 KRW gain: 22% of 7,250,000 − 2,500,000 = 4,750,000 is 1,045,000 KRW.
        let k = TaxRule::korea();
        assert_eq!(k.taxable(7_250_000.0), 4_750_000.0);
        assert!((k.tax(7_250_000.0) - 1_045_000.0).abs() < 1e-6);
    }

    #[test]
    fn below_the_deduction_and_loss_years_owe_nothing() {
        let k = TaxRule::korea();
        assert_eq!(k.tax(2_500_000.0), 0.0);
        assert_eq!(k.tax(-3_000_000.0), 0.0);
    }

    #[test]
    fn due_at_the_end_of_the_next_may() {
        assert_eq!(civil::iso(deadline(2024)), "2025-05-31");
    }
}
