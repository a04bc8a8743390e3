//! Command-line options and the operator's subcommands. Kept apart from
//! `lib.rs` so the library can be started from tests with a plain [`Config`]
//! and no argument parsing.
//!
//! With no subcommand the server runs (`serve`), so
//! `xianfeng-server --listen … --data … --app-dir …` keeps working. The
//! other subcommands work on the database in `--data` directly and may run
//! while the server does (SQLite serialises the writes):
//!
//! ```text
//! xianfeng-server invite --role cadre --scope branch:<uuid> --name 王五 [--base-url URL]
//! xianfeng-server devices
//! xianfeng-server revoke <device-id>
//! xianfeng-server copy-to-postgres --data ./data --database-url postgres://…
//! ```
//!
//! `--database-url postgres://…` (or `DATABASE_URL`) keeps everything in
//! PostgreSQL instead of SQLite; several servers may share one database.
//! `copy-to-postgres` moves an existing SQLite database there (see
//! [`crate::store::migrate`]).
//!
//! Scopes on the command line: `city`, `system:<uuid>`, `unit:<uuid>`,
//! `branch:<uuid>`, `village:<uuid>`.
//!
//! Demo mode: `xianfeng-server --demo` keeps its data in `./data-demo`
//! (unless `--data` is given), seeds the demo city once and prints
//! enrollment links for a demo office user, inspector and cadre (see
//! [`crate::demo`]). Demo and real databases refuse to be mixed up.
//!
//! First start: while no office device is enrolled, `serve` prints a
//! one-time administrator code (管理员登记码) and its link, and also writes
//! the code to `<data>/admin-code.txt` (mode 0600) for scripts and tests;
//! the file is deleted once the code is used. Until then every restart
//! replaces the code (only its hash is stored).

use std::net::SocketAddr;
use std::path::PathBuf;

use anyhow::Context as _;
use clap::{Parser, Subcommand};
use time::OffsetDateTime;
use xianfeng_core::ids::DeviceId;
use xianfeng_core::{Role, Scope};

use crate::auth::{list_devices, parse_role, parse_scope_arg, role_text, scope_arg_text};
use crate::enroll::{create_invite, enroll_link};
use crate::store::migrate;
use crate::{open_store, Config};

/// Xianfeng's sync server: serves the web app and its small sync API.
#[derive(Debug, Parser)]
#[command(name = "xianfeng-server", version = xianfeng_core::VERSION, about)]
pub struct Cli {
    /// Address and port to listen on.
    #[arg(
        long,
        env = "XIANFENG_LISTEN",
        default_value = "127.0.0.1:8080",
        global = true
    )]
    pub listen: SocketAddr,

    /// Directory for the server's data (the SQLite database). Created if
    /// missing. [default: ./data, or ./data-demo with --demo]
    #[arg(long, env = "XIANFENG_DATA", global = true)]
    pub data: Option<PathBuf>,

    /// Keep the data in PostgreSQL instead of SQLite
    /// (postgres://user:password@host:port/database). Several servers may
    /// share one database. `--data` then holds only the operator files.
    #[arg(long, env = "DATABASE_URL", global = true)]
    pub database_url: Option<String>,

    /// Demo mode: seed a demo city (演示数据) into its own database and print
    /// enrollment links for a demo office user, inspector and cadre.
    #[arg(long, global = true)]
    pub demo: bool,

    /// Directory of the built web app to serve.
    #[arg(
        long,
        env = "XIANFENG_APP_DIR",
        default_value = "./dist",
        global = true
    )]
    pub app_dir: PathBuf,

    /// The URL phones reach this server at, for enrollment links
    /// (default: http://<listen>).
    #[arg(long, env = "XIANFENG_PUBLIC_URL", global = true)]
    pub public_url: Option<String>,

    #[command(subcommand)]
    pub command: Option<Command>,
}

