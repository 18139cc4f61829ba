//! `--plot FILE.svg|FILE.png`: a static picture of a run (or of several, `rotor compare`)
//! for a chat or an issue tracker: the equity curves on top, the drawdowns below, drawn
//! with plotters. Text is laid out with the DejaVu Sans subset embedded beside this file
//! (no system fonts needed); the colours are Okabe–Ito's, as in the HTML report.

use std::path::Path;
use std::sync::Once;

use plotters::coord::Shift;
use plotters::prelude::*;

use super::Report;
use crate::civil;
use crate::display::escape_line;

/// The picture's size in pixels (an SVG's user units).
const SIZE: (u32, u32) = (1000, 640);
/// The height of the equity panel; the drawdown panel takes the rest.
const EQUITY_HEIGHT: u32 = 410;

const FONT: &[u8] = include_bytes!("DejaVuSans-subset.ttf");
const FAMILY: &str = "sans-serif";

/// Okabe–Ito's colours, in the order lines take them (blue, orange, green, vermillion,
/// reddish purple, sky blue, black, yellow).
const PALETTE: [RGBColor; 8] = [
    RGBColor(0, 114, 178),
    RGBColor(230, 159, 0),
    RGBColor(0, 158, 115),
    RGBColor(213, 94, 0),
    RGBColor(204, 121, 167),
    RGBColor(86, 180, 233),
    RGBColor(0, 0, 0),
    RGBColor(240, 228, 66),
];
const GREY: RGBColor = RGBColor(138, 138, 138);

/// What `--plot` writes, from the file name's extension.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    Svg,
    Png,
}

impl Format {
    /// `.svg` or `.png` (any case); `None` for anything else.
    pub fn of(path: &Path) -> Option<Format> {
        let ext = path.extension()?.to_str()?.to_ascii_lowercase();
        match ext.as_str() {
            "svg" => Some(Format::Svg),
            "png" => Some(Format::Png),
            _ => None,
        }
    }
}

/// One line of the picture: a name, its bars' dates (days since 1970), the portfolio's
/// value at each bar (USD) and its drawdown (a fraction ≤ 0).
pub struct Line {
    pub label: String,
    pub days: Vec<i32>,
    pub equity: Vec<f64>,
    pub underwater: Vec<f64>,
}

/// What is drawn: a title, the lines, and the money put in (dashed grey) when there is one
/// strategy.
pub struct Figure {
    pub title: String,
    pub lines: Vec<Line>,
    pub contributed: Option<Vec<f64>>,
}

impl Figure {
    /// A run: the strategy, its benchmark, and the money put in.
    pub fn of_run(report: &Report) -> Figure {
        let c = &report.curve;
        let mut lines = vec![Line {
            label: "Strategy".into(),
            days: c.days.to_vec(),
            equity: c.equity.to_vec(),
            underwater: c.underwater(),
        }];
        if let Some(b) = &report.benchmark {
            lines.push(Line {
                label: format!("{} (buy & hold)", b.symbol),
                days: b.curve.days.to_vec(),
                equity: b.curve.equity.to_vec(),
                underwater: b.curve.underwater(),
            });
        }
        Figure {
            title: title_of(report),
            lines,
            contributed: Some(c.contributed()),
        }
    }

    /// Several runs side by side, each under its name.
    pub fn of_runs(reports: &[(String, &Report)]) -> Figure {
        Figure {
            title: "Comparison".into(),
            lines: (reports.iter())
                .map(|(name, r)| Line {
                    label: name.clone(),
                    days: r.curve.days.to_vec(),
                    equity: r.curve.equity.to_vec(),
                    underwater: r.curve.underwater(),
                })
                .collect(),
            contributed: None,
        }
    }
}

fn title_of(report: &Report) -> String {
    let name = report.strategy.name.as_deref().unwrap_or(&report.strategy.file);
    let synthetic = if report.data.synthetic {
        " — SYNTHETIC data"
    } else {
        ""
    };
    format!("{name}{synthetic}")
}

