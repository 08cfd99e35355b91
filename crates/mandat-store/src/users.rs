//! Users, roles, passwords (Argon2) and API tokens (random, shown once, stored as SHA-256).

use argon2::password_hash::{PasswordHasher, PasswordVerifier};
use jiff::Timestamp;
use sha2::{Digest, Sha256};
use sqlx::Row;

use crate::error::{Result, StoreError};
use crate::store::{Store, with_pool, write_tx};
use crate::types::*;

const TOKEN_PREFIX: &str = "mdt_";

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn random_hex(n: usize) -> Result<String> {
    let mut buf = vec![0u8; n];
    getrandom::fill(&mut buf).map_err(|e| StoreError::Random(e.to_string()))?;
    Ok(hex(&buf))
}

fn token_hash(secret: &str) -> String {
    hex(&Sha256::digest(secret.as_bytes()))
}

/// Compares without an early exit, so the time taken does not tell how many bytes matched.
fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

async fn hash_password(password: String) -> Result<String> {
    // Argon2 takes tens of milliseconds of CPU: keep it off the async workers.
    tokio::task::spawn_blocking(move || {
        argon2::Argon2::default()
            .hash_password(password.as_bytes())
            .map(|h| h.to_string())
            .map_err(|e| StoreError::Password(e.to_string()))
    })
    .await
    .map_err(|e| StoreError::Password(e.to_string()))?
}

async fn verify_password_hash(password: String, hash: String) -> Result<bool> {
    tokio::task::spawn_blocking(move || {
        let parsed = argon2::password_hash::phc::PasswordHash::new(&hash)
            .map_err(|e| StoreError::Corrupt(format!("password hash: {e}")))?;
        Ok(argon2::Argon2::default()
            .verify_password(password.as_bytes(), &parsed)
            .is_ok())
    })
    .await
    .map_err(|e| StoreError::Password(e.to_string()))?
}

type RawUser = (i64, String, String, i64, i64);

fn user_from(raw: RawUser) -> Result<User> {
    let (id, name, role, clearance, created_at) = raw;
    Ok(User {
        id: UserId(id),
        name,
        role: Role::parse(&role).ok_or_else(|| StoreError::Corrupt(format!("role {role:?}")))?,
        clearance: Clearance::from_db(clearance)?,
        created_at: ts_from_db(created_at)?,
    })
}

impl Store {
    /// Creates a user (admins only; the first admin is created with [`Actor::system`]).
    pub async fn create_user(
        &self,
        actor: &Actor,
        name: &str,
        role: Role,
        clearance: Clearance,
        password: Option<&str>,
    ) -> Result<User> {
        actor.require(Role::Admin)?;
        let hash = match password {
            Some(p) => Some(hash_password(p.to_owned()).await?),
            None => None,
        };
        let now = ts_to_db(Timestamp::now());
        let id: Option<i64> = write_tx!(self, |tx, pg| {
            sqlx::query(
            "INSERT INTO users (name, role, clearance, password_hash, created_at) VALUES ($1, $2, $3, $4, $5) \
             ON CONFLICT (name) DO NOTHING RETURNING id",
        )
        .bind(name)
        .bind(role.as_str())
        .bind(i64::from(clearance.level()))
        .bind(hash)
        .bind(now)
        .fetch_optional(&mut *tx)
        .await?
        .map(|r| r.try_get(0))
        .transpose()?
        });
        let id = id.ok_or_else(|| StoreError::UserExists(name.to_owned()))?;
        user_from((
            id,
            name.to_owned(),
            role.as_str().to_owned(),
            i64::from(clearance.level()),
            now,
        ))
    }

    /// A user by name.
    pub async fn user(&self, name: &str) -> Result<Option<User>> {
        let raw: Option<RawUser> = with_pool!(self, |pool, pg| {
            match sqlx::query(
                "SELECT id, name, role, clearance, created_at FROM users WHERE name = $1",
            )
            .bind(name)
            .fetch_optional(pool)
            .await?
            {
                Some(r) => Some((
                    r.try_get(0)?,
                    r.try_get(1)?,
                    r.try_get(2)?,
                    r.try_get(3)?,
                    r.try_get(4)?,
                )),
                None => None,
            }
        });
        raw.map(user_from).transpose()
    }

    /// All users by name.
    pub async fn users(&self) -> Result<Vec<User>> {
        let raws: Vec<RawUser> = with_pool!(self, |pool, pg| {
            let mut out = Vec::new();
            for r in
                sqlx::query("SELECT id, name, role, clearance, created_at FROM users ORDER BY name")
                    .fetch_all(pool)
                    .await?
            {
                out.push((
                    r.try_get(0)?,
                    r.try_get(1)?,
                    r.try_get(2)?,
                    r.try_get(3)?,
                    r.try_get(4)?,
                ));
            }
            out
        });
        raws.into_iter().map(user_from).collect()
    }

