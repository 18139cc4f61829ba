//! How the report writes numbers: thousands separators, money to the cent.

/// `12345.6` → `12,346`
pub fn thousands(v: f64) -> String {
    let out = crate::display::group_digits(&format!("{:.0}", v.abs()));
    if v < 0.0 { format!("-{out}") } else { out }
}

/// `12,345.67`
pub fn money(v: f64) -> String {
    if !v.is_finite() {
        return "-".into();
    }
    let cents = (v.abs() * 100.0).round();
    let whole = (cents / 100.0).trunc();
    let frac = cents - whole * 100.0;
    let sign = if v < 0.0 && cents > 0.0 { "-" } else { "" };
    format!("{sign}{}.{:02}", thousands(whole), frac as u64)
}

#[cfg(test)]
mod tests {
    use super::money;

    #[test]
    fn money_rounds_to_cents_with_separators() {
        assert_eq!(money(1234567.891), "1,234,567.89");
        assert_eq!(money(-0.004), "0.00");
        assert_eq!(money(-12.5), "-12.50");
        assert_eq!(money(0.996), "1.00");
        assert_eq!(money(f64::NAN), "-");
    }
}