/// The picture as the file's bytes.
///
/// # Errors
/// What plotters or the PNG encoder reports (neither fails on a picture in memory unless
/// something is badly wrong); the message says which.
pub fn render(figure: &Figure, format: Format) -> Result<Vec<u8>, String> {
    static FONT_ONCE: Once = Once::new();
    FONT_ONCE.call_once(|| {
        // The font is part of the binary and a test draws with it; a failure here would
        // show as missing text, not as a crash.
        let _ = plotters::style::register_font(FAMILY, FontStyle::Normal, FONT);
    });
    match format {
        Format::Svg => {
            let mut svg = String::new();
            {
                let root = SVGBackend::with_string(&mut svg, SIZE).into_drawing_area();
                draw(&root, figure).map_err(|e| e.to_string())?;
                root.present().map_err(|e| e.to_string())?;
            }
            Ok(svg.into_bytes())
        }
        Format::Png => {
            let (w, h) = SIZE;
            let mut pixels = vec![0u8; (w * h * 3) as usize];
            {
                let root = BitMapBackend::with_buffer(&mut pixels, SIZE).into_drawing_area();
                draw(&root, figure).map_err(|e| e.to_string())?;
                root.present().map_err(|e| e.to_string())?;
            }
            png_bytes(&pixels, w, h).map_err(|e| e.to_string())
        }
    }
}

fn png_bytes(rgb: &[u8], w: u32, h: u32) -> Result<Vec<u8>, png::EncodingError> {
    let mut out = Vec::new();
    let mut encoder = png::Encoder::new(&mut out, w, h);
    encoder.set_color(png::ColorType::Rgb);
    encoder.set_depth(png::BitDepth::Eight);
    encoder.write_header()?.write_image_data(rgb)?;
    Ok(out)
}

type DrawResult<DB> = Result<(), DrawingAreaErrorKind<<DB as DrawingBackend>::ErrorType>>;

fn draw<DB: DrawingBackend>(root: &DrawingArea<DB, Shift>, figure: &Figure) -> DrawResult<DB> {
    root.fill(&WHITE)?;
    let title = escape_line(&figure.title);
    let root = root.titled(&title, (FAMILY, 22))?;
    let (top, bottom) = root.split_vertically(EQUITY_HEIGHT - 30);
    let (from, to) = span(figure);
    let (ticks, keep) = date_ticks(from, to);
    let date = move |d: &f64| date_label(*d, keep);

    let max = (figure.lines.iter().flat_map(|l| l.equity.iter()))
        .chain(figure.contributed.iter().flatten())
        .copied()
        .filter(|v| v.is_finite())
        .fold(0.0_f64, f64::max);
    let mut chart = ChartBuilder::on(&top)
        .margin(12)
        .x_label_area_size(28)
        .y_label_area_size(70)
        .caption("Equity (USD)", (FAMILY, 16))
        .build_cartesian_2d(DateAxis::new(from..to, ticks.clone()), 0.0..(max * 1.05).max(1.0))?;
    chart
        .configure_mesh()
        .x_label_formatter(&date)
        .y_label_formatter(&|v| short_money(*v))
        .label_style((FAMILY, 13))
        .light_line_style(RGBColor(238, 238, 238))
        .draw()?;
    for (i, line) in figure.lines.iter().enumerate() {
        let color = PALETTE[i % PALETTE.len()];
        chart
            .draw_series(LineSeries::new(points(&line.days, &line.equity), color.stroke_width(2)))?
            .label(escape_line(&line.label).into_owned())
            .legend(move |(x, y)| PathElement::new(vec![(x, y), (x + 20, y)], color.stroke_width(2)));
    }
    if let (Some(c), Some(first)) = (&figure.contributed, figure.lines.first()) {
        chart
            .draw_series(DashedLineSeries::new(
                points(&first.days, c),
                6,
                4,
                GREY.stroke_width(1),
            ))?
            .label("Contributed")
            .legend(|(x, y)| PathElement::new(vec![(x, y), (x + 20, y)], GREY.stroke_width(1)));
    }
    chart
        .configure_series_labels()
        .position(SeriesLabelPosition::UpperLeft)
        .label_font((FAMILY, 13))
        .background_style(WHITE.mix(0.85))
        .border_style(RGBColor(200, 200, 200))
        .draw()?;

    let min = (figure.lines.iter().flat_map(|l| l.underwater.iter()))
        .copied()
        .filter(|v| v.is_finite())
        .fold(0.0_f64, f64::min);
    // Falls under 10%: ticks 1 point apart or closer, shown to a tenth so no two read alike.
    let percent_places = if min > -0.1 { 1 } else { 0 };
    let mut chart = ChartBuilder::on(&bottom)
        .margin(12)
        .x_label_area_size(28)
        .y_label_area_size(70)
        .caption("Drawdown (time-weighted, below the last peak)", (FAMILY, 16))
        .build_cartesian_2d(DateAxis::new(from..to, ticks), (min.min(-0.01) * 1.08)..0.0)?;
    chart
        .configure_mesh()
        .x_label_formatter(&date)
        .y_label_formatter(&|v| format!("{}%", crate::report::zero::fixed(v * 100.0, percent_places)))
        .label_style((FAMILY, 13))
        .light_line_style(RGBColor(238, 238, 238))
        .draw()?;
    for (i, line) in figure.lines.iter().enumerate() {
        let color = PALETTE[i % PALETTE.len()];
        let pts: Vec<(f64, f64)> = points(&line.days, &line.underwater).collect();
        if figure.lines.len() == 1 {
            chart.draw_series(AreaSeries::new(pts.clone(), 0.0, color.mix(0.2)))?;
        }
        chart.draw_series(LineSeries::new(pts, color.stroke_width(1)))?;
    }
    Ok(())
}

