//! Line price edits on carts and offers: override a line's sale and/or purchase price,
//! restore the catalog prices, and read the audit. Staff only. Both kinds of document
//! are served by one implementation; each route names its kind.

use actix_web::{delete, get, put, HttpResponse};
use chrono::{DateTime, Utc};
use orderpath_carts::LockedCart;
use orderpath_core::money::validate_price;
use orderpath_lines::{EditContext, PriceChange, PriceEditRecord, PriceEditable};
use orderpath_offers::LockedOffer;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_actix_web::service_config::ServiceConfig;
use uuid::Uuid;

use crate::api::body::Json;
use crate::api::call::{Answer, Call, Shown, Staff};
use crate::api::decimal::{DecimalInput, Price};
use crate::api::error::Problem;
use crate::api::ids::{CartId, LineId, OfferId};
use crate::api::if_match::IfMatch;
use crate::api::query::Query;
use crate::api::validate::{text, Validator};
use crate::routes::carts::bodies::CartResponse;
use crate::routes::common::{PageQuery, PageResponse};
use crate::routes::offers::bodies::OfferResponse;

/// Registers the price edit routes below `/carts/{cartId}`.
pub fn configure_for_carts(cfg: &mut ServiceConfig) {
    cfg.service(edit_cart_line_price)
        .service(restore_cart_line_price)
        .service(list_cart_price_edits);
}

/// Registers the price edit routes below `/offers/{offerId}`.
pub fn configure_for_offers(cfg: &mut ServiceConfig) {
    cfg.service(edit_offer_line_price)
        .service(restore_offer_line_price)
        .service(list_offer_price_edits);
}

/// New prices for one line: at least one of them. Each ≥ 0, at most 4 decimals, below
/// 1,000,000,000.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct PriceEditRequest {
    #[schema(value_type = Option<String>, example = "4.20")]
    pub unit_price: Option<DecimalInput>,
    #[schema(value_type = Option<String>, example = "3.10")]
    pub purchase_price: Option<DecimalInput>,
    /// Why, for the audit (e.g. "damaged piece").
    pub reason: Option<String>,
}

impl PriceEditRequest {
    fn validate(&self) -> Result<(PriceChange, Option<String>), orderpath_core::Error> {
        let mut v = Validator::new();
        if self.unit_price.is_none() && self.purchase_price.is_none() {
            v.fail("unitPrice", "give unitPrice, purchasePrice or both");
        }
        let unit_price = self
            .unit_price
            .and_then(|p| v.check("unitPrice", validate_price(p.0)));
        let purchase_price = self
            .purchase_price
            .and_then(|p| v.check("purchasePrice", validate_price(p.0)));
        let reason = match self.reason.as_deref().map(str::trim) {
            None | Some("") => None,
            Some(r) => v.check("reason", text(r, 500)),
        };
        v.finish(|| {
            Some((
                PriceChange {
                    unit_price,
                    purchase_price,
                },
                reason,
            ))
        })
    }
}

#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct PriceEditResponse {
    pub line_id: Uuid,
    /// `UNIT_PRICE` or `PURCHASE_PRICE`.
    pub field: String,
    #[schema(value_type = String, example = "4.80")]
    pub old_value: Price,
    #[schema(value_type = String, example = "4.20")]
    pub new_value: Price,
    pub reason: Option<String>,
    /// The name of the token that made the edit.
    pub actor: String,
    pub at: DateTime<Utc>,
}

impl From<PriceEditRecord> for PriceEditResponse {
    fn from(r: PriceEditRecord) -> Self {
        PriceEditResponse {
            line_id: r.line_id,
            field: r.field,
            old_value: Price(r.old_value),
            new_value: Price(r.new_value),
            reason: r.reason,
            actor: r.actor,
            at: r.at,
        }
    }
}

fn context(call: &Call, reason: Option<String>) -> EditContext {
    EditContext {
        actor: call.caller.name().to_string(),
        reason,
        at: call.now(),
    }
}

/// A kind of document whose line prices these routes edit: locked through the lines
/// crate, answered like every other document.
trait EditedDocument: PriceEditable<Document: Shown + Send + 'static> + Send + 'static {}

impl<D: PriceEditable<Document: Shown + Send + 'static> + Send + 'static> EditedDocument for D {}

async fn edit<D: EditedDocument>(
    call: Staff,
    (document_id, line_id): (Uuid, Uuid),
    if_match: IfMatch,
    body: PriceEditRequest,
) -> Answer {
    let (change, reason) = body.validate()?;
    let context = context(&call, reason);
    let document = call
        .write(move |conn| {
            let (document, line, version) = (document_id, line_id, if_match.0);
            orderpath_lines::edit_line_price::<D>(conn, document, line, version, change, &context)
        })
        .await?;
    Ok(call.show(HttpResponse::Ok(), &document))
}

