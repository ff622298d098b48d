//! Offers (quotes) made from carts: their lifecycle, the ERP change feed, and the
//! `OFFER_OPENED` rule.

mod create;
mod feed;
mod load;
mod model;
mod opened;
mod prices;
mod rows;
mod status;

pub use create::create_offer;
pub use feed::list_offer_changes;
pub use load::{get_offer, offer_stamp, OfferStamp};
pub use model::{Offer, OfferLine, OfferStatus};
pub use opened::open_offer;
pub use prices::{edit_offer_line_price, restore_offer_line_price};
pub use status::{expire_offers, lock_offer, update_offer, LockedOffer, OfferChange};