/// The first and last date of all lines, as days (one day apart at least).
fn span(figure: &Figure) -> (f64, f64) {
    let days = figure.lines.iter().flat_map(|l| l.days.iter()).copied();
    let (lo, hi) = days.fold((i32::MAX, i32::MIN), |(lo, hi), d| (lo.min(d), hi.max(d)));
    if lo > hi {
        return (0.0, 1.0);
    }
    (f64::from(lo), f64::from(hi.max(lo + 1)))
}

/// The finite points of a line, x in days.
fn points<'a>(days: &'a [i32], values: &'a [f64]) -> impl Iterator<Item = (f64, f64)> + Clone + 'a {
    (days.iter().zip(values))
        .filter(|(_, v)| v.is_finite())
        .map(|(&d, &v)| (f64::from(d), v))
}

/// The time axis: days, with its ticks where [`date_ticks`] puts them (plotters' own
/// picks round numbers of days, which fall anywhere in a month).
struct DateAxis {
    days: plotters::coord::types::RangedCoordf64,
    ticks: Vec<f64>,
}

impl DateAxis {
    fn new(days: std::ops::Range<f64>, ticks: Vec<f64>) -> Self {
        DateAxis {
            days: days.into(),
            ticks,
        }
    }
}

impl Ranged for DateAxis {
    type ValueType = f64;
    type FormatOption = plotters::coord::ranged1d::DefaultFormatting;

    fn map(&self, value: &f64, limit: (i32, i32)) -> i32 {
        self.days.map(value, limit)
    }

    fn key_points<Hint: plotters::coord::ranged1d::KeyPointHint>(&self, hint: Hint) -> Vec<f64> {
        // The ticks, and no lighter grid lines between them.
        if hint.weight().allow_light_points() {
            Vec::new()
        } else {
            self.ticks.clone()
        }
    }

    fn range(&self) -> std::ops::Range<f64> {
        self.days.range()
    }
}

