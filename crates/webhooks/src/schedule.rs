//! When a failed delivery is tried again, and when it is given up as `FAILED`.
//!
//! The schedule is a list of delays between attempts (`ORDERPATH_WEBHOOK_RETRY_SCHEDULE`,
//! comma-separated seconds). Each delay is spread by jitter so that deliveries that failed
//! together (a receiver outage) do not all come back in the same second.

use std::time::Duration;

use rand::Rng;

/// Longest accepted single delay: one week. Longer ones are surely a typo (milliseconds?).
pub const MAX_DELAY_SECS: u64 = 7 * 24 * 3600;
/// Most accepted delays; a longer list is surely a mistake.
pub const MAX_RETRIES: usize = 100;
/// Jitter spreads a delay uniformly over ±20 % of itself.
pub const JITTER_FRACTION: f64 = 0.2;

/// The delays between attempts of one delivery; attempt `n + 1` follows attempt `n` after
/// the `n`-th delay. A delivery is attempted at most `len() + 1` times.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RetrySchedule(Vec<Duration>);

/// Why a schedule text was refused; the message names the bad item.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ScheduleError {
    #[error("the retry schedule needs at least one delay")]
    Empty,
    #[error("the retry schedule holds more than {MAX_RETRIES} delays")]
    TooMany,
    #[error("retry delay #{position} {item:?}: {reason}")]
    BadItem {
        /// 1-based position in the list.
        position: usize,
        item: String,
        reason: &'static str,
    },
}

impl Default for RetrySchedule {
    /// 5 s, 5 min, 30 min, 2 h, 5 h, then 10 h seven times: twelve retries after the first
    /// attempt, 3 days 5 h 35 min 5 s in all (before jitter). Early retries catch a blip or a
    /// deploy; the long tail outlasts a weekend outage of the receiver: delivery is retried for
    /// about three days (`docs/webhooks.md`).
    fn default() -> Self {
        const SECS: [u64; 12] = [
            5, 300, 1800, 7200, 18000, 36000, 36000, 36000, 36000, 36000, 36000, 36000,
        ];
        RetrySchedule(SECS.iter().map(|&s| Duration::from_secs(s)).collect())
    }
}

impl RetrySchedule {
    /// Parses `"5,300,1800"`: whole seconds, each 0 to [`MAX_DELAY_SECS`], at least one and
    /// at most [`MAX_RETRIES`]. Blanks around items are allowed.
    pub fn parse(s: &str) -> Result<Self, ScheduleError> {
        if s.trim().is_empty() {
            return Err(ScheduleError::Empty);
        }
        let items: Vec<&str> = s.split(',').collect();
        if items.len() > MAX_RETRIES {
            return Err(ScheduleError::TooMany);
        }
        let delays = items
            .iter()
            .enumerate()
            .map(|(i, raw)| parse_item(raw.trim()).map_err(|reason| bad(i, raw, reason)))
            .collect::<Result<Vec<_>, _>>()?;
        Ok(RetrySchedule(delays))
    }

    /// The delays, in order.
    pub fn delays(&self) -> &[Duration] {
        &self.0
    }

    /// How many retries follow the first attempt.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// Never true for a parsed or default schedule; here for API completeness.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The sum of all delays: how long, before jitter, a delivery keeps being retried.
    pub fn total(&self) -> Duration {
        self.0.iter().sum()
    }

    /// The wait after `attempt` attempts have been made and failed (`attempt` counts from 1):
    /// `delay_after(1)` is the first delay. `None` once the schedule is used up — the delivery
    /// is then `FAILED`. `delay_after(0)`, before any attempt, is zero: the first attempt
    /// goes out at once.
    pub fn delay_after(&self, attempt: u32) -> Option<Duration> {
        match attempt {
            0 => Some(Duration::ZERO),
            n => self.0.get(n as usize - 1).copied(),
        }
    }

    /// Spreads `delay` uniformly over ±[`JITTER_FRACTION`] (±20 %) of itself. The result is
    /// never negative (at least 80 % of `delay`) and zero stays zero.
    pub fn with_jitter<R: Rng + ?Sized>(delay: Duration, rng: &mut R) -> Duration {
        let factor = rng.random_range(1.0 - JITTER_FRACTION..=1.0 + JITTER_FRACTION);
        delay.mul_f64(factor)
    }
}

