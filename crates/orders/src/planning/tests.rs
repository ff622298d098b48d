use std::collections::{HashMap, HashSet};
use std::str::FromStr;

use proptest::prelude::*;
use rust_decimal::Decimal;
use uuid::Uuid;

use super::*;

fn dec(s: &str) -> Decimal {
    Decimal::from_str(s).expect("decimal")
}

fn part(product: Uuid, quantity: &str) -> Part {
    Part {
        line: Uuid::new_v4(),
        product,
        quantity: dec(quantity),
    }
}

fn stock(levels: &[(Uuid, &str)]) -> StockView {
    StockView::new(
        levels.iter().map(|(p, q)| (*p, dec(q))).collect(),
        HashSet::new(),
    )
}

/// A line group: a parent line of `quantity` of `product` with the given children.
fn line_group(product: Uuid, quantity: &str, splittable: bool, children: Vec<Part>) -> Group {
    Group {
        parent: part(product, quantity),
        splittable,
        children,
    }
}

fn total(parts: &[Part]) -> Decimal {
    parts.iter().map(|p| p.quantity).sum()
}

#[test]
fn a_cut_that_may_not_split_waits_whole_with_its_drum() {
    let (cable, drum) = (Uuid::new_v4(), Uuid::new_v4());
    let group = line_group(cable, "300", false, vec![part(drum, "1")]);
    let outcome = &plan(&[group], &mut stock(&[(cable, "200"), (drum, "5")]))[0];
    assert!(outcome.ready.is_empty());
    assert_eq!(total(&outcome.waiting), dec("301"));
}

#[test]
fn a_cut_that_may_split_ships_what_stock_covers_with_its_drum() {
    let (cable, drum) = (Uuid::new_v4(), Uuid::new_v4());
    let group = line_group(cable, "300", true, vec![part(drum, "1")]);
    let outcome = plan_group(&group, &mut stock(&[(cable, "200"), (drum, "5")]));
    assert_eq!(
        outcome.ready,
        vec![
            Part {
                quantity: dec("200"),
                ..group.parent.clone()
            },
            group.children[0].clone()
        ]
    );
    assert_eq!(
        outcome.waiting,
        vec![Part {
            quantity: dec("100"),
            ..group.parent.clone()
        }]
    );
}

#[test]
fn lines_of_one_product_draw_in_line_order_and_queue_behind_a_waiting_one() {
    let cable = Uuid::new_v4();
    let queue = [
        line_group(cable, "150", false, vec![]),
        line_group(cable, "100", false, vec![]),
        line_group(cable, "10", false, vec![]),
    ];
    let outcomes = plan(&queue, &mut stock(&[(cable, "200")]));
    assert_eq!(total(&outcomes[0].ready), dec("150"));
    assert_eq!(total(&outcomes[1].waiting), dec("100"));
    assert!(
        outcomes[2].ready.is_empty(),
        "10 m would fit, but it queues behind the waiting 100 m"
    );
}

#[test]
fn a_missing_drum_holds_its_cable_back() {
    let (cable, drum) = (Uuid::new_v4(), Uuid::new_v4());
    let group = line_group(cable, "100", true, vec![part(drum, "1")]);
    let outcome = &plan(&[group], &mut stock(&[(cable, "500")]))[0];
    assert!(outcome.ready.is_empty());
}

#[test]
fn blocked_products_stay_blocked_for_later_queues() {
    let cable = Uuid::new_v4();
    let mut view = StockView::new(
        HashMap::from([(cable, dec("1000"))]),
        HashSet::from([cable]),
    );
    let outcome = &plan(&[line_group(cable, "1", true, vec![])], &mut view)[0];
    assert!(
        outcome.ready.is_empty(),
        "an older order's waiting line comes first"
    );
}

#[test]
fn a_line_that_may_not_split_ships_whole_when_free_stock_equals_its_quantity() {
    let cable = Uuid::new_v4();
    let group = line_group(cable, "300", false, vec![]);
    let mut view = stock(&[(cable, "300")]);
    let outcome = plan_group(&group, &mut view);
    assert_eq!(outcome.ready, vec![group.parent.clone()]);
    assert!(outcome.waiting.is_empty());
    // It took all of it: the next line of the product waits.
    let next = plan_group(&group, &mut view);
    assert!(next.ready.is_empty());
}

#[test]
fn a_child_ships_when_free_stock_exactly_covers_it() {
    let (cable, drum) = (Uuid::new_v4(), Uuid::new_v4());
    let group = line_group(cable, "100", false, vec![part(drum, "2")]);
    let outcome = plan_group(&group, &mut stock(&[(cable, "500"), (drum, "2")]));
    assert_eq!(
        outcome.ready,
        vec![group.parent.clone(), group.children[0].clone()]
    );
    assert!(outcome.waiting.is_empty());
}

