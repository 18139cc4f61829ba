//! When a series is published, for the FRED series whose release calendar is known by its
//! code: the `lag` the report names for a series a rule reads without one
//! ([`super::staleness::Unlagged`]). A series not listed here is told a delay from its
//! spacing alone (a weekly, monthly, quarterly or yearly figure), and a daily one nothing:
//! a market rate or yield of its own day (DGS2, from the day's closing quotes; DEXKOUS, the
//! noon buying rate) was known that day, and a target rate (DFEDTARU) is dated from the day
//! it took effect, after the FOMC's announcement.

/// A series' publication delay, from its publisher's calendar.
#[derive(Debug, PartialEq)]
pub struct Release {
    /// FRED codes of the series published so.
    pub codes: &'static [&'static str],
    /// The `lag` that reads each value when it was published: `5 days`.
    pub lag: &'static str,
    /// What is published when, in words for the report.
    pub when: &'static str,
}

/// The known releases. Sources: the Department of Labor's weekly claims news release
/// (dol.gov/ui/data.pdf: Thursdays at 8:30 a.m. ET, a day earlier in a week with a Thursday
/// holiday; continued claims lag initial claims by a week), the New York Fed's reference
/// rates (newyorkfed.org/markets/reference-rates/effr: the EFFR at about 9 a.m. ET on the
/// business day after the one it is for; after one of the New York Fed's own holidays on
/// which the NYSE trades, such as Columbus Day, a day later still), and the Federal
/// Reserve's H.15 release for the monthly average of the effective rate (FEDFUNDS).
pub const RELEASES: &[Release] = &[
    Release {
        codes: &["ICSA", "ICNSA", "IC4WSA"],
        lag: "5 days",
        when: "initial claims for the week ending on a Saturday are published by the Department of Labor \
               the next Thursday at 8:30 a.m. ET, 5 days later",
    },
    Release {
        codes: &["CCSA", "CCNSA", "CC4WSA"],
        lag: "12 days",
        when: "continued claims for the week ending on a Saturday are published by the Department of Labor \
               with the next week's initial claims, on the Thursday 12 days later",
    },
    Release {
        codes: &["DFF", "EFFR"],
        lag: "1 day",
        when: "the effective federal funds rate of a business day is published by the Federal Reserve Bank \
               of New York at about 9 a.m. ET the next business day",
    },
    Release {
        codes: &["FEDFUNDS"],
        lag: "1 month",
        when: "the monthly average of the daily effective federal funds rate is complete once the month's \
               last rate is published, the next business day",
    },
];

/// The release of a series called `name`, read from `file`: by its name, or by the file's
/// name without its extension (`ICSA.csv` read `as series claims`), in any case.
pub fn known(name: &str, file: &str) -> Option<&'static Release> {
    let stem = std::path::Path::new(file)
        .file_stem()
        .and_then(|s| s.to_str())
        .unwrap_or("");
    RELEASES.iter().find(|r| {
        r.codes
            .iter()
            .any(|c| c.eq_ignore_ascii_case(name) || c.eq_ignore_ascii_case(stem))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_release_is_found_by_the_series_name_or_the_file_name() {
        assert_eq!(known("ICSA", "x.csv").map(|r| r.lag), Some("5 days"));
        assert_eq!(known("dff", "rates/DFF_2000.csv").map(|r| r.lag), Some("1 day"));
        assert_eq!(known("claims", "data/icsa.csv").map(|r| r.lag), Some("5 days"));
        assert_eq!(known("DGS2", "DGS2.csv"), None);
        assert_eq!(known("UNRATE", "UNRATE.csv"), None);
    }
}
