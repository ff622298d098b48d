//! Who is calling: a presented bearer token (a session or a machine token) resolved to a
//! [`Principal`], and the announcement every instance hears when a credential ends.

use chrono::{DateTime, Duration, Utc};
use diesel::prelude::*;
use diesel::sql_types::Text;
use orderpath_core::Result;
use orderpath_db::prepared;
use uuid::Uuid;

use crate::role::Role;
use crate::secret::SESSION_TOKEN_PREFIX;
use crate::sessions::find_live_session;
use crate::tokens::{find_token, TokenRecord};

/// The PostgreSQL channel on which every change that ends a credential (sign-out,
/// revocation, deactivation, new password) is announced, in the transaction that makes
/// it. The payload is an [`EndedCredential`]. Instances that cache credentials listen and
/// drop what it names when the change commits.
pub const CREDENTIALS_CHANNEL: &str = "orderpath_credentials";

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PrincipalKind {
    /// A signed-in user, through a session.
    User,
    /// A machine token.
    Token,
}

impl PrincipalKind {
    /// As `GET /me` shows it.
    pub fn as_str(self) -> &'static str {
        match self {
            PrincipalKind::User => "USER",
            PrincipalKind::Token => "TOKEN",
        }
    }
}

/// An authenticated caller.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Principal {
    pub kind: PrincipalKind,
    /// The user's id or the token's id; events name the caller by it (`userId`).
    pub id: Uuid,
    pub name: String,
    pub role: Role,
    pub customer_id: Option<Uuid>,
    /// Users only.
    pub email: Option<String>,
    /// Users only: the session the token belongs to (to sign out, to touch).
    pub session_id: Option<Uuid>,
    /// Users only: the session's absolute end.
    pub expires_at: Option<DateTime<Utc>>,
    /// Users only: when the session was last noted as used (see `touch_session`).
    pub last_used_at: Option<DateTime<Utc>>,
}

impl Principal {
    /// When this credential stops working unless used again or ended sooner: a session's
    /// idle end or absolute end, whichever comes first; `None` for a machine token, which
    /// lasts until revoked.
    pub fn valid_until(&self, idle: Duration) -> Option<DateTime<Utc>> {
        match (self.expires_at, self.last_used_at) {
            (Some(end), Some(used)) => Some(end.min(used + idle)),
            (end, _) => end,
        }
    }
}

impl From<TokenRecord> for Principal {
    fn from(token: TokenRecord) -> Self {
        Principal {
            kind: PrincipalKind::Token,
            id: token.id,
            name: token.name,
            role: token.role,
            customer_id: token.customer_id,
            email: None,
            session_id: None,
            expires_at: None,
            last_used_at: None,
        }
    }
}

/// Resolves a presented bearer token at `now`: a live session (not ended, not past its
/// absolute end, used within `idle`, user active) or a machine token that is not revoked.
/// `None` for anything else. Reads only; the caller decides when to `touch_session`.
pub fn authenticate(
    conn: &mut PgConnection,
    presented: &str,
    now: DateTime<Utc>,
    idle: Duration,
) -> Result<Option<Principal>> {
    if presented.starts_with(SESSION_TOKEN_PREFIX) {
        find_live_session(conn, presented, now, idle)
    } else {
        Ok(find_token(conn, presented)?.map(Principal::from))
    }
}

/// What a credentials announcement names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EndedCredential {
    /// One session ended (sign-out).
    Session(Uuid),
    /// Every session of this user ended (deactivation, new password).
    User(Uuid),
    /// This machine token was revoked.
    Token(Uuid),
}

impl EndedCredential {
    /// The notification payload: `session:<id>`, `user:<id>` or `token:<id>`.
    pub fn to_payload(self) -> String {
        match self {
            EndedCredential::Session(id) => format!("session:{id}"),
            EndedCredential::User(id) => format!("user:{id}"),
            EndedCredential::Token(id) => format!("token:{id}"),
        }
    }

    /// Reads a payload made by [`EndedCredential::to_payload`].
    pub fn parse(payload: &str) -> Option<Self> {
        let (kind, id) = payload.split_once(':')?;
        let id = Uuid::parse_str(id).ok()?;
        match kind {
            "session" => Some(EndedCredential::Session(id)),
            "user" => Some(EndedCredential::User(id)),
            "token" => Some(EndedCredential::Token(id)),
            _ => None,
        }
    }

    /// Whether `principal` (say, from a cache) is a credential this announcement ended.
    pub fn ends(self, principal: &Principal) -> bool {
        match self {
            EndedCredential::Session(id) => principal.session_id == Some(id),
            EndedCredential::User(id) => {
                principal.kind == PrincipalKind::User && principal.id == id
            }
            EndedCredential::Token(id) => {
                principal.kind == PrincipalKind::Token && principal.id == id
            }
        }
    }
}

/// Announces an ended credential on [`CREDENTIALS_CHANNEL`]. PostgreSQL delivers it when
/// the surrounding transaction commits, and never if it rolls back.
pub(crate) fn announce(conn: &mut PgConnection, ended: EndedCredential) -> Result<()> {
    prepared("SELECT pg_notify($1, $2)", |q| {
        q.bind::<Text, _>(CREDENTIALS_CHANNEL)
            .bind::<Text, _>(ended.to_payload())
    })
    .execute(conn)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn session_principal(user: Uuid, session: Uuid) -> Principal {
        Principal {
            kind: PrincipalKind::User,
            id: user,
            name: "Ann".into(),
            role: Role::Backoffice,
            customer_id: None,
            email: Some("ann@example.com".into()),
            session_id: Some(session),
            expires_at: Some(DateTime::UNIX_EPOCH + Duration::days(30)),
            last_used_at: Some(DateTime::UNIX_EPOCH),
        }
    }

    #[test]
    fn payloads_read_back_and_foreign_ones_are_ignored() {
        let id = Uuid::new_v4();
        for ended in [
            EndedCredential::Session(id),
            EndedCredential::User(id),
            EndedCredential::Token(id),
        ] {
            assert_eq!(EndedCredential::parse(&ended.to_payload()), Some(ended));
        }
        assert_eq!(EndedCredential::parse("user"), None);
        assert_eq!(EndedCredential::parse(&format!("cart:{id}")), None);
        assert_eq!(EndedCredential::parse("user:not-a-uuid"), None);
    }

    #[test]
    fn an_announcement_ends_exactly_the_credentials_it_names() {
        let (user, session) = (Uuid::new_v4(), Uuid::new_v4());
        let principal = session_principal(user, session);
        assert!(EndedCredential::Session(session).ends(&principal));
        assert!(EndedCredential::User(user).ends(&principal));
        assert!(
            !EndedCredential::Token(user).ends(&principal),
            "a token sharing the id"
        );
        assert!(!EndedCredential::Session(Uuid::new_v4()).ends(&principal));
    }

    #[test]
    fn a_session_is_valid_until_its_idle_end_or_its_absolute_end() {
        let principal = session_principal(Uuid::new_v4(), Uuid::new_v4());
        assert_eq!(
            principal.valid_until(Duration::hours(12)),
            Some(DateTime::UNIX_EPOCH + Duration::hours(12))
        );
        assert_eq!(
            principal.valid_until(Duration::days(40)),
            Some(DateTime::UNIX_EPOCH + Duration::days(30))
        );
    }
}
