//! Where signed-in carts live (ssr only): Redis through `fred` when
//! `REDIS_URL` is set, otherwise the embedded database. Both keep, per user,
//! product id → quantity, and both apply every change atomically, so two tabs
//! adding at once both count and no line ever exceeds its cap.
//!
//! Redis layout: one hash per user, `{prefix}cart:{user_id}`, field = product
//! id, value = quantity, expiring [`Config::cart_ttl`] after the last change.
//! Applied guest-cart merges are remembered as `{prefix}cart-merge:{user}:{id}`
//! for a day, so a retried merge never adds twice.

use std::time::Duration;

use fred::prelude::*;
use fred::types::config::UnresponsiveConfig;
use sea_orm::sea_query::{Expr, ExprTrait as _, OnConflict, Query, SimpleExpr};
use sea_orm::{ConnectionTrait, DatabaseConnection, DbBackend, SqlErr, Statement, TransactionTrait};

use super::domain::MAX_LINES;
use crate::error::ServerError;

/// A change to one line: add `quantity` (or set it), never beyond `cap`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct LineChange {
    pub product_id: i32,
    pub quantity: u32,
    /// The most this line may hold (stock and the per-line maximum).
    pub cap: u32,
}

/// How a line came out of a change.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Applied {
    /// The line now holds this many (0: removed or never added, for lack of stock).
    Quantity { before: u32, after: u32 },
    /// The cart already has [`MAX_LINES`] products: nothing changed.
    CartFull,
}

/// What a merge did.
#[derive(Debug, PartialEq, Eq)]
pub enum Merged {
    Applied(Vec<(i32, Applied)>),
    /// This merge id was applied before (a retry): nothing changed.
    AlreadyApplied,
}

#[derive(Clone, Copy)]
enum Mode {
    Add,
    Set,
}

/// The server-side cart store.
#[derive(Clone)]
pub enum CartStore {
    Redis(RedisCarts),
    Sql(SqlCarts),
}

impl std::fmt::Debug for CartStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Self::Redis(_) => "CartStore::Redis",
            Self::Sql(_) => "CartStore::Sql",
        })
    }
}

impl CartStore {
    /// This user's lines: (product id, quantity).
    pub async fn lines(&self, user: i32) -> Result<Vec<(i32, u32)>, ServerError> {
        match self {
            Self::Redis(r) => r.lines(user).await,
            Self::Sql(s) => s.lines(user).await,
        }
    }

    /// Adds to a line, capped.
    pub async fn add(&self, user: i32, change: LineChange) -> Result<Applied, ServerError> {
        self.change(user, change, Mode::Add).await
    }

    /// Sets a line's quantity, capped.
    pub async fn set(&self, user: i32, change: LineChange) -> Result<Applied, ServerError> {
        self.change(user, change, Mode::Set).await
    }

    async fn change(&self, user: i32, change: LineChange, mode: Mode) -> Result<Applied, ServerError> {
        match self {
            Self::Redis(r) => r.change(user, change, mode).await,
            Self::Sql(s) => s.change(user, change, mode).await,
        }
    }

    /// Lowers a line to `to` if it is still there and holds more: a
    /// correction that never re-creates a line another tab just removed, nor
    /// undoes a smaller quantity it just set.
    pub async fn lower(&self, user: i32, product_id: i32, to: u32) -> Result<(), ServerError> {
        match self {
            Self::Redis(r) => r.lower(user, product_id, to).await,
            Self::Sql(s) => s.lower(user, product_id, to).await,
        }
    }

    pub async fn remove(&self, user: i32, product_id: i32) -> Result<(), ServerError> {
        match self {
            Self::Redis(r) => r.remove(user, product_id).await,
            Self::Sql(s) => s.remove(user, product_id).await,
        }
    }

