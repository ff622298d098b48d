//! Webhook endpoints: where events of one type are sent, and how.

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use orderpath_core::events::EventType;
use orderpath_core::page::{self, Page};
use orderpath_core::stored_enum;
use orderpath_core::{cursor, Error, Result};
use orderpath_db::schema::webhooks;
use uuid::Uuid;

stored_enum! {
    /// Whether an endpoint receives deliveries; stored and sent as `ACTIVE` or `INACTIVE`.
    pub enum EndpointStatus {
        Active,
        Inactive,
    }
}

stored_enum! {
    /// How the receiver authenticates us; stored and sent as `NONE` or `HTTP_BASIC`.
    pub enum AuthType {
        None,
        HttpBasic,
    }
}

/// How the receiver authenticates us, with the credentials.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Auth {
    None,
    Basic { username: String, password: String },
}

impl Auth {
    /// The auth of stored columns: Basic only with both credentials present.
    pub(crate) fn stored(
        auth_type: AuthType,
        username: Option<String>,
        password: Option<String>,
    ) -> Self {
        match (auth_type, username, password) {
            (AuthType::HttpBasic, Some(username), Some(password)) => {
                Auth::Basic { username, password }
            }
            _ => Auth::None,
        }
    }

    pub fn auth_type(&self) -> AuthType {
        match self {
            Auth::None => AuthType::None,
            Auth::Basic { .. } => AuthType::HttpBasic,
        }
    }
}

/// An endpoint as configured, validated at the edge (URL shape, Basic credentials).
#[derive(Debug, Clone)]
pub struct EndpointDraft {
    pub name: String,
    pub status: EndpointStatus,
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
    /// The secret the last rotation replaced, while it still signs next to the current one.
    pub previous_secret: Option<PreviousSecret>,
    pub health: EndpointHealth,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// How deliveries to an endpoint have been going, and whether that made it `INACTIVE`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct EndpointHealth {
    /// The first failed attempt since the last successful one; `None` after a success.
    pub failing_since: Option<DateTime<Utc>>,
    /// When failing for [`DISABLE_AFTER_FAILING`] set the endpoint `INACTIVE`.
    pub disabled_at: Option<DateTime<Utc>>,
    pub disabled_reason: Option<String>,
}

/// An endpoint whose every attempt failed for this long is set `INACTIVE`.
pub const DISABLE_AFTER_FAILING: chrono::Duration = chrono::Duration::days(5);

/// A replaced signing secret and when it stops signing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PreviousSecret {
    pub secret: String,
    pub expires_at: DateTime<Utc>,
}

impl PreviousSecret {
    fn stored(secret: Option<String>, expires_at: Option<DateTime<Utc>>) -> Option<Self> {
        Some(PreviousSecret {
            secret: secret?,
            expires_at: expires_at?,
        })
    }

    /// Whether it still signs at `now`.
    pub fn valid_at(&self, now: DateTime<Utc>) -> bool {
        now < self.expires_at
    }
}

