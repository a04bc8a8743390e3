//! The `xianfeng-server` binary: parse the command line, then either run the
//! server until SIGINT or SIGTERM (the default, `serve`) or run one of the
//! operator's subcommands. Everything else lives in the library so tests can
//! drive it.

use std::process::ExitCode;

use clap::Parser;
use xianfeng_server::cli::{self, Cli, Command};
use xianfeng_server::{run, shutdown, Config};

#[tokio::main]
async fn main() -> ExitCode {
    xianfeng_server::init_tracing();
    let mut cli = Cli::parse();
    let command = cli.command.take().unwrap_or(Command::Serve);
    let config = Config::from(cli);
    let result = match command {
        Command::Serve => run(config, shutdown::signal()).await,
        other => cli::execute(other, &config).await,
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            tracing::error!("{err:#}");
            ExitCode::FAILURE
        }
    }
}