async fn restore<D: EditedDocument>(
    call: Staff,
    (document_id, line_id): (Uuid, Uuid),
    if_match: IfMatch,
) -> Answer {
    let context = context(&call, None);
    let document = call
        .write(move |conn| {
            let (document, line, version) = (document_id, line_id, if_match.0);
            orderpath_lines::restore_line_price::<D>(conn, document, line, version, &context)
        })
        .await?;
    Ok(call.show(HttpResponse::Ok(), &document))
}

async fn list<D: EditedDocument>(call: Staff, document_id: Uuid, query: PageQuery) -> Answer {
    let limit = orderpath_core::page::limit(query.limit)?;
    let now = call.now();
    let page = call
        .read(move |conn| {
            let cursor = query.cursor.as_deref();
            orderpath_lines::list_price_edits::<D>(conn, document_id, cursor, limit, now)
        })
        .await?;
    Ok(HttpResponse::Ok().json(PageResponse::from_page(page, PriceEditResponse::from)))
}

/// Override the sale and/or purchase price of one cart line. Other lines keep theirs.
#[utoipa::path(tag = "price edits", request_body = PriceEditRequest,
    params(("cartId" = Uuid, Path), ("lineId" = Uuid, Path), ("If-Match" = Option<String>, Header)),
    responses((status = 200, body = CartResponse), (status = 403, body = Problem), (status = 404, body = Problem),
        (status = 409, body = Problem), (status = 412, body = Problem), (status = 422, body = Problem)))]
#[put("/carts/{cartId}/lines/{lineId}/price")]
pub async fn edit_cart_line_price(
    call: Staff,
    (cart_id, line_id): (CartId, LineId),
    if_match: IfMatch,
    body: Json<PriceEditRequest>,
) -> Answer {
    edit::<LockedCart>(call, (cart_id.0, line_id.0), if_match, body.0).await
}

/// Restore the catalog prices of one cart line.
#[utoipa::path(tag = "price edits",
    params(("cartId" = Uuid, Path), ("lineId" = Uuid, Path), ("If-Match" = Option<String>, Header)),
    responses((status = 200, body = CartResponse), (status = 403, body = Problem), (status = 404, body = Problem),
        (status = 409, body = Problem), (status = 412, body = Problem)))]
#[delete("/carts/{cartId}/lines/{lineId}/price")]
pub async fn restore_cart_line_price(
    call: Staff,
    (cart_id, line_id): (CartId, LineId),
    if_match: IfMatch,
) -> Answer {
    restore::<LockedCart>(call, (cart_id.0, line_id.0), if_match).await
}

/// Override the sale and/or purchase price of one offer line.
#[utoipa::path(tag = "price edits", request_body = PriceEditRequest,
    params(("offerId" = Uuid, Path), ("lineId" = Uuid, Path), ("If-Match" = Option<String>, Header)),
    responses((status = 200, body = OfferResponse), (status = 403, body = Problem), (status = 404, body = Problem),
        (status = 409, body = Problem), (status = 412, body = Problem), (status = 422, body = Problem)))]
#[put("/offers/{offerId}/lines/{lineId}/price")]
pub async fn edit_offer_line_price(
    call: Staff,
    (offer_id, line_id): (OfferId, LineId),
    if_match: IfMatch,
    body: Json<PriceEditRequest>,
) -> Answer {
    edit::<LockedOffer>(call, (offer_id.0, line_id.0), if_match, body.0).await
}

/// Restore the catalog prices (as copied into the offer) of one offer line.
#[utoipa::path(tag = "price edits",
    params(("offerId" = Uuid, Path), ("lineId" = Uuid, Path), ("If-Match" = Option<String>, Header)),
    responses((status = 200, body = OfferResponse), (status = 403, body = Problem), (status = 404, body = Problem),
        (status = 409, body = Problem), (status = 412, body = Problem)))]
#[delete("/offers/{offerId}/lines/{lineId}/price")]
pub async fn restore_offer_line_price(
    call: Staff,
    (offer_id, line_id): (OfferId, LineId),
    if_match: IfMatch,
) -> Answer {
    restore::<LockedOffer>(call, (offer_id.0, line_id.0), if_match).await
}

/// The price edits of a cart, oldest first.
#[utoipa::path(tag = "price edits", params(("cartId" = Uuid, Path), PageQuery),
    responses((status = 200, body = PageResponse<PriceEditResponse>), (status = 403, body = Problem), (status = 404, body = Problem)))]
#[get("/carts/{cartId}/price-edits")]
pub async fn list_cart_price_edits(
    call: Staff,
    cart_id: CartId,
    Query(query): Query<PageQuery>,
) -> Answer {
    list::<LockedCart>(call, cart_id.0, query).await
}

/// The price edits of an offer, oldest first. An offer starts with an empty history.
#[utoipa::path(tag = "price edits", params(("offerId" = Uuid, Path), PageQuery),
    responses((status = 200, body = PageResponse<PriceEditResponse>), (status = 403, body = Problem), (status = 404, body = Problem)))]
#[get("/offers/{offerId}/price-edits")]
pub async fn list_offer_price_edits(
    call: Staff,
    offer_id: OfferId,
    Query(query): Query<PageQuery>,
) -> Answer {
    list::<LockedOffer>(call, offer_id.0, query).await
}
