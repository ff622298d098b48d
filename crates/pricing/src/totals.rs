use rust_decimal::Decimal;

use crate::round_money;

/// What a line's totals depend on: the prices in force (override or catalog), the
/// quantity and the VAT rate in percent.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LineInput {
    pub unit_price: Decimal,
    pub purchase_price: Decimal,
    pub quantity: Decimal,
    pub vat_rate: Decimal,
}

/// Totals of a line or of a whole document, in cents. A margin percentage is `None` when
/// the net total is zero: a margin percentage of nothing is undefined.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Totals {
    pub net_total: Decimal,
    pub vat_total: Decimal,
    pub gross_total: Decimal,
    pub purchase_total: Decimal,
    pub margin: Decimal,
    pub margin_percent: Option<Decimal>,
}

/// A line's totals, each rounded to cents in the specified order ([`Totals::compute`]).
pub type LineTotals = Totals;

/// A document's totals: sums of its lines, with the margin percentage computed from
/// those sums, not averaged from the lines ([`Totals::sum`]).
pub type DocumentTotals = Totals;

impl Totals {
    /// net = round(unit price × quantity); VAT = round(net × rate / 100);
    /// gross = net + VAT; purchase = round(purchase price × quantity);
    /// margin = net − purchase; margin % = round(margin / net × 100).
    pub fn compute(line: &LineInput) -> Self {
        let net_total = round_money(line.unit_price * line.quantity);
        let vat_total = round_money(net_total * line.vat_rate / Decimal::ONE_HUNDRED);
        let purchase_total = round_money(line.purchase_price * line.quantity);
        let margin = net_total - purchase_total;
        Totals {
            net_total,
            vat_total,
            gross_total: net_total + vat_total,
            purchase_total,
            margin,
            margin_percent: margin_percent(margin, net_total),
        }
    }

    /// The totals of a document of `lines`.
    pub fn sum<'a>(lines: impl IntoIterator<Item = &'a LineTotals>) -> Self {
        let mut totals = Totals::default();
        for line in lines {
            totals.net_total += line.net_total;
            totals.vat_total += line.vat_total;
            totals.gross_total += line.gross_total;
            totals.purchase_total += line.purchase_total;
            totals.margin += line.margin;
        }
        totals.margin_percent = margin_percent(totals.margin, totals.net_total);
        totals
    }
}