    /// Adds a guest cart to this user's cart in one step: all of it or none.
    /// `merge_id` (chosen by the browser with its guest cart) makes a retry
    /// of the same merge a no-op.
    pub async fn merge(&self, user: i32, merge_id: &str, changes: &[LineChange]) -> Result<Merged, ServerError> {
        match self {
            Self::Redis(r) => r.merge(user, merge_id, changes).await,
            Self::Sql(s) => s.merge(user, merge_id, changes).await,
        }
    }

    /// Empties the cart.
    pub async fn clear(&self, user: i32) -> Result<(), ServerError> {
        match self {
            Self::Redis(r) => r.clear(user).await,
            Self::Sql(s) => s.clear(user).await,
        }
    }
}

// ---------------------------------------------------------------- Redis ---

/// How long a cart call waits for Redis before giving up. Shoppers get a
/// clear error well under a second instead of a hanging page.
pub const REDIS_TIMEOUT: Duration = Duration::from_millis(400);

/// Redis-backed carts. Cheap to clone.
#[derive(Clone)]
pub struct RedisCarts {
    pool: Pool,
    prefix: String,
    ttl: Duration,
}

/// Adds to (or sets) one line: never above the cap, never a new line in a
/// full cart. Returns {before, after}, or {-1, -1} when the cart is full.
const CHANGE_LUA: &str = r"
local before = tonumber(redis.call('HGET', KEYS[1], ARGV[1]) or '0')
if before == 0 and redis.call('HLEN', KEYS[1]) >= tonumber(ARGV[5]) then return {-1, -1} end
local after = tonumber(ARGV[2])
if ARGV[6] == 'add' then after = before + after end
local cap = tonumber(ARGV[3])
if after > cap then after = cap end
if after <= 0 then redis.call('HDEL', KEYS[1], ARGV[1]) else redis.call('HSET', KEYS[1], ARGV[1], after) end
redis.call('EXPIRE', KEYS[1], ARGV[4])
return {before, after}
";

/// Lowers a line only if it is still above ARGV[2].
const LOWER_LUA: &str = r"
local q = tonumber(redis.call('HGET', KEYS[1], ARGV[1]) or '0')
if q > tonumber(ARGV[2]) then redis.call('HSET', KEYS[1], ARGV[1], ARGV[2]) end
return q
";

/// Adds every (product, quantity, cap) triple from ARGV[3..] unless this merge
/// was applied before (then returns {-2}). Returns before/after pairs, -1 for
/// a product that did not fit in a full cart.
const MERGE_LUA: &str = r"
if not redis.call('SET', KEYS[2], '1', 'NX', 'EX', 86400) then return {-2} end
local out = {}
for i = 3, #ARGV, 3 do
  local before = tonumber(redis.call('HGET', KEYS[1], ARGV[i]) or '0')
  if before == 0 and redis.call('HLEN', KEYS[1]) >= tonumber(ARGV[2]) then
    table.insert(out, -1); table.insert(out, -1)
  else
    local after = before + tonumber(ARGV[i + 1])
    local cap = tonumber(ARGV[i + 2])
    if after > cap then after = cap end
    if after <= 0 then redis.call('HDEL', KEYS[1], ARGV[i]) else redis.call('HSET', KEYS[1], ARGV[i], after) end
    table.insert(out, before); table.insert(out, after)
  end
end
redis.call('EXPIRE', KEYS[1], ARGV[1])
return out
";

