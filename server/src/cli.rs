//! Command-line options. Kept apart from `lib.rs` so the library can be
//! started from tests with a plain [`Config`] and no argument parsing.

use std::net::SocketAddr;
use std::path::PathBuf;

use clap::Parser;

use crate::Config;

/// Xianfeng's sync server: serves the web app and its small sync API.
#[derive(Debug, Parser)]
#[command(name = "xianfeng-server", version = xianfeng_core::VERSION, about)]
pub struct Cli {
    /// Address and port to listen on.
    #[arg(long, env = "XIANFENG_LISTEN", default_value = "127.0.0.1:8080")]
    pub listen: SocketAddr,

    /// Directory for the server's data (the SQLite database). Created if missing.
    #[arg(long, env = "XIANFENG_DATA", default_value = "./data")]
    pub data: PathBuf,

    /// Directory of the built web app to serve.
    #[arg(long, env = "XIANFENG_APP_DIR", default_value = "./dist")]
    pub app_dir: PathBuf,
}

impl From<Cli> for Config {
    fn from(cli: Cli) -> Self {
        Config {
            listen: cli.listen,
            data_dir: cli.data,
            app_dir: cli.app_dir,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_parse() {
        let cli = Cli::try_parse_from(["xianfeng-server"]).unwrap();
        let config = Config::from(cli);
        assert_eq!(config.listen, "127.0.0.1:8080".parse().unwrap());
        assert_eq!(config.data_dir, PathBuf::from("./data"));
        assert_eq!(config.app_dir, PathBuf::from("./dist"));
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
        assert_eq!(cli.data, PathBuf::from("/tmp/d"));
        assert_eq!(cli.app_dir, PathBuf::from("/tmp/a"));
    }

    #[test]
    fn clap_definition_is_valid() {
        use clap::CommandFactory;
        Cli::command().debug_assert();
    }
}