fn margin_percent(margin: Decimal, net_total: Decimal) -> Option<Decimal> {
    if net_total.is_zero() {
        None
    } else {
        Some(round_money(margin / net_total * Decimal::ONE_HUNDRED))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use std::str::FromStr;

    fn dec(s: &str) -> Decimal {
        Decimal::from_str(s).expect("decimal")
    }

    fn line(unit: &str, purchase: &str, qty: &str, vat: &str) -> LineInput {
        LineInput {
            unit_price: dec(unit),
            purchase_price: dec(purchase),
            quantity: dec(qty),
            vat_rate: dec(vat),
        }
    }

    #[test]
    fn the_specification_example_line() {
        let t = LineTotals::compute(&line("4.20", "3.10", "120.5", "23"));
        assert_eq!(t.net_total, dec("506.10"));
        assert_eq!(t.vat_total, dec("116.40"));
        assert_eq!(t.gross_total, dec("622.50"));
        assert_eq!(t.purchase_total, dec("373.55"));
        assert_eq!(t.margin, dec("132.55"));
        assert_eq!(t.margin_percent, Some(dec("26.19")));
    }

    #[test]
    fn rounding_happens_per_step_half_away_from_zero() {
        // 0.0049 × 3 = 0.0147 → 0.01; VAT 23 % of 0.01 = 0.0023 → 0.00
        let t = LineTotals::compute(&line("0.0049", "0", "3", "23"));
        assert_eq!(t.net_total, dec("0.01"));
        assert_eq!(t.vat_total, dec("0.00"));
        // 0.125 × 1 = 0.125 → 0.13 (half away from zero, not to even)
        let t = LineTotals::compute(&line("0.125", "0.1", "1", "0"));
        assert_eq!(t.net_total, dec("0.13"));
        assert_eq!(t.margin, dec("0.03"));
    }

    #[test]
    fn zero_net_has_no_margin_percent_and_negative_margins_are_kept() {
        let t = LineTotals::compute(&line("0", "2", "3", "23"));
        assert_eq!(t.margin, dec("-6"));
        assert_eq!(t.margin_percent, None);
        let doc = DocumentTotals::sum([&t]);
        assert_eq!(doc.margin_percent, None);
    }

    #[test]
    fn document_margin_percent_comes_from_the_sums() {
        let a = LineTotals::compute(&line("10", "5", "1", "23"));
        let b = LineTotals::compute(&line("100", "90", "1", "23"));
        let doc = DocumentTotals::sum([&a, &b]);
        assert_eq!(doc.net_total, dec("110"));
        assert_eq!(doc.margin, dec("15"));
        assert_eq!(doc.margin_percent, Some(dec("13.64")));
    }

    #[test]
    fn vat_exactly_on_half_a_cent_rounds_up() {
        // 23 % of 1.50 is 0.345: half a cent, rounded away from zero (not to the even 0.34).
        let t = LineTotals::compute(&line("1.50", "0", "1", "23"));
        assert_eq!(t.vat_total, dec("0.35"));
        assert_eq!(t.gross_total, dec("1.85"));
        // Just below half a cent rounds down: 23 % of 1.49 is 0.3427.
        let t = LineTotals::compute(&line("1.49", "0", "1", "23"));
        assert_eq!(t.vat_total, dec("0.34"));
    }

    #[test]
    fn margin_percent_exactly_on_half_a_hundredth_rounds_away_from_zero() {
        // 24.69 of 200.00 is 12.345 %.
        let t = LineTotals::compute(&line("200", "175.31", "1", "0"));
        assert_eq!(t.margin, dec("24.69"));
        assert_eq!(t.margin_percent, Some(dec("12.35")));
        // A loss of 24.69 on 200.00 is −12.345 %.
        let t = LineTotals::compute(&line("200", "224.69", "1", "0"));
        assert_eq!(t.margin_percent, Some(dec("-12.35")));
        // Just below the half: 24.68 of 200.00 is 12.34 %.
        let t = LineTotals::compute(&line("200", "175.32", "1", "0"));
        assert_eq!(t.margin_percent, Some(dec("12.34")));
    }

    #[test]
    fn document_margin_percent_exactly_on_half_a_hundredth_rounds_up() {
        // Lines of 13.33 % and 9.38 %; together 24.69 of 200.00: 12.345 %.
        let a = LineTotals::compute(&line("150", "130", "1", "0"));
        let b = LineTotals::compute(&line("50", "45.31", "1", "0"));
        let doc = DocumentTotals::sum([&a, &b]);
        assert_eq!(doc.margin_percent, Some(dec("12.35")));
    }

    fn price() -> impl Strategy<Value = Decimal> {
        (0i64..100_000_000).prop_map(|n| Decimal::new(n, 4))
    }
    fn quantity() -> impl Strategy<Value = Decimal> {
        (1i64..10_000_000).prop_map(|n| Decimal::new(n, 3))
    }
    fn vat() -> impl Strategy<Value = Decimal> {
        (0i64..=100_000).prop_map(|n| Decimal::new(n, 3))
    }
    fn input() -> impl Strategy<Value = LineInput> {
        (price(), price(), quantity(), vat()).prop_map(|(u, p, q, v)| LineInput {
            unit_price: u,
            purchase_price: p,
            quantity: q,
            vat_rate: v,
        })
    }

    /// Rounds half away from zero by integer arithmetic on hundred-thousandths, an
    /// independent check of `round_money` for values with at most 7 decimals.
    fn reference_round(value: Decimal) -> Decimal {
        let scaled = (value * Decimal::new(10_000_000, 0)).trunc();
        let whole: i128 = scaled.mantissa() / 10i128.pow(scaled.scale());
        let cents = whole / 100_000;
        let rest = whole % 100_000;
        let cents = if rest.abs() >= 50_000 {
            cents + whole.signum()
        } else {
            cents
        };
        Decimal::from_i128_with_scale(cents, 2)
    }

    /// `margin / net × 100` rounded half away from zero, by integer division of cents: an
    /// independent check of the margin percentage (both amounts are whole cents).
    fn reference_percent(margin: Decimal, net: Decimal) -> Option<Decimal> {
        let cents = |amount: Decimal| {
            let mut amount = amount;
            amount.rescale(2);
            amount.mantissa()
        };
        let (margin, net) = (cents(margin), cents(net));
        if net == 0 {
            return None;
        }
        // In hundredths of a percent.
        let scaled = margin * 10_000;
        let (quotient, rest) = (scaled / net, scaled % net);
        let away = if 2 * rest.abs() >= net.abs() {
            scaled.signum() * net.signum()
        } else {
            0
        };
        Some(Decimal::from_i128_with_scale(quotient + away, 2))
    }

    proptest! {
        #[test]
        fn net_total_is_the_exact_product_rounded(line in input()) {
            let t = LineTotals::compute(&line);
            prop_assert_eq!(t.net_total, reference_round(line.unit_price * line.quantity));
            prop_assert_eq!(t.gross_total, t.net_total + t.vat_total);
            prop_assert_eq!(t.margin, t.net_total - t.purchase_total);
            prop_assert!(t.net_total.scale() <= 2 && t.vat_total.scale() <= 2);
            let vat = reference_round(t.net_total * line.vat_rate / Decimal::ONE_HUNDRED);
            prop_assert_eq!(t.vat_total, vat);
            prop_assert_eq!(t.purchase_total, reference_round(line.purchase_price * line.quantity));
            prop_assert_eq!(t.margin_percent, reference_percent(t.margin, t.net_total));
        }

        #[test]
        fn document_totals_are_sums_of_lines(lines in proptest::collection::vec(input(), 0..30)) {
            let totals: Vec<LineTotals> = lines.iter().map(LineTotals::compute).collect();
            let doc = DocumentTotals::sum(&totals);
            let sum = |f: fn(&LineTotals) -> Decimal| totals.iter().map(f).sum::<Decimal>();
            prop_assert_eq!(doc.net_total, sum(|t| t.net_total));
            prop_assert_eq!(doc.vat_total, sum(|t| t.vat_total));
            prop_assert_eq!(doc.gross_total, sum(|t| t.gross_total));
            prop_assert_eq!(doc.purchase_total, sum(|t| t.purchase_total));
            prop_assert_eq!(doc.margin, sum(|t| t.margin));
            prop_assert_eq!(doc.margin_percent, reference_percent(doc.margin, doc.net_total));
        }
    }
}