/// Builds the store's Redis pool (shared by carts and the event bus) and
/// starts connecting in the background: the store starts (and serves
/// everything else) even while Redis is down, and Redis features work as
/// soon as it is reachable, with no restart.
pub async fn connect_pool(url: &str) -> Result<Pool, ServerError> {
    let config = fred::types::config::Config::from_url(url)
        .map_err(|e| ServerError::Config(format!("REDIS_URL: {}", e.details())))?;
    let pool = Builder::from_config(config)
        .with_connection_config(|c| {
            c.connection_timeout = Duration::from_millis(500);
            c.internal_command_timeout = Duration::from_millis(500);
            c.max_command_attempts = 1;
            // A server that stops answering (not just refusing) is noticed quickly too.
            c.unresponsive =
                UnresponsiveConfig { max_timeout: Some(Duration::from_secs(2)), interval: Duration::from_millis(500) };
        })
        .with_performance_config(|p| p.default_command_timeout = REDIS_TIMEOUT)
        // Keep trying forever, at most every two seconds.
        .set_policy(ReconnectPolicy::new_exponential(0, 100, 2_000, 2))
        .build_pool(4)
        .map_err(|e| ServerError::Config(format!("REDIS_URL: {}", e.details())))?;
    pool.connect_pool();
    if tokio::time::timeout(Duration::from_secs(2), pool.wait_for_connect()).await.is_err() {
        tracing::warn!("Redis is not reachable yet: carts of signed-in shoppers and store events wait for it");
    }
    Ok(pool)
}

/// A read failed, or a change was never sent: nothing changed.
fn redis_err(e: fred::error::Error) -> ServerError {
    ServerError::CartStore(e.to_string())
}

/// A change was sent and then failed (most often its reply did not come in
/// time): Redis may have applied it, so nobody may be told it did not.
fn sent_err(e: fred::error::Error) -> ServerError {
    ServerError::CartUncertain(e.to_string())
}

impl RedisCarts {
    /// Carts in Redis through the store's shared pool ([`connect_pool`]).
    pub fn new(pool: Pool, prefix: String, ttl: Duration) -> Self {
        Self { pool, prefix, ttl }
    }

    /// Carts in Redis at `url`, with a pool of their own (tests).
    pub async fn connect(url: &str, prefix: String, ttl: Duration) -> Result<Self, ServerError> {
        Ok(Self::new(connect_pool(url).await?, prefix, ttl))
    }

    fn key(&self, user: i32) -> String {
        format!("{}cart:{user}", self.prefix)
    }

    /// A client for reads, connected if any is (a pool member may still
    /// be reconnecting after an outage): fails at once while disconnected,
    /// and after [`REDIS_TIMEOUT`] otherwise.
    fn client(&self) -> fred::clients::WithOptions<Client> {
        with_limits(self.pool.next_connected())
    }

    /// A client for changes, only if it is connected: a change is either
    /// never sent (then "nothing was changed" is certain) or sent, and then
    /// a failure is [`ServerError::CartUncertain`].
    fn writer(&self) -> Result<fred::clients::WithOptions<Client>, ServerError> {
        let client = self.pool.next_connected();
        if !client.is_connected() {
            return Err(ServerError::CartStore("not connected to Redis".into()));
        }
        Ok(with_limits(client))
    }

    /// Whether at least one connection to Redis is up.
    pub fn is_connected(&self) -> bool {
        self.pool.next_connected().is_connected()
    }

    /// Whether Redis answers (for `/readyz`).
    pub async fn ping(&self) -> Result<(), ServerError> {
        self.client().ping::<String>(None).await.map(|_| ()).map_err(redis_err)
    }

    async fn lines(&self, user: i32) -> Result<Vec<(i32, u32)>, ServerError> {
        let map: std::collections::HashMap<String, i64> =
            self.client().hgetall(self.key(user)).await.map_err(redis_err)?;
        Ok(map
            .into_iter()
            .filter_map(|(k, v)| Some((k.parse().ok()?, u32::try_from(v).ok().filter(|q| *q > 0)?)))
            .collect())
    }

    async fn change(&self, user: i32, c: LineChange, mode: Mode) -> Result<Applied, ServerError> {
        let args: Vec<String> = vec![
            c.product_id.to_string(),
            c.quantity.to_string(),
            c.cap.to_string(),
            self.ttl.as_secs().to_string(),
            MAX_LINES.to_string(),
            match mode {
                Mode::Add => "add",
                Mode::Set => "set",
            }
            .to_owned(),
        ];
        let out: Vec<i64> = self.writer()?.eval(CHANGE_LUA, vec![self.key(user)], args).await.map_err(sent_err)?;
        Ok(applied(out.first().copied().unwrap_or(-1), out.get(1).copied().unwrap_or(-1)))
    }

