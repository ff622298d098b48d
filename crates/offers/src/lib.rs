//! Offers (quotes) made from carts: their lifecycle, the ERP change feed, the
//! `OFFER_OPENED` rule, and the offer side of line price edits (`LockedOffer` is
//! `orderpath_lines::PriceEditable`).

mod create;
mod feed;
mod load;
mod model;
mod opened;
mod price_edits;
mod rows;
mod status;

pub use create::create_offer;
pub use feed::list_offer_changes;
pub use load::{get_offer, offer_stamp, OfferStamp};
pub use model::{Offer, OfferLine, OfferStatus};
pub use opened::open_offer;
pub use status::{expire_offers, lock_offer, update_offer, LockedOffer, OfferChange};
