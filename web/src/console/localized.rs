//! Dates and numbers as each console language writes them: `Dec 5, 2026, 2:03 PM` and
//! `1,234.5` in en-US, `5 déc. 2026, 14:03` and `1 234,5` in French, and so on for the six
//! languages the catalogue ships. Every console page formats through here, so a page never
//! shows an ISO date or a bare `{}` number to someone reading another language.
//!
//! The rules are small hand-written tables taken from CLDR (medium date, short time, the
//! `{1}, {0}` date-time glue, grouping and decimal separators, the percent pattern) rather than
//! ICU4X: six languages need twelve month names and a few separators each, and the page
//! render budget (1–2 ms) and the build stay as they were. Times are UTC: the console does not
//! know the reader's time zone.

use usher_core::domain::Timestamp;

/// Narrow no-break space: French groups digits and sets `%` apart with it (CLDR).
const NARROW_NBSP: &str = "\u{202f}";
/// No-break space: German and Spanish set `%` apart with it (CLDR).
const NBSP: &str = "\u{a0}";

/// How a language writes its medium date.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum DateShape {
    /// `Dec 5, 2026` (en-US).
    MonthDayYear,
    /// `05.12.2026` (de).
    Dotted,
    /// `5 déc. 2026` (fr, es, it).
    DayMonthYear,
    /// `5 de dez. de 2026` (pt-BR).
    DayDeMonthDeYear,
}

/// The formatting rules of one language.
#[derive(Debug, Clone, Copy)]
pub struct Rules {
    /// Abbreviated month names, January first (CLDR format-abbreviated).
    months: [&'static str; 12],
    date: DateShape,
    /// `2:03 PM` instead of `14:03`.
    twelve_hour: bool,
    /// Whether a single-digit hour gets a leading zero (`09:05`, not `9:05`).
    pad_hour: bool,
    group: &'static str,
    decimal: &'static str,
    /// Digits before grouping starts: Spanish writes `1234` but `12.345` (CLDR's minimum
    /// grouping digits of 2).
    min_grouping: usize,
    /// Between the number and `%`.
    percent_gap: &'static str,
}

const EN_US: Rules = Rules {
    months: [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ],
    date: DateShape::MonthDayYear,
    twelve_hour: true,
    pad_hour: false,
    group: ",",
    decimal: ".",
    min_grouping: 1,
    percent_gap: "",
};

const DE: Rules = Rules {
    months: [
        "Jan.", "Feb.", "März", "Apr.", "Mai", "Juni", "Juli", "Aug.", "Sept.", "Okt.", "Nov.",
        "Dez.",
    ],
    date: DateShape::Dotted,
    twelve_hour: false,
    pad_hour: true,
    group: ".",
    decimal: ",",
    min_grouping: 1,
    percent_gap: NBSP,
};

const FR: Rules = Rules {
    months: [
        "janv.", "févr.", "mars", "avr.", "mai", "juin", "juil.", "août", "sept.", "oct.", "nov.",
        "déc.",
    ],
    date: DateShape::DayMonthYear,
    twelve_hour: false,
    pad_hour: true,
    group: NARROW_NBSP,
    decimal: ",",
    min_grouping: 1,
    percent_gap: NARROW_NBSP,
};

const ES: Rules = Rules {
    months: [
        "ene", "feb", "mar", "abr", "may", "jun", "jul", "ago", "sept", "oct", "nov", "dic",
    ],
    date: DateShape::DayMonthYear,
    twelve_hour: false,
    pad_hour: false,
    group: ".",
    decimal: ",",
    min_grouping: 2,
    percent_gap: NBSP,
};

const IT: Rules = Rules {
    months: [
        "gen", "feb", "mar", "apr", "mag", "giu", "lug", "ago", "set", "ott", "nov", "dic",
    ],
    date: DateShape::DayMonthYear,
    twelve_hour: false,
    pad_hour: true,
    group: ".",
    decimal: ",",
    min_grouping: 1,
    percent_gap: "",
};

const PT_BR: Rules = Rules {
    months: [
        "jan.", "fev.", "mar.", "abr.", "mai.", "jun.", "jul.", "ago.", "set.", "out.", "nov.",
        "dez.",
    ],
    date: DateShape::DayDeMonthDeYear,
    twelve_hour: false,
    pad_hour: true,
    group: ".",
    decimal: ",",
    min_grouping: 1,
    percent_gap: "",
};

impl Rules {
    /// The rules for a console language (as the catalogue names it); en-US for anything else.
    pub fn of(lang: &str) -> &'static Rules {
        match lang {
            "de" => &DE,
            "fr" => &FR,
            "es" => &ES,
            "it" => &IT,
            "pt-BR" => &PT_BR,
            _ => &EN_US,
        }
    }