    async fn lower(&self, user: i32, product_id: i32, to: u32) -> Result<(), ServerError> {
        let args = vec![product_id.to_string(), to.to_string()];
        self.writer()?.eval::<i64, _, _, _>(LOWER_LUA, vec![self.key(user)], args).await.map(|_| ()).map_err(sent_err)
    }

    async fn remove(&self, user: i32, product_id: i32) -> Result<(), ServerError> {
        self.writer()?.hdel::<i64, _, _>(self.key(user), product_id.to_string()).await.map(|_| ()).map_err(sent_err)
    }

    async fn merge(&self, user: i32, merge_id: &str, changes: &[LineChange]) -> Result<Merged, ServerError> {
        let marker = format!("{}cart-merge:{user}:{merge_id}", self.prefix);
        let mut args = vec![self.ttl.as_secs().to_string(), MAX_LINES.to_string()];
        for c in changes {
            args.extend([c.product_id.to_string(), c.quantity.to_string(), c.cap.to_string()]);
        }
        let out: Vec<i64> =
            self.writer()?.eval(MERGE_LUA, vec![self.key(user), marker], args).await.map_err(sent_err)?;
        if out.first() == Some(&-2) {
            return Ok(Merged::AlreadyApplied);
        }
        Ok(Merged::Applied(
            changes.iter().zip(out.chunks(2)).map(|(c, pair)| (c.product_id, applied(pair[0], pair[1]))).collect(),
        ))
    }

    async fn clear(&self, user: i32) -> Result<(), ServerError> {
        self.writer()?.del::<i64, _>(self.key(user)).await.map(|_| ()).map_err(sent_err)
    }

    /// Seconds until this user's cart expires (tests check the TTL is set).
    pub async fn ttl_secs(&self, user: i32) -> Result<i64, ServerError> {
        self.client().ttl(self.key(user)).await.map_err(redis_err)
    }
}

fn with_limits(client: &Client) -> fred::clients::WithOptions<Client> {
    client.with_options(&Options {
        fail_fast: true,
        timeout: Some(REDIS_TIMEOUT),
        max_attempts: Some(1),
        ..Default::default()
    })
}

fn applied(before: i64, after: i64) -> Applied {
    if before < 0 {
        Applied::CartFull
    } else {
        Applied::Quantity { before: u32::try_from(before).unwrap_or(0), after: u32::try_from(after).unwrap_or(0) }
    }
}

// ------------------------------------------------------------- Embedded ---

/// First key of the advisory locks that serialise changes to one cart on
/// PostgreSQL (the second is the user id). Any constant unique to carts.
const CART_LOCK_CLASS: i32 = 0x0CA7;

/// Takes this user's cart lock for the rest of the transaction.
///
/// PostgreSQL: a transaction-scoped advisory lock per user, so carts of
/// different shoppers never wait for each other. SQLite has one writer at a
/// time: the transaction's first statement (always a write in this store)
/// takes the database's write lock and holds it until commit; a change that
/// read first could see a count another writer is about to outdate.
async fn lock_cart<C: ConnectionTrait>(db: &C, user: i32) -> Result<(), ServerError> {
    if db.get_database_backend() == DbBackend::Postgres {
        db.execute_raw(Statement::from_sql_and_values(
            DbBackend::Postgres,
            "SELECT pg_advisory_xact_lock($1, $2)",
            [CART_LOCK_CLASS.into(), user.into()],
        ))
        .await?;
    }
    Ok(())
}

/// Carts in the application database (SQLite by default, or PostgreSQL).
#[derive(Clone, Debug)]
pub struct SqlCarts {
    db: DatabaseConnection,
    ttl: Duration,
}

