//! Bodies and query extractors shared by several domains' routes.

use actix_web::dev::Payload;
use actix_web::{FromRequest, HttpRequest};
use futures_util::future::LocalBoxFuture;
use orderpath_core::page::Page;
use orderpath_core::quantity::{Quantity, QuantityType};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::api::decimal::{DecimalInput, Plain};
use crate::api::error::ApiError;
use crate::api::query;
use crate::api::validate::Validator;

/// `{type, value}`: `UNIT` values are whole numbers, `CONTENT_QUANTITY` values (metres)
/// have at most 3 decimals; always greater than 0.
#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct QuantityBody {
    #[serde(rename = "type")]
    pub kind: QuantityType,
    #[schema(value_type = String, example = "120.5")]
    pub value: DecimalInput,
}

impl QuantityBody {
    /// Validates into a [`Quantity`], recording a problem under `{prefix}value`.
    pub fn check(&self, v: &mut Validator, prefix: &str) -> Option<Quantity> {
        v.check(
            format!("{prefix}value"),
            Quantity::new(self.kind, self.value.0),
        )
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct QuantityResponse {
    #[serde(rename = "type")]
    pub kind: QuantityType,
    #[schema(value_type = String, example = "120.5")]
    pub value: Plain,
    /// The product's unit, e.g. `m` or `pcs`.
    pub unit: String,
}

/// `?limit=&cursor=` of a keyset-paginated list.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PageQuery {
    /// 1 to 500, default 50.
    pub limit: Option<i64>,
    /// `nextCursor` of the previous page; empty or absent for the first page.
    #[serde(default, deserialize_with = "empty_as_none")]
    pub cursor: Option<String>,
}

/// An empty query value (`?cursor=`) means the parameter was not given.
fn empty_as_none<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    Ok(Option::<String>::deserialize(d)?.filter(|text| !text.is_empty()))
}

/// A list's own filters `F` and its page, both read from the query string (the route
/// documents them as `params(F, PageQuery)`).
pub struct Listing<F>(pub F, pub PageQuery);

impl<F: DeserializeOwned + 'static> FromRequest for Listing<F> {
    type Error = ApiError;
    type Future = LocalBoxFuture<'static, Result<Self, ApiError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        query::read_when_authorized(req, |query| {
            Ok(Listing(query::parse(query)?, query::parse(query)?))
        })
    }
}

/// `{items, nextCursor}`.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct PageResponse<T: ToSchema> {
    pub items: Vec<T>,
    pub next_cursor: Option<String>,
}

impl<T: ToSchema> PageResponse<T> {
    /// A page of domain items, each turned into its response body.
    pub fn from_page<U>(page: Page<U>, item: impl FnMut(U) -> T) -> Self {
        PageResponse {
            items: page.items.into_iter().map(item).collect(),
            next_cursor: page.next_cursor,
        }
    }

    /// A page of items each shown by `show` to staff or to their customer (`staff`).
    pub fn shown<U>(page: Page<U>, staff: bool, show: impl Fn(&U, bool) -> T) -> Self {
        Self::from_page(page, |item| show(&item, staff))
    }
}
