//! Calendar dates written as `YYYY-MM-DD`.

use std::fmt;
use std::str::FromStr;

use serde::Serialize;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date {
    pub year: u16,
    pub month: u8,
    pub day: u8,
}

impl Date {
    /// The civil date of a Unix timestamp (UTC), by Howard Hinnant's algorithm.
    pub fn from_unix_seconds(seconds: i64) -> Date {
        let days = seconds.div_euclid(86_400);
        let z = days + 719_468;
        let era = z.div_euclid(146_097);
        let doe = z - era * 146_097;
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let day = doy - (153 * mp + 2) / 5 + 1;
        let month = if mp < 10 { mp + 3 } else { mp - 9 };
        let year = yoe + era * 400 + i64::from(month <= 2);
        Date {
            year: u16::try_from(year).unwrap_or(0),
            month: u8::try_from(month).unwrap_or(1),
            day: u8::try_from(day).unwrap_or(1),
        }
    }
}

impl Date {
    /// The day of `SOURCE_DATE_EPOCH` (seconds since 1970, UTC) when it is set and not empty,
    /// for reproducible builds; a value that is not a whole number of seconds is an error that
    /// names the variable, not silently the clock.
    pub fn source_date_epoch() -> Result<Option<Date>, String> {
        let Some(value) = std::env::var_os("SOURCE_DATE_EPOCH") else {
            return Ok(None);
        };
        let text = value.to_string_lossy();
        if text.trim().is_empty() {
            return Ok(None);
        }
        text.trim()
            .parse::<i64>()
            .ok()
            .filter(|s| s.unsigned_abs() < 253_402_300_800)
            .map(|seconds| Some(Date::from_unix_seconds(seconds)))
            .ok_or_else(|| {
                format!(
                    "环境变量 SOURCE_DATE_EPOCH 应为 1970 年以来的整秒数（如 1767225600），实际是「{text}」"
                )
            })
    }

    /// Today (UTC), or the day of `SOURCE_DATE_EPOCH` when set (reproducible builds and
    /// tests).
    pub fn today() -> Result<Date, String> {
        Ok(Date::source_date_epoch()?.unwrap_or_else(|| {
            let seconds = std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map_or(0, |d| i64::try_from(d.as_secs()).unwrap_or(0));
            Date::from_unix_seconds(seconds)
        }))
    }

    /// Midnight UTC of this day, in seconds since 1970 (inverse of `from_unix_seconds`).
    pub fn unix_seconds(&self) -> i64 {
        let (y, m, d) = (
            i64::from(self.year),
            i64::from(self.month),
            i64::from(self.day),
        );
        let y = if m <= 2 { y - 1 } else { y };
        let era = y.div_euclid(400);
        let yoe = y - era * 400;
        let mp = (m + 9) % 12;
        let doy = (153 * mp + 2) / 5 + d - 1;
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        (era * 146_097 + doe - 719_468) * 86_400
    }
}

fn days_in_month(year: u16, month: u8) -> u8 {
    let leap = (year.is_multiple_of(4) && !year.is_multiple_of(100)) || year.is_multiple_of(400);
    match month {
        2 if leap => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

impl FromStr for Date {
    type Err = ();

    /// Accepts exactly `YYYY-MM-DD` naming a real day.
    fn from_str(s: &str) -> Result<Date, ()> {
        let bytes = s.as_bytes();
        let shape_ok = bytes.len() == 10
            && bytes[4] == b'-'
            && bytes[7] == b'-'
            && bytes
                .iter()
                .enumerate()
                .all(|(i, b)| i == 4 || i == 7 || b.is_ascii_digit());
        if !shape_ok {
            return Err(());
        }
        let year: u16 = s[0..4].parse().map_err(|_| ())?;
        let month: u8 = s[5..7].parse().map_err(|_| ())?;
        let day: u8 = s[8..10].parse().map_err(|_| ())?;
        if year == 0 || !(1..=12).contains(&month) || day == 0 || day > days_in_month(year, month) {
            return Err(());
        }
        Ok(Date { year, month, day })
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

impl Serialize for Date {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> serde::Deserialize<'de> for Date {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let text = String::deserialize(d)?;
        text.parse().map_err(|()| {
            serde::de::Error::custom(format!(
                "{}应为 YYYY-MM-DD 格式的有效日期，实际是 \"{text}\"",
                crate::translate::yaml::OWN_MESSAGE
            ))
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_real_days_only() {
        assert_eq!(
            "2026-01-20".parse::<Date>().unwrap().to_string(),
            "2026-01-20"
        );
        assert!("2024-02-29".parse::<Date>().is_ok());
        for bad in [
            "2026-02-29",
            "2026-13-01",
            "2026-04-31",
            "2026-1-20",
            "20260120",
            "２０２６-01-01",
            "0000-01-01",
            "2026-01-00",
        ] {
            assert!(bad.parse::<Date>().is_err(), "{bad}");
        }
    }

    #[test]
    fn converts_unix_time() {
        assert_eq!(Date::from_unix_seconds(0).to_string(), "1970-01-01");
        assert_eq!(
            Date::from_unix_seconds(1_795_737_600).to_string(),
            "2026-11-27"
        );
    }
}