/// How long the secret a rotation replaces keeps signing next to the new one.
pub const SECRET_OVERLAP: chrono::Duration = chrono::Duration::hours(24);

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = webhooks)]
pub(crate) struct EndpointRow {
    pub id: Uuid,
    pub name: String,
    #[diesel(deserialize_as = String)]
    pub status: EndpointStatus,
    #[diesel(deserialize_as = String)]
    pub event_type: EventType,
    pub url: String,
    #[diesel(deserialize_as = String)]
    pub auth_type: AuthType,
    pub username: Option<String>,
    pub password: Option<String>,
    pub signing_secret: Option<String>,
    pub previous_signing_secret: Option<String>,
    pub previous_signing_secret_expires_at: Option<DateTime<Utc>>,
    pub failing_since: Option<DateTime<Utc>>,
    pub disabled_at: Option<DateTime<Utc>>,
    pub disabled_reason: Option<String>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl From<EndpointRow> for Endpoint {
    fn from(r: EndpointRow) -> Self {
        Endpoint {
            id: r.id,
            draft: EndpointDraft {
                name: r.name,
                status: r.status,
                event_type: r.event_type,
                url: r.url,
                auth: Auth::stored(r.auth_type, r.username, r.password),
                signing_secret: r.signing_secret,
            },
            previous_secret: PreviousSecret::stored(
                r.previous_signing_secret,
                r.previous_signing_secret_expires_at,
            ),
            health: EndpointHealth {
                failing_since: r.failing_since,
                disabled_at: r.disabled_at,
                disabled_reason: r.disabled_reason,
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
    status: &'static str,
    event_type: &'static str,
    url: &'a str,
    auth_type: &'static str,
    username: Option<&'a str>,
    password: Option<&'a str>,
    signing_secret: Option<&'a str>,
}

fn changes(draft: &EndpointDraft) -> EndpointChanges<'_> {
    let (username, password) = match &draft.auth {
        Auth::None => (None, None),
        Auth::Basic { username, password } => (Some(username.as_str()), Some(password.as_str())),
    };
    EndpointChanges {
        name: &draft.name,
        status: draft.status.into(),
        event_type: draft.event_type.into(),
        url: &draft.url,
        auth_type: draft.auth.auth_type().into(),
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
/// Setting an `INACTIVE` endpoint `ACTIVE` forgets its failures and why it was disabled:
/// it has another [`DISABLE_AFTER_FAILING`] before it can be disabled again.
pub fn update_endpoint(
    conn: &mut PgConnection,
    id: Uuid,
    draft: &EndpointDraft,
    now: DateTime<Utc>,
) -> Result<Endpoint> {
    if draft.status == EndpointStatus::Active {
        diesel::update(
            webhooks::table
                .find(id)
                .filter(webhooks::status.eq(<&str>::from(EndpointStatus::Inactive))),
        )
        .set((
            webhooks::failing_since.eq(None::<DateTime<Utc>>),
            webhooks::disabled_at.eq(None::<DateTime<Utc>>),
            webhooks::disabled_reason.eq(None::<String>),
        ))
        .execute(conn)?;
    }
    let updated = diesel::update(webhooks::table.find(id))
        .set((changes(draft), webhooks::updated_at.eq(now)))
        .execute(conn)?;
    if updated == 0 {
        return Err(Error::not_found("webhook"));
    }
    get_endpoint(conn, id)
}

/// Makes `secret` the endpoint's signing secret. The one it replaces, if any, keeps
/// signing next to it for `overlap` (see `docs/webhooks.md`); a secret an earlier rotation
/// replaced stops at once. The current secret is refused as the new one.
pub fn rotate_secret(
    conn: &mut PgConnection,
    id: Uuid,
    secret: &str,
    now: DateTime<Utc>,
    overlap: chrono::Duration,
) -> Result<Endpoint> {
    let current: Option<Option<String>> = webhooks::table
        .find(id)
        .select(webhooks::signing_secret)
        .for_update()
        .first(conn)
        .optional()?;
    let current = current.ok_or(Error::not_found("webhook"))?;
    if current.as_deref() == Some(secret) {
        return Err(Error::field(
            "signingSecret",
            "is the current secret; a rotation needs a new one",
        ));
    }
    let expires_at = current.as_ref().map(|_| now + overlap);
    diesel::update(webhooks::table.find(id))
        .set((
            webhooks::signing_secret.eq(secret),
            webhooks::previous_signing_secret.eq(current),
            webhooks::previous_signing_secret_expires_at.eq(expires_at),
            webhooks::updated_at.eq(now),
        ))
        .execute(conn)?;
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
        .limit(page::fetch_limit(limit))
        .into_boxed();
    if let Some(c) = after {
        let parts = cursor::decode(c, 2)?;
        let at: DateTime<Utc> = cursor::parse_part(&parts[0])?;
        let id: Uuid = cursor::parse_part(&parts[1])?;
        query = query.filter(
            webhooks::created_at
                .gt(at)
                .or(webhooks::created_at.eq(at).and(webhooks::id.gt(id))),
        );
    }
    let rows: Vec<EndpointRow> = query.load(conn)?;
    Ok(Page::keyset(rows, limit, |r| {
        cursor::encode(&[&r.created_at.to_rfc3339(), &r.id.to_string()])
    })
    .map_items(Endpoint::from))
}