    /// The medium date: `Dec 5, 2026`, `05.12.2026`, `5 déc. 2026`, `5 de dez. de 2026`.
    pub fn date(&self, at: Timestamp) -> String {
        let Some(t) = utc(at) else {
            return at.to_rfc3339();
        };
        let (day, year) = (t.day(), t.year());
        let month = self.months[usize::from(u8::from(t.month())) - 1];
        match self.date {
            DateShape::MonthDayYear => format!("{month} {day}, {year}"),
            DateShape::Dotted => format!("{day:02}.{:02}.{year}", u8::from(t.month())),
            DateShape::DayMonthYear => format!("{day} {month} {year}"),
            DateShape::DayDeMonthDeYear => format!("{day} de {month} de {year}"),
        }
    }

    /// Day and month, for labels where the year is plain: `Dec 5`, `05.12.`, `5 déc.`,
    /// `5 de dez.`.
    pub fn day_month(&self, at: Timestamp) -> String {
        let Some(t) = utc(at) else {
            return at.to_rfc3339();
        };
        let day = t.day();
        let month = self.months[usize::from(u8::from(t.month())) - 1];
        match self.date {
            DateShape::MonthDayYear => format!("{month} {day}"),
            DateShape::Dotted => format!("{day:02}.{:02}.", u8::from(t.month())),
            DateShape::DayMonthYear => format!("{day} {month}"),
            DateShape::DayDeMonthDeYear => format!("{day} de {month}"),
        }
    }

    /// The short time: `2:03 PM`, `14:03`.
    pub fn time(&self, at: Timestamp) -> String {
        self.clock(at, false)
    }

    /// Date and time to the second, for the audit log: `Dec 5, 2026, 2:03:09 PM`.
    pub fn date_time_seconds(&self, at: Timestamp) -> String {
        format!("{}, {}", self.date(at), self.clock(at, true))
    }

    fn clock(&self, at: Timestamp, seconds: bool) -> String {
        let Some(t) = utc(at) else {
            return at.to_rfc3339();
        };
        let (hour, minute) = (t.hour(), t.minute());
        let second = if seconds {
            format!(":{:02}", t.second())
        } else {
            String::new()
        };
        if self.twelve_hour {
            let half = if hour < 12 { "AM" } else { "PM" };
            let hour = match hour % 12 {
                0 => 12,
                h => h,
            };
            format!("{hour}:{minute:02}{second} {half}")
        } else if self.pad_hour {
            format!("{hour:02}:{minute:02}{second}")
        } else {
            format!("{hour}:{minute:02}{second}")
        }
    }

    /// Date and time: `Dec 5, 2026, 2:03 PM`, `5 déc. 2026, 14:03`.
    pub fn date_time(&self, at: Timestamp) -> String {
        format!("{}, {}", self.date(at), self.time(at))
    }

    /// A whole number with the language's grouping: `1,234`, `1.234`, `1 234`, `1234` (es).
    pub fn integer(&self, n: i128) -> String {
        let digits = n.unsigned_abs().to_string();
        let sign = if n < 0 { "-" } else { "" };
        format!("{sign}{}", self.grouped(&digits))
    }

    /// A number with `places` decimals: `1,234.5`, `1 234,5`.
    pub fn decimal(&self, value: f64, places: usize) -> String {
        if !value.is_finite() {
            return value.to_string();
        }
        let text = format!("{:.places$}", value.abs());
        let (whole, fraction) = text.split_once('.').unwrap_or((&text, ""));
        // `-0.0` and values that round to zero carry no sign.
        let negative = value < 0.0 && text.bytes().any(|b| b.is_ascii_digit() && b != b'0');
        let sign = if negative { "-" } else { "" };
        let whole = self.grouped(whole);
        if fraction.is_empty() {
            format!("{sign}{whole}")
        } else {
            format!("{sign}{whole}{}{fraction}", self.decimal)
        }
    }

    /// A whole percentage: `45%`, `45 %` (de, es), `45 %` (fr, narrow space).
    pub fn percent(&self, percent: i128) -> String {
        format!("{}{}%", self.integer(percent), self.percent_gap)
    }

    fn grouped(&self, digits: &str) -> String {
        let len = digits.len();
        if len <= 3 || len < 3 + self.min_grouping {
            return digits.to_owned();
        }
        let mut out = String::with_capacity(len + len / 3 * self.group.len());
        for (i, c) in digits.chars().enumerate() {
            if i > 0 && (len - i).is_multiple_of(3) {
                out.push_str(self.group);
            }
            out.push(c);
        }
        out
    }
}

fn utc(at: Timestamp) -> Option<time::OffsetDateTime> {
    time::OffsetDateTime::from_unix_timestamp_nanos(i128::from(at.0) * 1_000_000).ok()
}

/// A count a template can format whatever its integer type, also through a reference (askama
/// hands loop items over by reference).
pub trait Figure {
    /// The value, widened.
    fn figure(&self) -> i128;
}