/// What to do; `serve` when none is given.
#[derive(Debug, Clone, PartialEq, Eq, Subcommand)]
pub enum Command {
    /// Run the server (the default).
    Serve,
    /// Make a one-time invite (valid 7 days) and print its code and link.
    Invite {
        /// office, inspector or cadre.
        #[arg(long, value_parser = parse_role_arg)]
        role: Role,
        /// city, system:<uuid>, unit:<uuid>, branch:<uuid> or village:<uuid>.
        #[arg(long, value_parser = parse_scope_arg)]
        scope: Scope,
        /// The person the invite is for.
        #[arg(long)]
        name: String,
        /// Base of the printed link (default: --public-url, else http://<listen>).
        #[arg(long)]
        base_url: Option<String>,
    },
    /// List enrolled devices.
    Devices,
    /// Revoke a device: its token stops working at once.
    Revoke {
        /// The device's id (see `devices`).
        device_id: DeviceId,
    },
    /// Copy the SQLite database in --data into the (empty) PostgreSQL
    /// database at --database-url, then verify counts and a pull of the
    /// whole log. The SQLite database is brought to the current schema,
    /// then only read.
    CopyToPostgres,
}

fn parse_role_arg(text: &str) -> Result<Role, String> {
    parse_role(&text.trim().to_ascii_lowercase())
        .map_err(|_| format!("role {text:?}: expected office, inspector or cadre"))
}

impl From<Cli> for Config {
    fn from(cli: Cli) -> Self {
        let default_data = if cli.demo {
            crate::demo::DEMO_DATA_DIR
        } else {
            "./data"
        };
        Config {
            listen: cli.listen,
            data_dir: cli.data.unwrap_or_else(|| PathBuf::from(default_data)),
            database_url: cli.database_url,
            app_dir: cli.app_dir,
            public_url: cli.public_url,
            demo: cli.demo,
        }
    }
}

