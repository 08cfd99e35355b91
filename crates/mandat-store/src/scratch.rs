//! A scratch PostgreSQL schema for tests and benchmarks: created fresh, reached through a
//! connection URL that sets `search_path` to it, dropped with everything in it afterwards.

use std::sync::atomic::{AtomicU32, Ordering};

use sqlx::PgPool;

/// Environment variable naming the PostgreSQL server tests and benchmarks run against.
pub const TEST_PG_URL_ENV: &str = "MANDAT_TEST_PG_URL";

/// The PostgreSQL server tests and benchmarks run against (`MANDAT_TEST_PG_URL`, by default the
/// local server CI starts).
pub fn test_server_url() -> String {
    std::env::var(TEST_PG_URL_ENV)
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/postgres".to_owned())
}

static COUNTER: AtomicU32 = AtomicU32::new(0);

/// A fresh schema on a PostgreSQL server; [`ScratchSchema::url`] opens a store inside it.
#[derive(Debug)]
pub struct ScratchSchema {
    admin: PgPool,
    name: String,
    url: String,
}

impl ScratchSchema {
    /// Creates a schema named `<prefix>_<process>_<counter>_<microseconds>` on the server at
    /// `server_url`.
    ///
    /// # Errors
    /// The server is unreachable or refuses to create the schema.
    pub async fn create(server_url: &str, prefix: &str) -> Result<ScratchSchema, sqlx::Error> {
        let admin = PgPool::connect(server_url).await?;
        let name = format!(
            "{prefix}_{}_{}_{}",
            std::process::id(),
            COUNTER.fetch_add(1, Ordering::Relaxed),
            jiff::Timestamp::now().as_microsecond() % 1_000_000
        );
        sqlx::query(sqlx::AssertSqlSafe(format!("CREATE SCHEMA {name}")))
            .execute(&admin)
            .await?;
        let sep = if server_url.contains('?') { '&' } else { '?' };
        let url = format!("{server_url}{sep}options=-c%20search_path%3D{name}");
        Ok(ScratchSchema { admin, name, url })
    }

    /// The connection URL whose sessions work inside the schema.
    pub fn url(&self) -> &str {
        &self.url
    }

    /// The schema's name.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// A pool on the server, outside the schema (for `ANALYZE`, sizes, inspection).
    pub fn admin(&self) -> &PgPool {
        &self.admin
    }

    /// Bytes the schema's tables take with their indexes and TOAST.
    ///
    /// # Errors
    /// The server refuses the query.
    pub async fn size_bytes(&self) -> Result<u64, sqlx::Error> {
        let size: i64 = sqlx::query_scalar(
            "SELECT CAST(COALESCE(SUM(pg_total_relation_size(c.oid)), 0) AS BIGINT) FROM pg_class c \
             JOIN pg_namespace s ON s.oid = c.relnamespace WHERE s.nspname = $1 AND c.relkind = 'r'",
        )
        .bind(&self.name)
        .fetch_one(&self.admin)
        .await?;
        Ok(u64::try_from(size).unwrap_or(0))
    }

    /// Drops the schema with everything in it.
    ///
    /// # Errors
    /// The server refuses the drop.
    pub async fn drop_schema(self) -> Result<(), sqlx::Error> {
        sqlx::query(sqlx::AssertSqlSafe(format!(
            "DROP SCHEMA {} CASCADE",
            self.name
        )))
        .execute(&self.admin)
        .await?;
        self.admin.close().await;
        Ok(())
    }
}
