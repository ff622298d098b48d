//! `orderpath`: `serve` (the default), `migrate`, `token create`.

use std::net::TcpListener;
use std::process::ExitCode;
use std::sync::Arc;

use actix_web::web;
use clap::{Parser, Subcommand};
use orderpath_core::clock::SystemClock;
use orderpath_server::app::build_server;
use orderpath_server::auth::{create_token, Role};
use orderpath_server::background::{start_webhook_delivery, sweep_offer_expiry};
use orderpath_server::config::Config;
use orderpath_server::inbox::{run_inbox, InboxConfig};
use orderpath_server::state::AppState;
use orderpath_webhooks::SigningSecret;
use uuid::Uuid;

#[derive(Parser)]
#[command(
    name = "orderpath",
    version,
    about = "The order path of a B2B sales platform"
)]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Subcommand)]
enum Command {
    /// Run pending migrations, then serve the API (the default).
    Serve,
    /// Run pending migrations and exit.
    Migrate,
    /// Manage API tokens.
    Token {
        #[command(subcommand)]
        command: TokenCommand,
    },
    /// Run a sample webhook receiver that shows what it receives (a web page and /events).
    Inbox {
        /// Address to listen on.
        #[arg(long, default_value = "127.0.0.1:9000")]
        listen: String,
        /// Basic auth user the senders must present.
        #[arg(long, default_value = "admin")]
        username: String,
        /// Basic auth password the senders must present.
        #[arg(long, default_value = "admin")]
        password: String,
        /// With the endpoint's signing secret (`whsec_…`), signatures are verified too.
        #[arg(long)]
        signing_secret: Option<String>,
    },
}

#[derive(Subcommand)]
enum TokenCommand {
    /// Create a token and print it as the last line; it is shown only this once.
    Create {
        #[arg(long, value_enum)]
        role: Role,
        /// A name that says whose token this is; price edits are recorded under it.
        #[arg(long)]
        name: String,
        /// For `--role customer`: the customer the token speaks for.
        #[arg(long)]
        customer: Option<Uuid>,
    },
}

fn main() -> ExitCode {
    env_logger::Builder::from_env(env_logger::Env::default().default_filter_or("info")).init();
    let cli = Cli::parse();
    let outcome = match cli.command.unwrap_or(Command::Serve) {
        Command::Serve => serve(),
        Command::Migrate => migrate().map(|_| ()),
        Command::Token {
            command:
                TokenCommand::Create {
                    role,
                    name,
                    customer,
                },
        } => token_create(role, &name, customer),
        Command::Inbox {
            listen,
            username,
            password,
            signing_secret,
        } => inbox(&listen, username, password, signing_secret),
    };
    match outcome {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("orderpath: {message}");
            ExitCode::FAILURE
        }
    }
}

fn migrate() -> Result<Config, String> {
    let config = Config::from_env()?;
    let pool = orderpath_db::build_pool(&config.database_url, 1).map_err(|e| e.to_string())?;
    let mut conn = pool.get().map_err(|e| e.to_string())?;
    if apply_migrations(&mut conn)? == 0 {
        log::info!("database schema is up to date");
    }
    Ok(config)
}

/// Runs pending migrations, logs those applied and returns how many. Commands other than
/// `migrate` and `serve` stay silent when there were none, so that `scripts/run` (a token,
/// then the service) says "up to date" once.
fn apply_migrations(conn: &mut diesel::PgConnection) -> Result<usize, String> {
    let applied = orderpath_db::run_pending_migrations(conn).map_err(|e| e.to_string())?;
    if !applied.is_empty() {
        log::info!("applied migrations: {}", applied.join(", "));
    }
    Ok(applied.len())
}

fn serve() -> Result<(), String> {
    let config = migrate()?;
    let pool = orderpath_db::build_pool(&config.database_url, config.pool_size)
        .map_err(|e| e.to_string())?;
    let listener = TcpListener::bind(&config.bind)
        .map_err(|e| format!("cannot listen on {}: {e}", config.bind))?;
    log::info!(
        "listening on http://{}",
        listener.local_addr().map_err(|e| e.to_string())?
    );
    let state = web::Data::new(AppState::new(pool, Arc::new(SystemClock), config));
    actix_web::rt::System::new().block_on(async move {
        actix_web::rt::spawn(sweep_offer_expiry(state.clone()));
        let (stop_delivery, delivery) = start_webhook_delivery(&state);
        let server = build_server(listener, state).map_err(|e| e.to_string())?;
        // Returns once SIGTERM or SIGINT stopped the server gracefully.
        let served = server.await.map_err(|e| e.to_string());
        log::info!("stopping webhook delivery: finishing or releasing deliveries in flight");
        let _ = stop_delivery.send(true);
        let _ = delivery.await;
        served
    })
}

fn inbox(
    listen: &str,
    username: String,
    password: String,
    secret: Option<String>,
) -> Result<(), String> {
    let signing_secret = secret
        .map(|s| SigningSecret::parse(&s).map_err(|e| format!("--signing-secret: {e}")))
        .transpose()?;
    let listener =
        TcpListener::bind(listen).map_err(|e| format!("cannot listen on {listen}: {e}"))?;
    let address = listener.local_addr().map_err(|e| e.to_string())?;
    println!(
        "orderpath inbox on http://{address}/ (Basic {username}:{})",
        "*".repeat(password.len())
    );
    let config = InboxConfig {
        username,
        password,
        signing_secret,
    };
    actix_web::rt::System::new()
        .block_on(run_inbox(listener, config))
        .map_err(|e| e.to_string())
}

fn token_create(role: Role, name: &str, customer: Option<Uuid>) -> Result<(), String> {
    let config = Config::from_env()?;
    let pool = orderpath_db::build_pool(&config.database_url, 1).map_err(|e| e.to_string())?;
    let mut conn = pool.get().map_err(|e| e.to_string())?;
    apply_migrations(&mut conn)?;
    let token = create_token(&mut conn, name, role, customer).map_err(|e| match e {
        orderpath_core::Error::Validation(errors) => errors
            .iter()
            .map(|e| format!("--{}: {}", e.field, e.message))
            .collect::<Vec<_>>()
            .join("; "),
        other => other.to_string(),
    })?;
    println!(
        "Created a {} token named \"{}\". It is shown only this once:",
        role,
        name.trim()
    );
    println!("{token}");
    Ok(())
}