#[test]
fn children_of_the_parents_own_product_are_served_first_and_exactly() {
    // A cut of 100 m and a 50 m tail of the same cable: 150 m free covers both exactly.
    let cable = Uuid::new_v4();
    let group = line_group(cable, "100", false, vec![part(cable, "50")]);
    let outcome = plan_group(&group, &mut stock(&[(cable, "150")]));
    assert_eq!(total(&outcome.ready), dec("150"));
    assert!(outcome.waiting.is_empty());
}

fn arb_queue() -> impl Strategy<Value = (Vec<Group>, HashMap<Uuid, Decimal>)> {
    let products: Vec<Uuid> = (0..3).map(|_| Uuid::new_v4()).collect();
    let p = products.clone();
    let part_strategy = move || {
        let p = p.clone();
        (0..3usize, 1i64..400).prop_map(move |(i, q)| Part {
            line: Uuid::new_v4(),
            product: p[i],
            quantity: Decimal::new(q, 1),
        })
    };
    let group = (
        part_strategy(),
        any::<bool>(),
        proptest::collection::vec(part_strategy(), 0..3),
    )
        .prop_map(|(parent, splittable, children)| Group {
            parent,
            splittable,
            children,
        });
    let levels = proptest::collection::vec(0i64..600, 3);
    (proptest::collection::vec(group, 0..12), levels).prop_map(move |(queue, levels)| {
        let free = products
            .iter()
            .zip(levels)
            .map(|(p, l)| (*p, Decimal::new(l, 1)))
            .collect();
        (queue, free)
    })
}

proptest! {
    #[test]
    fn planning_keeps_every_rule((queue, free) in arb_queue()) {
        let mut view = StockView::new(free.clone(), HashSet::new());
        let outcomes = plan(&queue, &mut view);
        let mut taken: HashMap<Uuid, Decimal> = HashMap::new();
        let mut waiting_products: HashSet<Uuid> = HashSet::new();
        for (group, outcome) in queue.iter().zip(&outcomes) {
            // Nothing is lost or invented.
            let requested = group.parent.quantity + total(&group.children);
            prop_assert_eq!(total(&outcome.ready) + total(&outcome.waiting), requested);
            // No younger part of a product ships while an older one waits.
            for part in &outcome.ready {
                prop_assert!(!waiting_products.contains(&part.product));
                *taken.entry(part.product).or_insert(Decimal::ZERO) += part.quantity;
            }
            // Children travel with the first part of their parent; only a splittable
            // parent is ever split.
            let parent_ready = outcome.ready.iter().any(|p| p.line == group.parent.line);
            for child in &group.children {
                prop_assert_eq!(outcome.ready.iter().any(|p| p.line == child.line), parent_ready);
            }
            if !group.splittable {
                prop_assert!(outcome.ready.is_empty() || outcome.waiting.is_empty());
            }
            waiting_products.extend(outcome.waiting.iter().map(|p| p.product));
        }
        // Never more than free stock.
        for (product, quantity) in taken {
            prop_assert!(quantity <= free[&product]);
        }
    }

    #[test]
    fn the_first_waiting_part_of_each_product_really_lacked_stock((queue, free) in arb_queue()) {
        let mut view = StockView::new(free.clone(), HashSet::new());
        let outcomes = plan(&queue, &mut view);
        // Replaying the pass: whenever a group waits although no product of it was
        // blocked, some product of it had too little free stock at that moment.
        let mut left = free.clone();
        let mut blocked: HashSet<Uuid> = HashSet::new();
        for (group, outcome) in queue.iter().zip(&outcomes) {
            let members: Vec<&Part> = std::iter::once(&group.parent).chain(&group.children).collect();
            let was_blocked = members.iter().any(|p| blocked.contains(&p.product));
            if outcome.ready.is_empty() && !was_blocked {
                let mut need: HashMap<Uuid, Decimal> = HashMap::new();
                for m in &members {
                    *need.entry(m.product).or_insert(Decimal::ZERO) += m.quantity;
                }
                let short = need.iter().any(|(p, q)| left[p] < *q);
                prop_assert!(short || group.splittable && left[&group.parent.product].is_zero());
            }
            for part in &outcome.ready {
                *left.get_mut(&part.product).expect("known") -= part.quantity;
            }
            blocked.extend(outcome.waiting.iter().map(|p| p.product));
        }
    }
}
