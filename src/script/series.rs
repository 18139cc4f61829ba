//! The `Series` type scripts see: a column cut off at today's bar.

use std::fmt;
use std::sync::Arc;

use rhai::{Dynamic, Engine, EvalAltResult, Position};

/// A read-only view of a column up to and including bar `t`.
///
/// This is rotor's look-ahead guarantee for scripts: the view holds the whole column (so
/// making one per bar is cheap), but every way a script can read it is relative to `t` and
/// stops there. `s[0]` is bar `t`, `s[1]` the bar before; an index past the first bar, a
/// negative index, or a bar whose value is `NaN` reads as `()`, never as another bar.
#[derive(Clone)]
pub struct SeriesView {
    data: Arc<[f64]>,
    t: usize,
}

impl SeriesView {
    /// The column `data` as seen on bar `t`. A `t` past the end of `data` is clamped to the
    /// last bar, so a view can never claim bars that do not exist.
    pub fn new(data: Arc<[f64]>, t: usize) -> Self {
        let t = t.min(data.len().saturating_sub(1));
        SeriesView { data, t }
    }

    /// How many bars the script can see: `t + 1`, or 0 for an empty column.
    pub fn len(&self) -> usize {
        if self.data.is_empty() { 0 } else { self.t + 1 }
    }

    pub fn is_empty(&self) -> bool {
        self.data.is_empty()
    }

    /// The value `lag` bars before today, `None` when that bar is before the first one, or
    /// its value is not available (`NaN`).
    pub fn get(&self, lag: i64) -> Option<f64> {
        let lag = usize::try_from(lag).ok()?;
        let index = self.t.checked_sub(lag)?;
        let value = *self.data.get(index)?;
        (!value.is_nan()).then_some(value)
    }

    /// The last `n` values, oldest first, or `None` if fewer than `n` bars exist or one of
    /// them is not available.
    fn window(&self, n: usize) -> Option<&[f64]> {
        if n == 0 || n > self.len() {
            return None;
        }
        let window = &self.data[self.t + 1 - n..=self.t];
        window.iter().all(|v| !v.is_nan()).then_some(window)
    }
}

/// Deliberately shows only what the script may see: today's value and the length.
impl fmt::Debug for SeriesView {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Series(len = {}, today = {:?})", self.len(), self.get(0))
    }
}

/// Makes `Series` known to `engine`: indexing, `len`, and the window helpers, each taking its
/// index or window length as an integer or as a whole float (rotor passes numbers as floats).
pub fn register(engine: &mut Engine) {
    engine.register_type_with_name::<SeriesView>("Series");
    engine.register_indexer_get(|s: &mut SeriesView, lag: i64| available(s.get(lag)));
    engine.register_indexer_get(|s: &mut SeriesView, lag: f64| whole(lag, "index").map(|lag| available(s.get(lag))));
    engine.register_fn("len", |s: &mut SeriesView| i64::try_from(s.len()).unwrap_or(i64::MAX));
    engine.register_fn("to_string", |s: &mut SeriesView| format!("{s:?}"));
    engine.register_fn("to_debug", |s: &mut SeriesView| format!("{s:?}"));
    helper(engine, "sum", 1, |w| w.iter().sum());
    helper(engine, "mean", 1, mean);
    helper(engine, "min", 1, |w| w.iter().copied().fold(f64::INFINITY, f64::min));
    helper(engine, "max", 1, |w| {
        w.iter().copied().fold(f64::NEG_INFINITY, f64::max)
    });
    helper(engine, "stdev", 2, |w| {
        let m = mean(w);
        let squares: f64 = w.iter().map(|v| (v - m) * (v - m)).sum();
        (squares / (w.len() - 1) as f64).sqrt()
    });
}

fn mean(window: &[f64]) -> f64 {
    window.iter().sum::<f64>() / window.len() as f64
}

