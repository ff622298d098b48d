//! The operator's commands that change the database directly: `migrate`, `token
//! create|list|revoke` and `user create`. Each finds the database like `serve` does, applies
//! pending migrations first, and answers in one line per fact, the secret or id last.

use std::io::Read;

use chrono::{SecondsFormat, Utc};
use diesel::PgConnection;
use orderpath_people::{NewUser, Role};
use uuid::Uuid;

use crate::config::Config;

/// Runs pending migrations, logs those applied and returns how many. Commands other than
/// `migrate` and `serve` stay silent when there were none, so that `scripts/run` (a token,
/// then the service) says "up to date" once.
pub fn apply_migrations(conn: &mut PgConnection) -> Result<usize, String> {
    let applied = orderpath_db::run_pending_migrations(conn).map_err(|e| e.to_string())?;
    if !applied.is_empty() {
        log::info!("applied migrations: {}", applied.join(", "));
    }
    Ok(applied.len())
}

/// `orderpath migrate`: the configuration, once the schema is up to date.
pub fn migrate() -> Result<Config, String> {
    let config = Config::from_env()?;
    let mut conn = connect(&config)?;
    if apply_migrations(&mut conn)? == 0 {
        log::info!("database schema is up to date");
    }
    Ok(config)
}

fn connect(config: &Config) -> Result<PgConnection, String> {
    use diesel::Connection;
    PgConnection::establish(&config.database_url).map_err(|e| e.to_string())
}

/// A migrated connection for a one-off command.
fn migrated() -> Result<PgConnection, String> {
    let config = Config::from_env()?;
    let mut conn = connect(&config)?;
    apply_migrations(&mut conn)?;
    Ok(conn)
}

/// A domain error as the command line says it: field errors name the option.
fn explain(error: orderpath_core::Error) -> String {
    match error {
        orderpath_core::Error::Validation(errors) => errors
            .iter()
            .map(|e| format!("--{}: {}", option_name(&e.field), e.message))
            .collect::<Vec<_>>()
            .join("; "),
        other => other.to_string(),
    }
}

/// `customerId` → `customer`: the options are named for what they hold.
fn option_name(field: &str) -> &str {
    match field {
        "customerId" => "customer",
        other => other,
    }
}

/// `orderpath token create`: prints the token as the last line.
pub fn token_create(role: Role, name: &str, customer: Option<Uuid>) -> Result<(), String> {
    let mut conn = migrated()?;
    let issued = orderpath_people::issue_token(&mut conn, name, role, customer, Utc::now())
        .map_err(explain)?;
    println!(
        "Created a token for {role} named \"{}\" (id {}). It is shown only this once:",
        issued.summary.name, issued.summary.id
    );
    println!("{}", issued.token);
    Ok(())
}

/// `orderpath token list`: one line per token, oldest first; never a secret.
pub fn token_list() -> Result<(), String> {
    let mut conn = migrated()?;
    let mut after: Option<String> = None;
    println!("id\trole\tcustomer\tcreated\trevoked\tname");
    loop {
        let page =
            orderpath_people::list_tokens(&mut conn, after.as_deref(), 500).map_err(explain)?;
        for t in &page.items {
            println!(
                "{}\t{}\t{}\t{}\t{}\t{}",
                t.id,
                t.role,
                t.customer_id.map(|c| c.to_string()).unwrap_or("-".into()),
                t.created_at.to_rfc3339_opts(SecondsFormat::Secs, true),
                t.revoked_at
                    .map(|r| r.to_rfc3339_opts(SecondsFormat::Secs, true))
                    .unwrap_or("-".into()),
                t.name
            );
        }
        match page.next_cursor {
            Some(next) => after = Some(next),
            None => return Ok(()),
        }
    }
}

/// `orderpath token revoke ID`: the token stops working at once, on every instance.
pub fn token_revoke(id: Uuid) -> Result<(), String> {
    let mut conn = migrated()?;
    let token = orderpath_people::revoke_token(&mut conn, id, Utc::now()).map_err(explain)?;
    println!(
        "Revoked the token \"{}\" ({}).",
        token.name,
        token.revoked_at.map(|r| r.to_rfc3339()).unwrap_or_default()
    );
    Ok(())
}

/// `orderpath user create`: reads the password from standard input (its first line, so
/// that `echo … |` and a typed line both work) and prints the new user's id last.
pub fn user_create(
    email: &str,
    name: &str,
    role: Role,
    customer: Option<Uuid>,
) -> Result<(), String> {
    let password = read_password()?;
    let mut conn = migrated()?;
    let new = NewUser {
        email: email.to_string(),
        name: name.to_string(),
        role,
        customer_id: customer,
        password,
    };
    let user = orderpath_people::create_user(&mut conn, new, Utc::now()).map_err(explain)?;
    println!(
        "Created the {} user {} ({}):",
        user.role, user.email, user.name
    );
    println!("{}", user.id);
    Ok(())
}

/// The first line of standard input, without its line ending. Reads at most a little more
/// than the longest password allowed, so a mistaken pipe cannot fill the memory.
fn read_password() -> Result<String, String> {
    let limit = orderpath_people::MAX_PASSWORD_BYTES as u64 + 2;
    let mut input = String::new();
    std::io::stdin()
        .take(limit + 1)
        .read_to_string(&mut input)
        .map_err(|e| format!("reading the password from standard input: {e}"))?;
    let line = input.lines().next().unwrap_or("");
    if line.is_empty() {
        return Err("give the password on standard input (e.g. `echo \"$PASSWORD\" | orderpath user create …`)".into());
    }
    Ok(line.to_string())
}
