//! The merge rule: adding a product with default flags to a cart that already holds a
//! plain line of it raises that line's quantity instead of adding a second line.

use uuid::Uuid;

use crate::model::{CartLine, LineFlags};

/// The line an add of `product_id` with `flags` merges into, if any. Only a plain line
/// qualifies: no parent, no children, default flags, no price override. Configured lines
/// (cable cuts, marked lines, edited prices) always stay separate.
pub(crate) fn merge_target(
    lines: &[CartLine],
    product_id: Uuid,
    flags: LineFlags,
) -> Option<&CartLine> {
    if flags != LineFlags::default() {
        return None;
    }
    lines.iter().find(|line| {
        line.product_id == product_id
            && line.parent_line_id.is_none()
            && line.flags == LineFlags::default()
            && !line.unit_price_overridden
            && !line.purchase_price_overridden
            && !lines
                .iter()
                .any(|child| child.parent_line_id == Some(line.id))
    })
}