#[derive(sea_orm::DeriveIden)]
enum CartLines {
    Table,
    UserId,
    ProductId,
    Quantity,
    UpdatedAt,
}

#[derive(sea_orm::DeriveIden)]
enum CartMerges {
    Table,
    UserId,
    MergeId,
    CreatedAt,
}

impl SqlCarts {
    pub fn new(db: DatabaseConnection, ttl: Duration) -> Self {
        Self { db, ttl }
    }

    fn cutoff(&self) -> chrono::DateTime<chrono::Utc> {
        chrono::Utc::now() - chrono::Duration::from_std(self.ttl).unwrap_or(chrono::Duration::days(30))
    }

    async fn lines_on<C: ConnectionTrait>(&self, db: &C, user: i32) -> Result<Vec<(i32, u32)>, ServerError> {
        let stmt = Query::select()
            .columns([CartLines::ProductId, CartLines::Quantity])
            .from(CartLines::Table)
            .and_where(Expr::col(CartLines::UserId).eq(user))
            .and_where(Expr::col(CartLines::UpdatedAt).gt(self.cutoff()))
            .to_owned();
        let rows = db.query_all(&stmt).await?;
        rows.iter()
            .map(|r| {
                let id: i32 = r.try_get("", "product_id")?;
                let q: i32 = r.try_get("", "quantity")?;
                Ok((id, u32::try_from(q).unwrap_or(0)))
            })
            .collect::<Result<_, sea_orm::DbErr>>()
            .map_err(Into::into)
    }

    async fn lines(&self, user: i32) -> Result<Vec<(i32, u32)>, ServerError> {
        self.lines_on(&self.db, user).await
    }

    /// One atomic upsert per line: the new quantity is computed by the
    /// database from the stored one, so concurrent adds both count.
    async fn change_on<C: ConnectionTrait>(
        &self,
        db: &C,
        user: i32,
        c: LineChange,
        mode: Mode,
    ) -> Result<Applied, ServerError> {
        let now = chrono::Utc::now();
        // Lines past their TTL are gone, as in Redis.
        let stale = Query::delete()
            .from_table(CartLines::Table)
            .and_where(Expr::col(CartLines::UserId).eq(user))
            .and_where(Expr::col(CartLines::UpdatedAt).lte(self.cutoff()))
            .to_owned();
        db.execute(&stale).await?;
        let current = self.lines_on(db, user).await?;
        let before = current.iter().find(|(id, _)| *id == c.product_id).map_or(0, |(_, q)| *q);
        if before == 0 && current.len() >= MAX_LINES {
            return Ok(Applied::CartFull);
        }
        let cap = i64::from(c.cap);
        if cap == 0 || (matches!(mode, Mode::Set) && c.quantity == 0) {
            self.delete_line(db, user, c.product_id).await?;
            return Ok(Applied::Quantity { before, after: 0 });
        }
        let stored = Expr::col((CartLines::Table, CartLines::Quantity));
        let wanted: SimpleExpr = match mode {
            Mode::Add => stored.add(i64::from(c.quantity)),
            Mode::Set => Expr::val(i64::from(c.quantity)),
        };
        let capped = Expr::case(wanted.clone().gt(cap), Expr::val(cap)).finally(wanted);
        let stmt = Query::insert()
            .into_table(CartLines::Table)
            .columns([CartLines::UserId, CartLines::ProductId, CartLines::Quantity, CartLines::UpdatedAt])
            .values_panic([
                user.into(),
                c.product_id.into(),
                i64::from(std::cmp::min(c.quantity, c.cap)).into(),
                now.into(),
            ])
            .on_conflict(
                OnConflict::columns([CartLines::UserId, CartLines::ProductId])
                    .value(CartLines::Quantity, capped)
                    .value(CartLines::UpdatedAt, Expr::val(now))
                    .to_owned(),
            )
            .returning_col(CartLines::Quantity)
            .to_owned();
        let row = db.query_one(&stmt).await?.ok_or_else(|| ServerError::Internal("upsert returned nothing".into()))?;
        let after: i32 = row.try_get("", "quantity").map_err(ServerError::from)?;
        // Every line of a cart shares its expiry, as the Redis hash does.
        let touch = Query::update()
            .table(CartLines::Table)
            .value(CartLines::UpdatedAt, now)
            .and_where(Expr::col(CartLines::UserId).eq(user))
            .to_owned();
        db.execute(&touch).await?;
        Ok(Applied::Quantity { before, after: u32::try_from(after).unwrap_or(0) })
    }