macro_rules! figure_for {
    ($($t:ty),*) => {$(
        impl Figure for $t {
            fn figure(&self) -> i128 {
                i128::from(*self)
            }
        }
    )*};
}
figure_for!(u8, u16, u32, u64, i32, i64);

impl Figure for usize {
    fn figure(&self) -> i128 {
        i128::try_from(*self).unwrap_or(i128::MAX)
    }
}

impl<T: Figure + ?Sized> Figure for &T {
    fn figure(&self) -> i128 {
        (**self).figure()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// 2026-12-05 14:03 UTC.
    const AFTERNOON: Timestamp = Timestamp(1_796_479_380_000);
    /// 2026-03-01 09:05 UTC.
    const MORNING: Timestamp = Timestamp(1_772_355_900_000);

    #[test]
    fn dates_and_times_read_as_each_language_writes_them() {
        let cases = [
            ("en-US", "Dec 5, 2026, 2:03 PM", "Mar 1, 2026, 9:05 AM"),
            ("de", "05.12.2026, 14:03", "01.03.2026, 09:05"),
            ("fr", "5 déc. 2026, 14:03", "1 mars 2026, 09:05"),
            ("es", "5 dic 2026, 14:03", "1 mar 2026, 9:05"),
            ("it", "5 dic 2026, 14:03", "1 mar 2026, 09:05"),
            (
                "pt-BR",
                "5 de dez. de 2026, 14:03",
                "1 de mar. de 2026, 09:05",
            ),
            ("ja", "Dec 5, 2026, 2:03 PM", "Mar 1, 2026, 9:05 AM"),
        ];
        for (lang, afternoon, morning) in cases {
            let rules = Rules::of(lang);
            assert_eq!(rules.date_time(AFTERNOON), afternoon, "{lang}");
            assert_eq!(rules.date_time(MORNING), morning, "{lang}");
        }
        assert_eq!(Rules::of("fr").date(AFTERNOON), "5 déc. 2026");
        assert_eq!(Rules::of("de").date(AFTERNOON), "05.12.2026");
        assert_eq!(Rules::of("en-US").day_month(AFTERNOON), "Dec 5");
        assert_eq!(Rules::of("de").day_month(AFTERNOON), "05.12.");
        assert_eq!(Rules::of("pt-BR").day_month(AFTERNOON), "5 de dez.");
    }

    #[test]
    fn midnight_and_noon_are_twelve_in_english() {
        let en = Rules::of("en-US");
        assert_eq!(en.time(Timestamp(0)), "12:00 AM");
        assert_eq!(en.time(Timestamp(12 * 3_600_000)), "12:00 PM");
        assert_eq!(Rules::of("fr").time(Timestamp(0)), "00:00");
        assert_eq!(
            en.date_time_seconds(Timestamp(9_000)),
            "Jan 1, 1970, 12:00:09 AM"
        );
        assert_eq!(
            Rules::of("it").date_time_seconds(Timestamp(9_000)),
            "1 gen 1970, 00:00:09"
        );
    }

    #[test]
    fn numbers_group_and_separate_per_language() {
        let cases = [
            ("en-US", "1,234.5", "1,234", "1,234,567"),
            ("de", "1.234,5", "1.234", "1.234.567"),
            (
                "fr",
                "1\u{202f}234,5",
                "1\u{202f}234",
                "1\u{202f}234\u{202f}567",
            ),
            ("es", "1234,5", "1234", "1.234.567"),
            ("it", "1.234,5", "1.234", "1.234.567"),
            ("pt-BR", "1.234,5", "1.234", "1.234.567"),
        ];
        for (lang, decimal, thousand, million) in cases {
            let rules = Rules::of(lang);
            assert_eq!(rules.decimal(1234.5, 1), decimal, "{lang}");
            assert_eq!(rules.integer(1234), thousand, "{lang}");
            assert_eq!(rules.integer(1_234_567), million, "{lang}");
            assert_eq!(rules.integer(999), "999", "{lang}");
        }
        assert_eq!(Rules::of("es").integer(12_345), "12.345");
        assert_eq!(Rules::of("en-US").integer(-1234), "-1,234");
        assert_eq!(Rules::of("de").decimal(-0.04, 1), "0,0");
        assert_eq!(Rules::of("de").decimal(2.0, 0), "2");
    }

    #[test]
    fn percentages_follow_the_language() {
        let cases = [
            ("en-US", "45%"),
            ("de", "45\u{a0}%"),
            ("fr", "45\u{202f}%"),
            ("es", "45\u{a0}%"),
            ("it", "45%"),
            ("pt-BR", "45%"),
        ];
        for (lang, expected) in cases {
            assert_eq!(Rules::of(lang).percent(45), expected, "{lang}");
        }
    }

    #[test]
    fn figures_take_any_count_type() {
        let n: &u64 = &1234;
        assert_eq!(n.figure(), 1234);
        assert_eq!(7usize.figure(), 7);
        assert_eq!((-3i64).figure(), -3);
    }
}
