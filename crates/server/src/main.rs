//! `orderpath`: `serve` (the default), `migrate`, `token create|list|revoke`, `user create`,
//! `inbox`.

use std::net::TcpListener;
use std::process::ExitCode;
use std::sync::Arc;

use actix_web::web;
use clap::{Parser, Subcommand};
use orderpath_core::clock::SystemClock;
use orderpath_server::admin;
use orderpath_server::app::build_server;
use orderpath_server::auth::Role;
use orderpath_server::background::{
    prune_old_events, prune_sign_in_failures, start_webhook_delivery, sweep_idempotency_keys,
    sweep_offer_expiry,
};
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
    /// Manage users (people who sign in with email and password).
    User {
        #[command(subcommand)]
        command: UserCommand,
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
    /// List every token (never its secret), oldest first.
    List,
    /// Revoke a token: it stops working at once.
    Revoke {
        /// The token's id (see `token list`).
        id: Uuid,
    },
}

#[derive(Subcommand)]
enum UserCommand {
    /// Create a user; the password (at least 12 characters) is read from standard input.
    /// Prints the new user's id as the last line.
    Create {
        #[arg(long)]
        email: String,
        #[arg(long)]
        name: String,
        /// `backoffice` (merchant staff) or `customer` (a customer's person in the store).
        #[arg(long, value_enum)]
        role: Role,
        /// For `--role customer`: the customer the user speaks for.
        #[arg(long)]
        customer: Option<Uuid>,
    },
}

fn main() -> ExitCode {
    env_logger::Builder::from_env(env_logger::Env::default().default_filter_or("info")).init();
    let cli = Cli::parse();
    let outcome = match cli.command.unwrap_or(Command::Serve) {
        Command::Serve => serve(),
        Command::Migrate => admin::migrate().map(|_| ()),
        Command::Token { command } => match command {
            TokenCommand::Create {
                role,
                name,
                customer,
            } => admin::token_create(role, &name, customer),
            TokenCommand::List => admin::token_list(),
            TokenCommand::Revoke { id } => admin::token_revoke(id),
        },
        Command::User {
            command:
                UserCommand::Create {
                    email,
                    name,
                    role,
                    customer,
                },
        } => admin::user_create(&email, &name, role, customer),
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

fn serve() -> Result<(), String> {
    let config = admin::migrate()?;
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
        actix_web::rt::spawn(prune_sign_in_failures(state.clone()));
        actix_web::rt::spawn(prune_old_events(state.clone()));
        actix_web::rt::spawn(sweep_idempotency_keys(state.clone()));
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