fn parse_item(item: &str) -> Result<Duration, &'static str> {
    if item.is_empty() {
        return Err("is empty");
    }
    if item.starts_with('-') {
        return Err("is negative");
    }
    let secs: u64 = item
        .parse()
        .map_err(|_| "is not a whole number of seconds")?;
    if secs > MAX_DELAY_SECS {
        return Err("is longer than a week");
    }
    Ok(Duration::from_secs(secs))
}

fn bad(index: usize, raw: &str, reason: &'static str) -> ScheduleError {
    ScheduleError::BadItem {
        position: index + 1,
        item: raw.trim().to_owned(),
        reason,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::rngs::StdRng;
    use rand::SeedableRng;

    fn secs(s: &RetrySchedule) -> Vec<u64> {
        s.delays().iter().map(Duration::as_secs).collect()
    }

    #[test]
    fn default_lasts_about_three_days() {
        let s = RetrySchedule::default();
        let total = s.total().as_secs();
        assert!(
            (2 * 86400 + 12 * 3600..=3 * 86400 + 12 * 3600).contains(&total),
            "{total}"
        );
        assert!(
            s.delays().windows(2).all(|w| w[0] <= w[1]),
            "non-decreasing"
        );
        assert_eq!(s.delay_after(1), Some(Duration::from_secs(5)));
    }

    #[test]
    fn parses_a_list() {
        let s = RetrySchedule::parse("5, 300 ,1800").expect("valid");
        assert_eq!(secs(&s), [5, 300, 1800]);
        assert_eq!(secs(&RetrySchedule::parse("0").expect("valid")), [0]);
        let most = vec!["1"; MAX_RETRIES].join(",");
        assert_eq!(
            RetrySchedule::parse(&most).expect("valid").len(),
            MAX_RETRIES
        );
    }

    #[test]
    fn refuses_bad_lists_naming_the_item() {
        assert_eq!(RetrySchedule::parse(""), Err(ScheduleError::Empty));
        assert_eq!(RetrySchedule::parse("  "), Err(ScheduleError::Empty));
        let too_many = vec!["1"; MAX_RETRIES + 1].join(",");
        assert_eq!(RetrySchedule::parse(&too_many), Err(ScheduleError::TooMany));
        for (text, position, item) in [
            ("5,,10", 2, ""),
            ("5,-3", 2, "-3"),
            ("5,1.5", 2, "1.5"),
            ("abc", 1, "abc"),
            ("5,300,1h", 3, "1h"),
            ("604801", 1, "604801"),
            ("5,", 2, ""),
        ] {
            match RetrySchedule::parse(text) {
                Err(ScheduleError::BadItem {
                    position: p,
                    item: i,
                    ..
                }) => {
                    assert_eq!((p, i.as_str()), (position, item), "{text}");
                }
                other => panic!("{text}: {other:?}"),
            }
        }
        let message = RetrySchedule::parse("5,soon").unwrap_err().to_string();
        assert!(
            message.contains("#2") && message.contains("\"soon\""),
            "{message}"
        );
    }

    #[test]
    fn delay_after_walks_the_list_then_stops() {
        let s = RetrySchedule::parse("5,300").expect("valid");
        assert_eq!(s.delay_after(0), Some(Duration::ZERO));
        assert_eq!(s.delay_after(1), Some(Duration::from_secs(5)));
        assert_eq!(s.delay_after(2), Some(Duration::from_secs(300)));
        assert_eq!(s.delay_after(3), None);
        assert_eq!(s.delay_after(u32::MAX), None);
    }

    #[test]
    fn jitter_stays_within_twenty_percent() {
        let mut rng = StdRng::seed_from_u64(7);
        let base = Duration::from_secs(1000);
        let jittered: Vec<Duration> = (0..1000)
            .map(|_| RetrySchedule::with_jitter(base, &mut rng))
            .collect();
        let (lo, hi) = (Duration::from_secs(800), Duration::from_secs(1200));
        assert!(jittered.iter().all(|d| (lo..=hi).contains(d)));
        assert!(jittered.iter().any(|d| *d < Duration::from_secs(900)));
        assert!(jittered.iter().any(|d| *d > Duration::from_secs(1100)));
        assert_eq!(
            RetrySchedule::with_jitter(Duration::ZERO, &mut rng),
            Duration::ZERO
        );
        let week = Duration::from_secs(MAX_DELAY_SECS);
        assert!(RetrySchedule::with_jitter(week, &mut rng) >= week.mul_f64(0.8));
    }
}
