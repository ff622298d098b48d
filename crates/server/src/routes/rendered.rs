//! Reading a document (an offer, a cart, an order) through the render cache: one small
//! query for the document's current stamp, then the rendering kept for that stamp, or
//! the document loaded and rendered once and kept.

use actix_web::HttpResponse;
use diesel::PgConnection;
use orderpath_core::StoreError;
use uuid::Uuid;

use crate::api::call::{render, Answer, Call, Shown};
use crate::api::if_match::with_etag;
use crate::render_cache::{RenderKey, Stamp};

/// Answers with document `id` as `call`'s caller may see it, its version as ETag, or 304
/// when `if_none_match` names the current version. `stamp` reads what decides the
/// document's rendering (404 for a document the caller may not see); `load` reads the
/// whole document with a stamp no newer than what it loaded, so that a rendering is only
/// ever kept under a stamp it is current for. Both run on one pooled connection.
pub async fn read_rendered<D: Shown>(
    call: &Call,
    id: Uuid,
    if_none_match: Option<i64>,
    stamp: impl FnOnce(&mut PgConnection) -> orderpath_core::Result<Stamp> + Send + 'static,
    load: impl FnOnce(&mut PgConnection) -> orderpath_core::Result<(D, Stamp)> + Send + 'static,
) -> Answer {
    let staff = call.staff();
    let state = call.state.clone();
    let (version, body) = call
        .read(move |conn| {
            let cache = &state.renders;
            // The stamp first, when a rendering of the document may be kept, or when the
            // cache is off and the client may be answered 304 without a load. A document
            // with no rendering kept here is loaded at once, with its stamp: the first read
            // of it on this instance then costs one round trip, not two.
            let may_be_kept = !cache.is_off() && cache.holds(id, staff);
            if may_be_kept || (cache.is_off() && if_none_match.is_some()) {
                let current = stamp(conn)?;
                if if_none_match == Some(current.version()) {
                    return Ok((current.version(), None));
                }
                let key = RenderKey {
                    id,
                    stamp: current,
                    staff,
                };
                if let Some(body) = cache.get(&key) {
                    return Ok((current.version(), Some(body)));
                }
            }
            let (document, stamp) = load(conn)?;
            let body = render(&document, staff).map_err(StoreError::task_failed)?;
            cache.put(RenderKey { id, stamp, staff }, body.clone());
            if if_none_match == Some(stamp.version()) {
                return Ok((stamp.version(), None));
            }
            Ok((stamp.version(), Some(body)))
        })
        .await?;
    let mut response = match body {
        Some(_) => HttpResponse::Ok(),
        None => HttpResponse::NotModified(),
    };
    with_etag(&mut response, version);
    Ok(match body {
        Some(body) => response.content_type("application/json").body(body),
        None => response.finish(),
    })
}
