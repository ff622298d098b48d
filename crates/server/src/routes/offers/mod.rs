//! Offers: read by id, pulled by the ERP as a change feed, moved through their statuses
//! (accepted or rejected by the customer), opened in the backoffice (`OFFER_OPENED`), and
//! ordered once accepted (in `order`).

pub mod bodies;
pub mod order;

use actix_web::{get, patch, post, HttpResponse};
use orderpath_core::cursor::FeedPosition;
use orderpath_offers::OfferChange;
use utoipa_actix_web::service_config::ServiceConfig;
use uuid::Uuid;

use crate::api::body::Json;
use crate::api::call::{Answer, Backoffice, Call};
use crate::api::error::{ApiError, Problem};
use crate::api::ids::OfferId;
use crate::api::if_match::{IfMatch, IfNoneMatch};
use crate::api::query::Query;
use crate::render_cache::Stamp;
use crate::routes::common::{Listing, PageQuery, PageResponse};
use crate::routes::price_edits;
use crate::routes::rendered::read_rendered;
use bodies::{OfferFeedQuery, OfferQuery, OfferResponse, UpdateOfferRequest};

/// Registers every route below `/offer` and `/offers`. Offers are made from a cart, so that
/// route lives with the cart's (`carts::offer`).
pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(get_offer_by_query)
        .service(list_offers)
        .service(get_offer)
        .service(update_offer)
        .service(open_offer)
        .service(order::place_order_from_offer)
        .configure(price_edits::configure_for_offers);
}

/// Reads an offer for `caller` through the render cache (see `rendered`): its stamp is
/// its version and its status as of now, since expiry changes no row.
async fn read_offer(call: Call, id: Uuid, if_none_match: Option<i64>) -> Answer {
    let (scope, now) = (call.scope(), call.now());
    let offer_stamp = |offer: &orderpath_offers::Offer| Stamp::Offer {
        version: offer.version,
        status: offer.status,
    };
    read_rendered(
        &call,
        id,
        if_none_match,
        move |conn| {
            let stamp = orderpath_offers::offer_stamp(conn, id, scope, now)?;
            Ok(Stamp::Offer {
                version: stamp.version,
                status: stamp.status,
            })
        },
        move |conn| {
            let offer = orderpath_offers::get_offer(conn, id, scope, now)?;
            let stamp = offer_stamp(&offer);
            Ok((offer, stamp))
        },
    )
    .await
}

/// The original integration endpoint: the offer with every line's `parentLineId`.
#[utoipa::path(tag = "offers", params(OfferQuery),
    responses((status = 200, body = OfferResponse), (status = 400, body = Problem), (status = 404, body = Problem)))]
#[get("/offer")]
pub async fn get_offer_by_query(
    call: Call,
    Query(query): Query<OfferQuery>,
    if_none_match: IfNoneMatch,
) -> Answer {
    let raw = query.offer_id;
    let id = Uuid::parse_str(&raw)
        .map_err(|_| ApiError::bad_field("offerId", format!("\"{raw}\" is not a UUID")))?;
    read_offer(call, id, if_none_match.0).await
}

#[utoipa::path(tag = "offers", params(("offerId" = uuid::Uuid, Path)),
    responses((status = 200, body = OfferResponse), (status = 404, body = Problem)))]
#[get("/offers/{offerId}")]
pub async fn get_offer(call: Call, offer_id: OfferId, if_none_match: IfNoneMatch) -> Answer {
    read_offer(call, offer_id.0, if_none_match.0).await
}

/// The ERP pull: offers in the order their changes committed, each with its current
/// state. `nextCursor` is always set; following it never misses an update.
#[utoipa::path(tag = "offers", params(OfferFeedQuery, PageQuery),
    responses((status = 200, body = PageResponse<OfferResponse>), (status = 400, body = Problem)))]
#[get("/offers")]
pub async fn list_offers(call: Call, Listing(query, page): Listing<OfferFeedQuery>) -> Answer {
    let limit = orderpath_core::page::limit(page.limit)?;
    let customer = call.caller.customer_filter(query.customer_id)?;
    let after = page
        .cursor
        .as_deref()
        .map(FeedPosition::decode)
        .transpose()?;
    let (now, since) = (call.now(), query.updated_since);
    let offers = call
        .read(move |conn| {
            orderpath_offers::list_offer_changes(conn, since, customer, after, limit, now)
        })
        .await?;
    Ok(HttpResponse::Ok().json(PageResponse::shown(
        offers,
        call.staff(),
        OfferResponse::new,
    )))
}

/// Move the offer along `DRAFT → SENT → ACCEPTED | REJECTED`, or change `validUntil`. A
/// customer may only accept or reject its own offer (403 for any other change).
#[utoipa::path(tag = "offers", request_body = UpdateOfferRequest,
    params(("offerId" = uuid::Uuid, Path), ("If-Match" = Option<String>, Header)),
    responses((status = 200, body = OfferResponse), (status = 403, body = Problem), (status = 404, body = Problem),
        (status = 409, body = Problem), (status = 412, body = Problem), (status = 422, body = Problem)))]
#[patch("/offers/{offerId}")]
pub async fn update_offer(
    call: Call,
    offer_id: OfferId,
    if_match: IfMatch,
    body: Json<UpdateOfferRequest>,
) -> Answer {
    let change = OfferChange {
        status: body.0.status,
        valid_until: body.0.valid_until,
    };
    let (now, scope) = (call.now(), call.scope());
    let offer = call
        .write(move |conn| {
            orderpath_offers::update_offer(conn, offer_id.0, if_match.0, change, scope, now)
        })
        .await?;
    Ok(call.show(HttpResponse::Ok(), &offer))
}

/// A backoffice user entered the offer's view. Records `OFFER_OPENED` when it is not the
/// offer this user opened last; the answer's `Offer-Opened-Emitted` header (`true` or
/// `false`) says whether it did.
#[utoipa::path(tag = "offers", params(("offerId" = uuid::Uuid, Path)),
    responses((status = 200, body = OfferResponse), (status = 403, body = Problem), (status = 404, body = Problem)))]
#[post("/offers/{offerId}/open")]
pub async fn open_offer(call: Backoffice, offer_id: OfferId) -> Answer {
    let (user, now) = (call.caller.0.id, call.now());
    let (offer, emitted) = call
        .write(move |conn| orderpath_offers::open_offer(conn, offer_id.0, user, now))
        .await?;
    let mut response = HttpResponse::Ok();
    response.insert_header(("Offer-Opened-Emitted", emitted.to_string()));
    Ok(call.show(response, &offer))
}
