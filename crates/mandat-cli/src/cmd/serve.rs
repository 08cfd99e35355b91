//! `mandat serve [--bind ADDR]`: the HTTP server over the same store as every other command,
//! with the alert worker (webhooks, and e-mail with `--smtp-url` and `--mail-from`).

use std::process::ExitCode;
use std::time::Duration;

use anyhow::{Context, Result};

use crate::args::ServeArgs;

pub fn run(url: Option<&str>, a: &ServeArgs) -> Result<ExitCode> {
    let mut rt = tokio::runtime::Builder::new_multi_thread();
    rt.enable_all();
    if let Some(n) = a.threads {
        rt.worker_threads(n.max(1));
    }
    rt.build()?.block_on(async {
        let smtp = match (&a.smtp_url, &a.mail_from) {
            (Some(relay), Some(from)) => {
                let c = mandat_server::SmtpConfig {
                    url: relay.clone(),
                    from: from.clone(),
                };
                // Checked here, so a typo stops the server at start instead of every e-mail later.
                mandat_server::smtp_transport(&c, Duration::from_secs(10))
                    .map_err(|e| anyhow::anyhow!("{e}"))?;
                Some(c)
            }
            _ => None,
        };
        let app = super::store::open(url).await?;
        let config = mandat_server::Config {
            alerts: mandat_server::AlertConfig {
                tick: Duration::from_secs(a.alert_tick),
                smtp,
                allow_private_targets: a.webhook_allow_private,
                ..mandat_server::AlertConfig::default()
            },
            bind: a.bind,
            secure_cookies: a.secure_cookies,
            request_timeout: Duration::from_secs(a.request_timeout),
            body_limit: usize::try_from(a.body_limit_mib * 1024 * 1024).unwrap_or(usize::MAX),
            ..mandat_server::Config::default()
        };
        let state = mandat_server::AppState::new(app, config);
        eprintln!("mandat: serving on http://{}/ (Ctrl-C stops)", a.bind);
        mandat_server::serve(state)
            .await
            .with_context(|| format!("serving on {}", a.bind))
    })?;
    Ok(ExitCode::SUCCESS)
}
