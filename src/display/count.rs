//! Counts in words: "1 order", "2 orders". Every count a user reads in a sentence goes
//! through [`count`], so none says "1 orders".

/// `n` and `word`, the word in the plural unless `n` is 1: `count(1, "fill")` is "1 fill",
/// `count(3, "fill")` "3 fills", `count(1200, "variant")` "1,200 variants" (digits grouped
/// by three, as every other count and amount rotor writes). `word` is a noun whose plural
/// adds `s` (every word rotor counts so: order, fill, variant, argument, parameter).
pub fn count(n: usize, word: &str) -> String {
    if n == 1 {
        format!("1 {word}")
    } else {
        format!("{} {word}s", group_digits(&n.to_string()))
    }
}

/// `digits` (a run of ASCII digits) with a comma between each group of three: "1200" is
/// "1,200". Every count and amount rotor writes is grouped by this one function.
pub fn group_digits(digits: &str) -> String {
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::count;

    #[test]
    fn one_is_singular_and_every_other_count_plural() {
        assert_eq!(count(1, "order"), "1 order");
        assert_eq!(count(0, "order"), "0 orders");
        assert_eq!(count(2, "fill"), "2 fills");
        assert_eq!(count(999, "variant"), "999 variants");
        assert_eq!(count(1_200, "variant"), "1,200 variants");
        assert_eq!(count(1_234_567, "bar"), "1,234,567 bars");
    }
}
