//! Times `plan_total_length` on drum capacities in thousandths of a metre, the calculator's
//! hardest inputs: `cargo run --release -p orderpath-configurator --example
//! awkward_capacities`. Prints the p50, p99 and worst time over a range of totals.

use std::time::Instant;

use orderpath_configurator::{plan_total_length, DrumChoice};
use rust_decimal::Decimal;
use uuid::Uuid;

const LENGTHS: [&str; 5] = ["997.123", "613.777", "301.999", "149.5", "73.001"];

fn main() {
    // Drum prices as a merchant sets them (dearer per metre on smaller drums), one price
    // for every drum, and prices exactly proportional to length (every drum as good as
    // another, the search's hardest case).
    measure(
        "graded prices",
        &["310.00", "199.00", "101.00", "52.00", "27.00"],
    );
    measure("one price", &["40.00"; 5]);
    measure(
        "proportional prices",
        &["997.123", "613.777", "301.999", "149.5", "73.001"],
    );
}

fn measure(name: &str, prices: &[&str]) {
    let drums: Vec<DrumChoice> = LENGTHS
        .iter()
        .zip(prices)
        .map(|(length, price)| DrumChoice {
            drum_product_id: Uuid::new_v4(),
            max_length: length.parse().expect("length"),
            price: price.parse().expect("price"),
        })
        .collect();
    let mut times = Vec::new();
    let mut refused = 0;
    let mut total: Decimal = "1000.001".parse().expect("total");
    let step: Decimal = "49999.999".parse().expect("step");
    while total <= Decimal::from(5_000_000) {
        let started = Instant::now();
        let answer = plan_total_length(&drums, total);
        times.push(started.elapsed().as_secs_f64() * 1000.0);
        if answer.is_err() {
            refused += 1;
        }
        total += step;
    }
    times.sort_by(f64::total_cmp);
    let at = |q: f64| times[((times.len() - 1) as f64 * q).round() as usize];
    println!(
        "{name}: {} proposals ({refused} refused as too large): p50 {:.2} ms, p99 {:.2} ms, \
         worst {:.2} ms",
        times.len(),
        at(0.5),
        at(0.99),
        times[times.len() - 1]
    );
}