/// The time axis' ticks, as days: the first day of a month (every 1, 2, 3 or 6 months) or
/// of a year (every 1, 2, 5, 10, 25 or 50 years), the finest spacing that gives at most 12
/// ticks between `from` and `to`, with how much of `YYYY-MM-DD` labels them (4 on years, 7
/// on months). A tick labelled `2025-04` is then on 1 April 2025, not at some day of April.
/// A run too short for two month starts gets days instead (every 1 or 2 days, or Mondays
/// every 1 or 2 weeks), labelled in full.
fn date_ticks(from: f64, to: f64) -> (Vec<f64>, usize) {
    const MOST: usize = 12;
    let (first, last) = (from.ceil() as i32, to.floor() as i32);
    let (y0, m0, _) = civil::ymd(first);
    let (y1, m1, _) = civil::ymd(last);
    let months = (y1 - y0) * 12 + i64::from(m1) - i64::from(m0) + 1;
    let month_index = |y: i64, m: u32| y * 12 + i64::from(m) - 1;
    let at = |index: i64| civil::days(index.div_euclid(12), (index.rem_euclid(12) + 1) as u32, 1) as f64;
    let steps = [1, 2, 3, 6, 12, 24, 60, 120, 300, 600];
    let step = (steps.iter().copied())
        .find(|&k| months / k < MOST as i64)
        .unwrap_or(1200);
    let start = month_index(y0, m0);
    // The first tick on or after `from`, on a multiple of the step (January for years).
    let first_tick = start + (step - start.rem_euclid(step)) % step;
    let ticks = (0..)
        .map(|k| first_tick + k * step)
        .map(at)
        .take_while(|&d| d <= to)
        .filter(|&d| d >= from)
        .collect::<Vec<f64>>();
    if ticks.len() >= 2 {
        return (ticks, if step >= 12 { 4 } else { 7 });
    }
    let span = i64::from(last - first) + 1;
    let step = ([1, 2, 7, 14].into_iter())
        .find(|&k| span / k < MOST as i64)
        .unwrap_or(28);
    // Days on their own, weeks from a Monday (1970-01-01, day 0, was a Thursday).
    let start = if step >= 7 {
        i64::from(first) + (4 - i64::from(first)).rem_euclid(7)
    } else {
        i64::from(first)
    };
    let days = (0..)
        .map(|k| (start + k * step) as f64)
        .take_while(|&d| d <= to)
        .collect();
    (days, 10)
}

/// A tick's date: the first `keep` characters of `YYYY-MM-DD` (the year, the month, the day).
fn date_label(day: f64, keep: usize) -> String {
    let iso = civil::iso(day.round() as i32);
    iso.get(..keep).unwrap_or(&iso).to_string()
}

