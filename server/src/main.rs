//! The `xianfeng-server` binary: parse the command line, run until SIGINT or
//! SIGTERM. Everything else lives in the library so tests can drive it.

use std::process::ExitCode;

use clap::Parser;
use xianfeng_server::{cli::Cli, run, shutdown};

#[tokio::main]
async fn main() -> ExitCode {
    xianfeng_server::init_tracing();
    let cli = Cli::parse();
    match run(cli.into(), shutdown::signal()).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            tracing::error!("{err:#}");
            ExitCode::FAILURE
        }
    }
}
