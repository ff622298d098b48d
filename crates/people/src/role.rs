//! What a caller may do. Signed-in users are `backoffice` or `customer`; machine tokens may
//! also be `integration`. Stored as those lower-case strings.

use diesel::deserialize::{self, FromSql, FromSqlRow};
use diesel::expression::AsExpression;
use diesel::pg::{Pg, PgValue};
use diesel::serialize::{self, Output, ToSql};
use diesel::sql_types::Text;
use orderpath_core::stored_enum;

stored_enum! {
    case "lowercase";
    #[derive(AsExpression, FromSqlRow, strum::VariantNames)]
    #[diesel(sql_type = Text)]
    pub enum Role {
        /// ERP and partner systems.
        Integration,
        /// Merchant staff.
        Backoffice,
        /// A customer in the online front end, bound to one customer.
        Customer,
    }
}

impl Role {
    /// Whether a person (rather than a machine) may have this role.
    pub fn is_user_role(self) -> bool {
        matches!(self, Role::Backoffice | Role::Customer)
    }
}

impl ToSql<Text, Pg> for Role {
    fn to_sql<'b>(&'b self, out: &mut Output<'b, '_, Pg>) -> serialize::Result {
        let name: &'static str = (*self).into();
        <str as ToSql<Text, Pg>>::to_sql(name, out)
    }
}

impl FromSql<Text, Pg> for Role {
    fn from_sql(value: PgValue<'_>) -> deserialize::Result<Self> {
        let text = <String as FromSql<Text, Pg>>::from_sql(value)?;
        text.parse()
            .map_err(|_| format!("unknown role {text:?}").into())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_role_reads_back_from_its_string() {
        for role in [Role::Integration, Role::Backoffice, Role::Customer] {
            assert_eq!(role.to_string().parse::<Role>().ok(), Some(role));
        }
        assert!("Backoffice".parse::<Role>().is_err());
    }
}