/// `12k`, `1.5M`: an axis label for money.
fn short_money(v: f64) -> String {
    let a = v.abs();
    if a >= 1e9 {
        format!("{:.1}B", v / 1e9)
    } else if a >= 1e6 {
        format!("{:.1}M", v / 1e6)
    } else if a >= 1e4 {
        format!("{:.0}k", v / 1e3)
    } else if a >= 1e3 {
        // 1.2k, 1.4k: whole thousands would label 1,000, 1,200 and 1,400 all `1k`.
        format!("{:.1}k", v / 1e3)
    } else {
        format!("{v:.0}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn figure() -> Figure {
        Figure {
            title: "Test <&> \u{1b}[31m".into(),
            lines: vec![Line {
                label: "Strategy".into(),
                days: vec![19_724, 19_725, 19_726],
                equity: vec![1000.0, 1100.0, f64::NAN],
                underwater: vec![0.0, 0.0, -0.1],
            }],
            contributed: Some(vec![1000.0, 1000.0, 1000.0]),
        }
    }

    #[test]
    fn formats_come_from_the_extension() {
        assert_eq!(Format::of(Path::new("a.SVG")), Some(Format::Svg));
        assert_eq!(Format::of(Path::new("dir.png/a.png")), Some(Format::Png));
        assert_eq!(Format::of(Path::new("a.jpg")), None);
        assert_eq!(Format::of(Path::new("png")), None);
    }

    #[test]
    fn an_svg_escapes_the_title_and_draws_the_lines() {
        let svg = String::from_utf8(render(&figure(), Format::Svg).unwrap()).unwrap();
        assert!(svg.starts_with("<svg"));
        assert!(svg.contains("Test &lt;&amp;&gt; \\u{1b}[31m"), "{}", &svg[..400]);
        assert!(svg.contains("Contributed") && svg.contains("Strategy"));
        // The equity line: a polyline through the two finite points.
        assert!(svg.contains("<polyline"));
    }

    #[test]
    fn a_png_is_a_png_of_the_size() {
        let png = render(&figure(), Format::Png).unwrap();
        assert_eq!(&png[..8], b"\x89PNG\r\n\x1a\n");
        // IHDR: width and height, big-endian, after the 8-byte signature and 8 bytes of chunk header.
        assert_eq!(u32::from_be_bytes(png[16..20].try_into().unwrap()), SIZE.0);
        assert_eq!(u32::from_be_bytes(png[20..24].try_into().unwrap()), SIZE.1);
    }

    #[test]
    fn ticks_fall_on_the_first_of_a_month_or_a_year() {
        let day = |y, m, d| civil::days(y, m, d) as f64;
        // 2024-10-02 to 2025-07-31: ten months, a tick on each month's first day.
        let (ticks, keep) = date_ticks(day(2024, 10, 2), day(2025, 7, 31));
        assert_eq!(keep, 7);
        let iso: Vec<String> = ticks.iter().map(|&d| civil::iso(d as i32)).collect();
        assert_eq!(iso.len(), 9);
        assert_eq!((iso[0].as_str(), iso[8].as_str()), ("2024-11-01", "2025-07-01"));
        // 2023-10-02 to 2025-07-31: 22 months, every 2 months (January among them).
        let (ticks, _) = date_ticks(day(2023, 10, 2), day(2025, 7, 31));
        let iso: Vec<String> = ticks.iter().map(|&d| civil::iso(d as i32)).collect();
        assert_eq!(iso[..3], ["2023-11-01", "2024-01-01", "2024-03-01"]);
        // 2005-01-03 to 2025-12-31: 21 years, every 2 years on 1 January.
        let (ticks, keep) = date_ticks(day(2005, 1, 3), day(2025, 12, 31));
        assert_eq!(keep, 4);
        let iso: Vec<String> = ticks.iter().map(|&d| civil::iso(d as i32)).collect();
        assert_eq!(iso.len(), 10);
        assert_eq!((iso[0].as_str(), iso[9].as_str()), ("2006-01-01", "2024-01-01"));
        // Two weeks hold one month start: days instead, every 2 days (15 days), in full.
        let (ticks, keep) = date_ticks(day(2024, 1, 25), day(2024, 2, 8));
        assert_eq!(keep, 10);
        assert_eq!(ticks.first().copied(), Some(day(2024, 1, 25)));
        assert_eq!(ticks.len(), 8);
        // Three weeks (2019-03-04 to 03-22, a Monday): every 2 days; seven weeks: Mondays.
        let (ticks, _) = date_ticks(day(2019, 3, 4), day(2019, 3, 22));
        assert_eq!((ticks.len(), ticks[1] - ticks[0]), (10, 2.0));
        let (ticks, _) = date_ticks(day(2019, 3, 6), day(2019, 4, 24));
        let iso: Vec<String> = ticks.iter().map(|&d| civil::iso(d as i32)).collect();
        assert_eq!(iso.first().map(String::as_str), Some("2019-03-11"));
        assert!(ticks.windows(2).all(|w| w[1] - w[0] == 7.0), "{iso:?}");
    }

    #[test]
    fn labels() {
        assert_eq!(date_label(19_724.0, 4), "2024");
        assert_eq!(date_label(19_724.0, 7), "2024-01");
        assert_eq!(short_money(12_345.0), "12k");
        assert_eq!(short_money(1_200.0), "1.2k");
        assert_eq!(short_money(1_500_000.0), "1.5M");
        assert_eq!(short_money(950.0), "950");
    }
}
