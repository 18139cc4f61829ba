//! Counts in words: "1 order", "2 orders". Every count a user reads in a sentence goes
//! through [`count`], so none says "1 orders".

/// `n` and `word`, the word in the plural unless `n` is 1: `count(1, "fill")` is "1 fill",
/// `count(3, "fill")` "3 fills". `word` is a noun whose plural adds `s` (every word rotor
/// counts so: order, fill, variant, argument, parameter).
pub fn count(n: usize, word: &str) -> String {
    if n == 1 {
        format!("1 {word}")
    } else {
        format!("{n} {word}s")
    }
}

#[cfg(test)]
mod tests {
    use super::count;

    #[test]
    fn one_is_singular_and_every_other_count_plural() {
        assert_eq!(count(1, "order"), "1 order");
        assert_eq!(count(0, "order"), "0 orders");
        assert_eq!(count(2, "fill"), "2 fills");
        assert_eq!(count(1_200, "variant"), "1200 variants");
    }
}
