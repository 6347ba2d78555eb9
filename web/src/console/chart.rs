//! The dashboard's requests-per-week bar chart, drawn on the server as SVG: this module works
//! out every bar's geometry and label, the template only writes them out. No script, no inline
//! style (the CSP forbids both); colours come from console.css classes.

use usher_core::service::dashboard::WeekCount;

use super::localized::Rules;

/// Drawing area, in SVG user units (the SVG scales to its box).
pub const WIDTH: u32 = 600;
/// Height of the whole chart, labels included.
pub const HEIGHT: u32 = 180;
/// Room under the bars for the week labels.
const LABEL_BAND: u32 = 24;
/// Room above the tallest bar for its count.
const TOP_BAND: u32 = 18;
/// Gap between bars.
const GAP: u32 = 6;

/// One week's bar.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Bar {
    /// Left edge.
    pub x: u32,
    /// Top edge.
    pub y: u32,
    /// Bar width.
    pub width: u32,
    /// Bar height (0 for an empty week).
    pub height: u32,
    /// Horizontal centre, for the labels.
    pub middle: u32,
    /// Where the count above the bar sits.
    pub count_y: u32,
    /// Requests that week.
    pub count: u64,
    /// `May 13`: month and day the week starts, in the page's language.
    pub label: String,
    /// Tooltip: the full date and the count.
    pub title: String,
}

/// The whole chart.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WeekChart {
    /// Bars, oldest week first.
    pub bars: Vec<Bar>,
    /// `viewBox` width.
    pub width: u32,
    /// `viewBox` height.
    pub height: u32,
    /// Baseline (bottom of the bars).
    pub baseline: u32,
}

impl WeekChart {
    /// Lays out `weeks`, labelled by `rules`; `tooltip` turns a week's start date (written by
    /// `rules`) and count into its tooltip text.
    pub fn new(weeks: &[WeekCount], rules: &Rules, tooltip: impl Fn(&str, u64) -> String) -> Self {
        let baseline = HEIGHT - LABEL_BAND;
        let room = u64::from(baseline - TOP_BAND);
        let highest = weeks.iter().map(|w| w.requests).max().unwrap_or(0).max(1);
        let slots = u32::try_from(weeks.len()).unwrap_or(1).max(1);
        let slot = WIDTH / slots;
        let width = slot.saturating_sub(GAP).max(1);
        let bars = weeks
            .iter()
            .zip(0u32..)
            .map(|(week, i)| {
                // At least one unit for a non-empty week, so a small count stays visible.
                let scaled = week.requests * room / highest;
                let height = u32::try_from(scaled)
                    .unwrap_or(0)
                    .max(u32::from(week.requests > 0));
                let x = i * slot + GAP / 2;
                let y = baseline - height;
                let day = rules.date(week.starts);
                Bar {
                    x,
                    y,
                    width,
                    height,
                    middle: x + width / 2,
                    count_y: y.saturating_sub(4),
                    count: week.requests,
                    label: rules.day_month(week.starts),
                    title: tooltip(&day, week.requests),
                }
            })
            .collect();
        Self {
            bars,
            width: WIDTH,
            height: HEIGHT,
            baseline,
        }
    }

    /// Where the week labels sit.
    pub fn label_y(&self) -> u32 {
        self.height - 6
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use usher_core::domain::Timestamp;

    fn week(day: i64, requests: u64) -> WeekCount {
        WeekCount {
            starts: Timestamp(1_699_833_600_000 + day * 86_400_000),
            requests,
        }
    }

    #[test]
    fn bars_scale_to_the_busiest_week_and_stay_inside() {
        let weeks = [week(0, 0), week(7, 1), week(14, 200)];
        let chart = WeekChart::new(&weeks, Rules::of("en-US"), |day, n| format!("{day}: {n}"));
        let [empty, small, busy] = &chart.bars[..] else {
            panic!("three bars");
        };
        assert_eq!(empty.height, 0);
        assert_eq!(small.height, 1, "a single request is still visible");
        assert_eq!(busy.y, TOP_BAND, "the busiest week fills the room");
        assert_eq!(busy.y + busy.height, chart.baseline);
        assert!(chart.bars.iter().all(|b| b.x + b.width <= WIDTH));
        assert_eq!(empty.label, "Nov 13");
        assert_eq!(busy.title, "Nov 27, 2023: 200");
        let french = WeekChart::new(&weeks, Rules::of("fr"), |day, n| format!("{day}: {n}"));
        assert_eq!(french.bars[0].label, "13 nov.");
        assert_eq!(french.bars[2].title, "27 nov. 2023: 200");
        assert!(empty.x < small.x && small.x < busy.x);
    }

    #[test]
    fn no_weeks_or_no_requests_draw_nothing_tall() {
        let en = Rules::of("en-US");
        let chart = WeekChart::new(&[], en, |_, _| String::new());
        assert!(chart.bars.is_empty());
        let quiet = WeekChart::new(&[week(0, 0), week(7, 0)], en, |_, _| String::new());
        assert!(quiet.bars.iter().all(|b| b.height == 0));
    }
}