/// Registers `s.name(n)` for integer and float `n`: `f` over the last `n` values, `()` when
/// they are not all available, an error when `n` is below `min_n`.
fn helper(engine: &mut Engine, name: &'static str, min_n: i64, f: fn(&[f64]) -> f64) {
    let run = move |s: &SeriesView, n: i64| -> Result<Dynamic, Box<EvalAltResult>> {
        if n < min_n {
            let at_least = crate::display::count(usize::try_from(min_n).unwrap_or(0), "bar");
            let message = format!("`{name}` needs a window of at least {at_least}, not {n}");
            return Err(EvalAltResult::ErrorRuntime(message.into(), Position::NONE).into());
        }
        let n = usize::try_from(n).unwrap_or(usize::MAX);
        Ok(available(s.window(n).map(f)))
    };
    engine.register_fn(name, move |s: &mut SeriesView, n: i64| run(s, n));
    engine.register_fn(name, move |s: &mut SeriesView, n: f64| {
        run(s, whole(n, "window length")?)
    });
}

fn available(value: Option<f64>) -> Dynamic {
    value.map_or(Dynamic::UNIT, Dynamic::from_float)
}

/// A float used as a count must be a whole number; `90.0` is `90`, `2.5` is a mistake. A
/// whole number beyond `i64` (`1e300`) saturates: it is further back than any data, so its
/// bar or window is not available, as for any index past the first bar.
fn whole(x: f64, what: &str) -> Result<i64, Box<EvalAltResult>> {
    if x.is_finite() && x.fract() == 0.0 {
        Ok(x as i64)
    } else {
        let message = format!("a series {what} must be a whole number, not {x}");
        Err(EvalAltResult::ErrorRuntime(message.into(), Position::NONE).into())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn view(values: &[f64], t: usize) -> SeriesView {
        SeriesView::new(values.into(), t)
    }

    #[test]
    fn lags_count_back_from_today_and_stop_at_the_first_bar() {
        let s = view(&[10.0, 11.0, 12.0, 13.0, 14.0], 2);
        assert_eq!(s.len(), 3);
        assert_eq!(s.get(0), Some(12.0));
        assert_eq!(s.get(2), Some(10.0));
        assert_eq!(s.get(3), None, "before the first bar");
        assert_eq!(s.get(-1), None, "tomorrow is bar 3, which must stay hidden");
        assert_eq!(s.get(i64::MIN), None);
        assert_eq!(s.get(i64::MAX), None);
    }

    #[test]
    fn nan_is_not_available() {
        let s = view(&[1.0, f64::NAN, 3.0], 2);
        assert_eq!(s.get(1), None);
        assert_eq!(s.window(2), None, "the window [NaN, 3] has a hole");
        assert_eq!(s.window(1), Some(&[3.0][..]));
    }

    #[test]
    fn a_view_past_the_end_is_clamped_and_an_empty_column_has_no_bars() {
        let s = view(&[1.0, 2.0], 99);
        assert_eq!(s.len(), 2);
        assert_eq!(s.get(0), Some(2.0));
        let empty = view(&[], 0);
        assert_eq!(empty.len(), 0);
        assert_eq!(empty.get(0), None);
        assert_eq!(empty.window(1), None);
    }

    #[test]
    fn windows_end_today_and_never_include_later_bars() {
        let s = view(&[1.0, 2.0, 4.0, 8.0, 1000.0], 3);
        assert_eq!(s.window(3), Some(&[2.0, 4.0, 8.0][..]));
        assert_eq!(s.window(4), Some(&[1.0, 2.0, 4.0, 8.0][..]));
        assert_eq!(s.window(5), None, "only 4 bars exist on day 3");
        assert_eq!(s.window(0), None);
    }

    #[test]
    fn debug_output_does_not_show_later_bars() {
        let s = view(&[1.0, 2.0, 777.0], 1);
        let shown = format!("{s:?}");
        assert_eq!(shown, "Series(len = 2, today = Some(2.0))");
    }

    #[test]
    fn whole_numbers_only() {
        assert_eq!(whole(90.0, "index").ok(), Some(90));
        assert_eq!(whole(-1.0, "index").ok(), Some(-1));
        assert_eq!(whole(1e300, "index").ok(), Some(i64::MAX), "whole, and saturated");
        assert_eq!(whole(-1e18, "index").ok(), Some(-1_000_000_000_000_000_000));
        assert!(whole(2.5, "index").is_err());
        assert!(whole(f64::NAN, "index").is_err());
        assert!(whole(f64::INFINITY, "index").is_err());
    }
}