    /// Changes a user's role and clearance (admins only).
    pub async fn set_role(
        &self,
        actor: &Actor,
        name: &str,
        role: Role,
        clearance: Clearance,
    ) -> Result<()> {
        actor.require(Role::Admin)?;
        let n = write_tx!(self, |tx, pg| sqlx::query(
            "UPDATE users SET role = $1, clearance = $2 WHERE name = $3"
        )
        .bind(role.as_str())
        .bind(i64::from(clearance.level()))
        .bind(name)
        .execute(&mut *tx)
        .await?
        .rows_affected());
        if n == 0 {
            return Err(StoreError::UserNotFound(name.to_owned()));
        }
        Ok(())
    }

    /// Sets a user's password (admins, or the user themself).
    pub async fn set_password(&self, actor: &Actor, name: &str, password: &str) -> Result<()> {
        if actor.name != name {
            actor.require(Role::Admin)?;
        }
        let hash = hash_password(password.to_owned()).await?;
        let n = write_tx!(self, |tx, pg| sqlx::query(
            "UPDATE users SET password_hash = $1 WHERE name = $2"
        )
        .bind(hash)
        .bind(name)
        .execute(&mut *tx)
        .await?
        .rows_affected());
        if n == 0 {
            return Err(StoreError::UserNotFound(name.to_owned()));
        }
        Ok(())
    }

    /// The user, if `password` is theirs. A user without a password never logs in with one.
    pub async fn verify_password(&self, name: &str, password: &str) -> Result<Option<User>> {
        let row: Option<(Option<String>, RawUser)> = with_pool!(self, |pool, pg| {
            match sqlx::query(
                "SELECT password_hash, id, name, role, clearance, created_at FROM users WHERE name = $1",
            )
            .bind(name)
            .fetch_optional(pool)
            .await?
            {
                Some(r) => Some((
                    r.try_get(0)?,
                    (r.try_get(1)?, r.try_get(2)?, r.try_get(3)?, r.try_get(4)?, r.try_get(5)?),
                )),
                None => None,
            }
        });
        let Some((Some(hash), raw)) = row else {
            return Ok(None);
        };
        if verify_password_hash(password.to_owned(), hash).await? {
            user_from(raw).map(Some)
        } else {
            Ok(None)
        }
    }

    /// Creates an API token for `user`; the returned secret is shown once and only its hash is kept.
    /// The caller decides who may create tokens for whom (normally the user themself or an admin).
    pub async fn create_token(&self, user: UserId, label: &str) -> Result<NewToken> {
        let id = random_hex(8)?;
        let secret = random_hex(32)?;
        let now = ts_to_db(Timestamp::now());
        write_tx!(self, |tx, pg| {
            sqlx::query(
            "INSERT INTO tokens (id, user_id, token_hash, label, created_at) VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(&id)
        .bind(user.0)
        .bind(token_hash(&secret))
        .bind(label)
        .bind(now)
        .execute(&mut *tx)
        .await
        .map(|_| ())?
        });
        Ok(NewToken {
            secret: format!("{TOKEN_PREFIX}{id}_{secret}"),
            id,
        })
    }

    /// The user a token belongs to, if the token is valid and not revoked.
    pub async fn authenticate_token(&self, token: &str) -> Result<Option<User>> {
        let Some((id, secret)) = token
            .strip_prefix(TOKEN_PREFIX)
            .and_then(|t| t.split_once('_'))
        else {
            return Ok(None);
        };
        let row: Option<(String, RawUser)> = with_pool!(self, |pool, pg| {
            match sqlx::query(
                "SELECT t.token_hash, u.id, u.name, u.role, u.clearance, u.created_at \
                 FROM tokens t JOIN users u ON u.id = t.user_id WHERE t.id = $1 AND t.revoked_at IS NULL",
            )
            .bind(id)
            .fetch_optional(pool)
            .await?
            {
                Some(r) => Some((
                    r.try_get(0)?,
                    (r.try_get(1)?, r.try_get(2)?, r.try_get(3)?, r.try_get(4)?, r.try_get(5)?),
                )),
                None => None,
            }
        });
        match row {
            Some((hash, raw))
                if constant_time_eq(hash.as_bytes(), token_hash(secret).as_bytes()) =>
            {
                user_from(raw).map(Some)
            }
            Some(_) | None => Ok(None),
        }
    }

    /// Revokes a token by its public id; true if it was active.
    pub async fn revoke_token(&self, token_id: &str) -> Result<bool> {
        let now = ts_to_db(Timestamp::now());
        let n = write_tx!(self, |tx, pg| sqlx::query(
            "UPDATE tokens SET revoked_at = $1 WHERE id = $2 AND revoked_at IS NULL"
        )
        .bind(now)
        .bind(token_id)
        .execute(&mut *tx)
        .await?
        .rows_affected());
        Ok(n > 0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn constant_time_eq_compares_bytes() {
        assert!(constant_time_eq(b"abc", b"abc"));
        assert!(!constant_time_eq(b"abc", b"abd"));
        assert!(!constant_time_eq(b"abc", b"ab"));
    }

    #[test]
    fn token_hash_is_sha256_hex() {
        // SHA-256 of the empty string, a published test vector.
        assert_eq!(
            token_hash(""),
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
        );
    }
}