/// Runs an operator subcommand (anything but `serve`) against the database
/// in `config.data_dir`, printing to stdout.
pub async fn execute(command: Command, config: &Config) -> anyhow::Result<()> {
    if command == Command::CopyToPostgres {
        let url = config
            .database_url
            .as_deref()
            .context("copy-to-postgres needs --database-url (or DATABASE_URL)")?;
        let report = migrate::copy_sqlite_to_postgres(&config.data_dir, url).await?;
        println!("{report}");
        return Ok(());
    }
    let db = open_store(config).await?;
    let now = OffsetDateTime::now_utc();
    let result = match command {
        Command::CopyToPostgres => Ok(()),
        Command::Serve => Ok(()),
        Command::Invite {
            role,
            scope,
            name,
            base_url,
        } => {
            let base = base_url.unwrap_or_else(|| config.base_url(config.listen));
            let (code, expires_at) = db
                .write(move |sql| {
                    create_invite(sql, role, &scope, &name, now)
                        .map_err(|err| anyhow::anyhow!("{}: {err}", err.code()))
                })
                .await?;
            println!("登记码 / enrollment code: {code}");
            println!("登记链接 / link: {}", enroll_link(&base, &code));
            println!("有效期至 / expires at: {expires_at}");
            println!(
                "角色 / role: {}  范围 / scope: {}",
                role_text(role),
                scope_arg_text(&scope)
            );
            Ok(())
        }
        Command::Devices => {
            let devices = db.read(|sql| list_devices(sql)).await?;
            if devices.is_empty() {
                println!("no devices enrolled");
            }
            for d in devices {
                println!(
                    "{}  {:<9}  {:<50}  {}  {}  created {}  {}  last_seq {}",
                    d.device_id,
                    role_text(d.role),
                    scope_arg_text(&d.scope),
                    d.name,
                    if d.device_name.is_empty() {
                        "-"
                    } else {
                        &d.device_name
                    },
                    d.created_at,
                    d.revoked_at
                        .map(|at| format!("REVOKED {at}"))
                        .unwrap_or_else(|| "active".to_owned()),
                    d.last_seq
                );
            }
            Ok(())
        }
        Command::Revoke { device_id } => {
            let now = crate::secrets::format_time(now);
            let found = db
                .write(move |sql| crate::auth::revoke_device(sql, device_id, &now))
                .await?;
            if found {
                println!("revoked {device_id}");
                Ok(())
            } else {
                Err(anyhow::anyhow!("no device {device_id}"))
            }
        }
    };
    db.close().await?;
    result
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_parse() {
        let cli = Cli::try_parse_from(["xianfeng-server"]).unwrap();
        assert_eq!(cli.command, None);
        let config = Config::from(cli);
        assert_eq!(config.listen, "127.0.0.1:8080".parse().unwrap());
        assert_eq!(config.data_dir, PathBuf::from("./data"));
        assert_eq!(config.app_dir, PathBuf::from("./dist"));
        assert_eq!(config.public_url, None);
        assert!(!config.demo);
    }

    #[test]
    fn demo_uses_its_own_data_dir_unless_told() {
        let config = Config::from(Cli::try_parse_from(["xianfeng-server", "--demo"]).unwrap());
        assert!(config.demo);
        assert_eq!(config.data_dir, PathBuf::from("./data-demo"));
        let cli = Cli::try_parse_from(["xianfeng-server", "serve", "--demo", "--data", "/tmp/x"]);
        let config = Config::from(cli.unwrap());
        assert!(config.demo);
        assert_eq!(config.data_dir, PathBuf::from("/tmp/x"));
    }

    #[test]
    fn flags_parse() {
        let cli = Cli::try_parse_from([
            "xianfeng-server",
            "--listen",
            "0.0.0.0:9000",
            "--data",
            "/tmp/d",
            "--app-dir",
            "/tmp/a",
        ])
        .unwrap();
        assert_eq!(cli.listen, "0.0.0.0:9000".parse().unwrap());
        assert_eq!(cli.data, Some(PathBuf::from("/tmp/d")));
        assert_eq!(cli.app_dir, PathBuf::from("/tmp/a"));
        assert_eq!(cli.command, None);
        let cli =
            Cli::try_parse_from(["xianfeng-server", "serve", "--listen", "0.0.0.0:9001"]).unwrap();
        assert_eq!(cli.command, Some(Command::Serve));
        assert_eq!(cli.listen, "0.0.0.0:9001".parse().unwrap());
    }

    #[test]
    fn subcommands_parse() {
        let id = "01900000-0000-7000-8000-000000000001";
        let cli = Cli::try_parse_from([
            "xianfeng-server",
            "invite",
            "--role",
            "cadre",
            "--scope",
            &format!("branch:{id}"),
            "--name",
            "王五",
            "--data",
            "/tmp/d",
        ])
        .unwrap();
        assert_eq!(cli.data, Some(PathBuf::from("/tmp/d")));
        assert_eq!(
            cli.command,
            Some(Command::Invite {
                role: Role::Cadre,
                scope: Scope::Branch(id.parse().unwrap()),
                name: "王五".to_owned(),
                base_url: None,
            })
        );
        let cli = Cli::try_parse_from(["xianfeng-server", "revoke", id]).unwrap();
        assert_eq!(
            cli.command,
            Some(Command::Revoke {
                device_id: id.parse().unwrap()
            })
        );
        let cli = Cli::try_parse_from(["xianfeng-server", "devices"]).unwrap();
        assert_eq!(cli.command, Some(Command::Devices));
        for bad in [
            vec![
                "xianfeng-server",
                "invite",
                "--role",
                "mayor",
                "--scope",
                "city",
                "--name",
                "x",
            ],
            vec![
                "xianfeng-server",
                "invite",
                "--role",
                "cadre",
                "--scope",
                "branch",
                "--name",
                "x",
            ],
            vec!["xianfeng-server", "revoke", "not-an-id"],
        ] {
            assert!(Cli::try_parse_from(&bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn clap_definition_is_valid() {
        use clap::CommandFactory;
        Cli::command().debug_assert();
    }
}
