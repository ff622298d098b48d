//! Webhook endpoints: where events of one type are sent, and how.

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use orderpath_core::events::EventType;
use orderpath_core::page::Page;
use orderpath_core::{cursor, Error, Result};
use orderpath_db::schema::webhooks;
use uuid::Uuid;

/// How the receiver authenticates us.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Auth {
    None,
    Basic { username: String, password: String },
}

/// An endpoint as configured, validated at the edge (URL shape, Basic credentials).
#[derive(Debug, Clone)]
pub struct EndpointDraft {
    pub name: String,
    pub active: bool,
    pub event_type: EventType,
    pub url: String,
    pub auth: Auth,
    /// `whsec_…`; signs every request when set.
    pub signing_secret: Option<String>,
}

#[derive(Debug, Clone)]
pub struct Endpoint {
    pub id: Uuid,
    pub draft: EndpointDraft,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = webhooks)]
pub(crate) struct EndpointRow {
    pub id: Uuid,
    pub name: String,
    pub status: String,
    pub event_type: String,
    pub url: String,
    pub auth_type: String,
    pub username: Option<String>,
    pub password: Option<String>,
    pub signing_secret: Option<String>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl From<EndpointRow> for Endpoint {
    fn from(r: EndpointRow) -> Self {
        let auth = match (r.auth_type.as_str(), r.username, r.password) {
            ("HTTP_BASIC", Some(username), Some(password)) => Auth::Basic { username, password },
            _ => Auth::None,
        };
        Endpoint {
            id: r.id,
            draft: EndpointDraft {
                name: r.name,
                active: r.status == "ACTIVE",
                // The API only stores event types it knows.
                event_type: EventType::parse(&r.event_type).unwrap_or(EventType::CartOpened),
                url: r.url,
                auth,
                signing_secret: r.signing_secret,
            },
            created_at: r.created_at,
            updated_at: r.updated_at,
        }
    }
}

#[derive(AsChangeset, Insertable)]
#[diesel(table_name = webhooks, treat_none_as_null = true)]
struct EndpointChanges<'a> {
    name: &'a str,
    status: &'a str,
    event_type: &'a str,
    url: &'a str,
    auth_type: &'a str,
    username: Option<&'a str>,
    password: Option<&'a str>,
    signing_secret: Option<&'a str>,
}

fn changes(draft: &EndpointDraft) -> EndpointChanges<'_> {
    let (auth_type, username, password) = match &draft.auth {
        Auth::None => ("NONE", None, None),
        Auth::Basic { username, password } => (
            "HTTP_BASIC",
            Some(username.as_str()),
            Some(password.as_str()),
        ),
    };
    EndpointChanges {
        name: &draft.name,
        status: if draft.active { "ACTIVE" } else { "INACTIVE" },
        event_type: draft.event_type.as_str(),
        url: &draft.url,
        auth_type,
        username,
        password,
        signing_secret: draft.signing_secret.as_deref(),
    }
}

pub fn create_endpoint(
    conn: &mut PgConnection,
    draft: &EndpointDraft,
    now: DateTime<Utc>,
) -> Result<Endpoint> {
    let id = Uuid::new_v4();
    diesel::insert_into(webhooks::table)
        .values((
            webhooks::id.eq(id),
            webhooks::created_at.eq(now),
            webhooks::updated_at.eq(now),
            changes(draft),
        ))
        .execute(conn)?;
    get_endpoint(conn, id)
}

pub fn get_endpoint(conn: &mut PgConnection, id: Uuid) -> Result<Endpoint> {
    webhooks::table
        .find(id)
        .select(EndpointRow::as_select())
        .first(conn)
        .optional()?
        .map(Endpoint::from)
        .ok_or(Error::not_found("webhook"))
}

/// Replaces an endpoint's configuration (the edge merges a PATCH into the current draft).
pub fn update_endpoint(
    conn: &mut PgConnection,
    id: Uuid,
    draft: &EndpointDraft,
    now: DateTime<Utc>,
) -> Result<Endpoint> {
    let updated = diesel::update(webhooks::table.find(id))
        .set((changes(draft), webhooks::updated_at.eq(now)))
        .execute(conn)?;
    if updated == 0 {
        return Err(Error::not_found("webhook"));
    }
    get_endpoint(conn, id)
}

/// Deletes an endpoint with its deliveries and their attempts.
pub fn delete_endpoint(conn: &mut PgConnection, id: Uuid) -> Result<()> {
    match diesel::delete(webhooks::table.find(id)).execute(conn)? {
        0 => Err(Error::not_found("webhook")),
        _ => Ok(()),
    }
}

/// Endpoints ordered by creation, `limit` at a time.
pub fn list_endpoints(
    conn: &mut PgConnection,
    after: Option<&str>,
    limit: i64,
) -> Result<Page<Endpoint>> {
    let mut query = webhooks::table
        .select(EndpointRow::as_select())
        .order((webhooks::created_at, webhooks::id))
        .limit(limit + 1)
        .into_boxed();
    if let Some(c) = after {
        let parts = cursor::decode(c, 2)?;
        let invalid = || Error::field("cursor", "is not a cursor this service issued");
        let at: DateTime<Utc> = parts[0].parse().map_err(|_| invalid())?;
        let id: Uuid = parts[1].parse().map_err(|_| invalid())?;
        query = query.filter(
            webhooks::created_at
                .gt(at)
                .or(webhooks::created_at.eq(at).and(webhooks::id.gt(id))),
        );
    }
    let mut rows: Vec<EndpointRow> = query.load(conn)?;
    let more = rows.len() as i64 > limit;
    rows.truncate(limit as usize);
    let next_cursor = if more {
        rows.last()
            .map(|r| cursor::encode(&[&r.created_at.to_rfc3339(), &r.id.to_string()]))
    } else {
        None
    };
    Ok(Page {
        items: rows.into_iter().map(Endpoint::from).collect(),
        next_cursor,
    })
}
