//! Offers (quotes) made from carts: their lifecycle (the customer's decision included), a
//! customer's offers newest first, the ERP change feed, the `OFFER_OPENED` rule, the
//! offer's side of ordering it, and the offer side of line price edits (`LockedOffer` is
//! `orderpath_lines::PriceEditable`).

mod create;
mod feed;
mod list;
mod load;
mod model;
mod opened;
mod ordering;
mod price_edits;
mod rows;
mod status;

pub use create::create_offer;
pub use feed::list_offer_changes;
pub use list::list_customer_offers;
pub use load::{get_offer, offer_stamp, OfferStamp};
pub use model::{Offer, OfferLine, OfferStatus};
pub use opened::open_offer;
pub use ordering::{lock_offer_to_order, OrderableOffer};
pub use status::{expire_offers, lock_offer, update_offer, LockedOffer, OfferChange};