    /// One transaction that holds this cart's lock from the first statement,
    /// so counting the lines and adding one are a single step: concurrent
    /// adds of different products cannot pass [`MAX_LINES`] together.
    async fn change(&self, user: i32, c: LineChange, mode: Mode) -> Result<Applied, ServerError> {
        let txn = self.db.begin().await?;
        lock_cart(&txn, user).await?;
        let applied = self.change_on(&txn, user, c, mode).await?;
        txn.commit().await?;
        Ok(applied)
    }

    async fn delete_line<C: ConnectionTrait>(&self, db: &C, user: i32, product_id: i32) -> Result<(), ServerError> {
        let stmt = Query::delete()
            .from_table(CartLines::Table)
            .and_where(Expr::col(CartLines::UserId).eq(user))
            .and_where(Expr::col(CartLines::ProductId).eq(product_id))
            .to_owned();
        db.execute(&stmt).await?;
        Ok(())
    }

    async fn remove(&self, user: i32, product_id: i32) -> Result<(), ServerError> {
        self.delete_line(&self.db, user, product_id).await
    }

    async fn lower(&self, user: i32, product_id: i32, to: u32) -> Result<(), ServerError> {
        let stmt = Query::update()
            .table(CartLines::Table)
            .value(CartLines::Quantity, i64::from(to))
            .and_where(Expr::col(CartLines::UserId).eq(user))
            .and_where(Expr::col(CartLines::ProductId).eq(product_id))
            .and_where(Expr::col(CartLines::Quantity).gt(i64::from(to)))
            .to_owned();
        self.db.execute(&stmt).await?;
        Ok(())
    }

    async fn merge(&self, user: i32, merge_id: &str, changes: &[LineChange]) -> Result<Merged, ServerError> {
        let txn = self.db.begin().await?;
        lock_cart(&txn, user).await?;
        let mark = Query::insert()
            .into_table(CartMerges::Table)
            .columns([CartMerges::UserId, CartMerges::MergeId, CartMerges::CreatedAt])
            .values_panic([user.into(), merge_id.into(), chrono::Utc::now().into()])
            .to_owned();
        match txn.execute(&mark).await {
            Ok(_) => {}
            Err(e) if matches!(e.sql_err(), Some(SqlErr::UniqueConstraintViolation(_))) => {
                return Ok(Merged::AlreadyApplied);
            }
            Err(e) => return Err(e.into()),
        }
        let mut out = Vec::with_capacity(changes.len());
        for c in changes {
            out.push((c.product_id, self.change_on(&txn, user, *c, Mode::Add).await?));
        }
        // Merge ids older than a day are of no use (as in Redis).
        let old = Query::delete()
            .from_table(CartMerges::Table)
            .and_where(Expr::col(CartMerges::UserId).eq(user))
            .and_where(Expr::col(CartMerges::CreatedAt).lt(chrono::Utc::now() - chrono::Duration::days(1)))
            .to_owned();
        txn.execute(&old).await?;
        txn.commit().await?;
        Ok(Merged::Applied(out))
    }

    async fn clear(&self, user: i32) -> Result<(), ServerError> {
        let stmt =
            Query::delete().from_table(CartLines::Table).and_where(Expr::col(CartLines::UserId).eq(user)).to_owned();
        self.db.execute(&stmt).await?;
        Ok(())
    }
}
