/// Every migration, in order. Add new steps at the end; never edit a released one.
///
/// Times are REAL seconds since 1970 (UTC). Users' secrets are never stored: tokens and session ids
/// as SHA-256 hex, passwords as PHC strings (see `PasswordHasher`); captcha answers are derived,
/// never stored (migration 9). The server's own keys (`server_keys`) are the one secret kept as is: they must be read back.
public enum Schema {
    /// The schema, step by step.
    public static let migrations: [Migration] = [
        Migration(version: 1, name: "aportantes and users", sql: """
            CREATE TABLE aportantes (
                id INTEGER PRIMARY KEY,
                document_type TEXT NOT NULL,
                document_number TEXT NOT NULL,
                name TEXT NOT NULL,
                created_at REAL NOT NULL,
                UNIQUE (document_type, document_number)
            );
            CREATE TABLE users (
                id INTEGER PRIMARY KEY,
                portal TEXT NOT NULL CHECK (portal IN ('soi', 'secop', 'cajacopi')),
                username TEXT,
                document_type TEXT,
                document_number TEXT,
                aportante_id INTEGER REFERENCES aportantes(id) ON DELETE RESTRICT,
                email TEXT NOT NULL,
                phone TEXT,
                birth_date TEXT,
                password_hash TEXT NOT NULL,
                must_change_password INTEGER NOT NULL DEFAULT 0,
                temporary_password_hash TEXT,
                temporary_password_expires_at REAL,
                failed_logins INTEGER NOT NULL DEFAULT 0,
                locked_until REAL,
                created_at REAL NOT NULL,
                updated_at REAL NOT NULL,
                CHECK (portal <> 'secop' OR username IS NOT NULL),
                CHECK (portal <> 'soi' OR (aportante_id IS NOT NULL AND document_number IS NOT NULL)),
                CHECK (portal <> 'cajacopi' OR document_number IS NOT NULL)
            );
            -- SECOP II logs in by user name; SOI by aportante + user document; Cajacopi by email.
            -- SECOP users may share an email ("forgot user name" lists them all).
            CREATE UNIQUE INDEX users_secop_username ON users (username COLLATE NOCASE) WHERE portal = 'secop';
            CREATE UNIQUE INDEX users_soi_document ON users (aportante_id, document_type, document_number) WHERE portal = 'soi';
            CREATE UNIQUE INDEX users_cajacopi_email ON users (email COLLATE NOCASE) WHERE portal = 'cajacopi';
            CREATE UNIQUE INDEX users_cajacopi_document ON users (document_type, document_number) WHERE portal = 'cajacopi';
            CREATE INDEX users_portal_email ON users (portal, email COLLATE NOCASE);
            """),
        Migration(version: 2, name: "reset tokens, sessions, captchas", sql: """
            CREATE TABLE reset_tokens (
                id INTEGER PRIMARY KEY,
                user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
                purpose TEXT NOT NULL,
                token_hash TEXT NOT NULL UNIQUE,
                created_at REAL NOT NULL,
                expires_at REAL NOT NULL,
                used_at REAL,
                superseded_at REAL
            );
            -- Only live tokens are indexed by user: superseding and dropping touch the live rows,
            -- not the history, and every issue writes one index page fewer. (Users are never
            -- deleted, so the foreign key needs no full user_id index.)
            CREATE INDEX reset_tokens_live ON reset_tokens (user_id, purpose) WHERE used_at IS NULL AND superseded_at IS NULL;
            CREATE TABLE sessions (
                id_hash TEXT PRIMARY KEY,
                portal TEXT NOT NULL,
                user_id INTEGER REFERENCES users(id) ON DELETE CASCADE,
                csrf_secret TEXT NOT NULL,
                created_at REAL NOT NULL,
                last_seen_at REAL NOT NULL,
                idle_expires_at REAL NOT NULL,
                absolute_expires_at REAL NOT NULL
            );
            CREATE INDEX sessions_user ON sessions (user_id);
            CREATE TABLE captchas (
                id TEXT PRIMARY KEY,
                answer_hash TEXT NOT NULL,
                created_at REAL NOT NULL,
                expires_at REAL NOT NULL,
                used_at REAL
            );
            """),
        Migration(version: 3, name: "outbox, mailbox, audit log, rate limits", sql: """
            CREATE TABLE outbox (
                id INTEGER PRIMARY KEY,
                portal TEXT NOT NULL,
                sender TEXT NOT NULL,
                recipient TEXT NOT NULL,
                subject TEXT NOT NULL,
                text_body TEXT NOT NULL,
                html_body TEXT NOT NULL,
                state TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'sending', 'sent', 'dead')),
                attempts INTEGER NOT NULL DEFAULT 0,
                next_attempt_at REAL NOT NULL,
                created_at REAL NOT NULL,
                sent_at REAL,
                last_error TEXT
            );
            CREATE INDEX outbox_due ON outbox (state, next_attempt_at);
            CREATE TABLE mailbox (
                id INTEGER PRIMARY KEY,
                sender TEXT NOT NULL,
                recipient TEXT NOT NULL,
                subject TEXT NOT NULL,
                text_body TEXT NOT NULL,
                html_body TEXT NOT NULL,
                raw_source TEXT NOT NULL,
                created_at REAL NOT NULL
            );
            CREATE INDEX mailbox_recipient ON mailbox (recipient COLLATE NOCASE);
            -- No foreign key to users: the audit trail outlives the accounts it mentions.
            CREATE TABLE audit_log (
                id INTEGER PRIMARY KEY,
                at REAL NOT NULL,
                portal TEXT NOT NULL,
                user_id INTEGER,
                event TEXT NOT NULL,
                client_address TEXT,
                detail TEXT NOT NULL DEFAULT ''
            );
            CREATE INDEX audit_log_at ON audit_log (at);
            CREATE TABLE rate_limits (
                key TEXT PRIMARY KEY,
                window_start REAL NOT NULL,
                count INTEGER NOT NULL
            );
            """),
        Migration(version: 4, name: "captcha images", sql: """
            -- The PNG is drawn once at creation and served from here, so any process (or a
            -- restarted one) can serve an active captcha's image without knowing its answer.
            ALTER TABLE captchas ADD COLUMN image BLOB;
            """),
        Migration(version: 5, name: "captchas bound to their session", sql: """
            -- The SHA-256 of the session id that drew the captcha: an answer counts only from the
            -- browser that was shown the image, so a solved captcha cannot be carried elsewhere.
            -- Rows from before this step have none and are refused (they live minutes).
            ALTER TABLE captchas ADD COLUMN session_hash TEXT;
            """),
        Migration(version: 6, name: "server keys", sql: """
            -- Secret keys of this installation by purpose ('rate-limit', 'flash'), made from the
            -- CSPRNG on first use (ServerKeyRepository) and never replaced: every process and
            -- every restart keys counters and signs notices alike.
            CREATE TABLE server_keys (
                name TEXT PRIMARY KEY,
                key BLOB NOT NULL CHECK (length(key) = 32),
                created_at REAL NOT NULL
            );
            """),
        Migration(version: 7, name: "audit log by user and event", sql: """
            -- The login's back-off counts one user's recent locks: with this index that is a
            -- look-up, not a scan, so a large log cannot make real accounts answer slower than
            -- unknown ones (an enumeration oracle).
            CREATE INDEX audit_log_user_event ON audit_log (user_id, event, at);
            """),
        Migration(version: 8, name: "login throttles", sql: """
            -- Failed logins per throttle key (LoginThrottleRepository): the HMAC of a portal's
            -- normalized identifier, or of a trusted browser's device nonce. `user_id` is the
            -- account a key guarded when it was counted, so that a password change clears every
            -- throttle of the account in its own transaction. No identifier is ever stored.
            CREATE TABLE login_throttles (
                key TEXT PRIMARY KEY,
                user_id INTEGER REFERENCES users(id) ON DELETE CASCADE,
                failures INTEGER NOT NULL CHECK (failures >= 0),
                window_started_at REAL NOT NULL,
                next_attempt_at REAL NOT NULL,
                updated_at REAL NOT NULL
            );
            CREATE INDEX login_throttles_user ON login_throttles (user_id);
            """),
        Migration(version: 9, name: "stateless captchas: only spent ids", sql: """
            -- A captcha is no longer a row: its id carries its expiry and a MAC, and its answer is
            -- derived from the server's `captcha` key and the browser's form cookie, so drawing
            -- one (a GET) writes nothing. What must be stored is that an id was used: one row per
            -- answered or refreshed captcha, written by the POST, purged after its expiry.
            -- The old rows (answer hashes and PNGs of captchas that lived minutes) go.
            DROP TABLE captchas;
            CREATE TABLE spent_captchas (
                id TEXT PRIMARY KEY,
                expires_at REAL NOT NULL,
                spent_at REAL NOT NULL
            );
            CREATE INDEX spent_captchas_expiry ON spent_captchas (expires_at);
            """),
        Migration(version: 10, name: "outbox claims by owner, deferrals by outage", sql: """
            -- The random token of the claim (one per batch) that holds a 'sending' row: the worker
            -- renews the short lease of its own rows only, and learns which rows it lost to
            -- another process when its lease lapsed. NULL once an outcome is recorded.
            ALTER TABLE outbox ADD COLUMN claim_token TEXT;
            -- 1 when the last attempt failed because the server could not be reached (connect,
            -- TLS, AUTH), not because of the message: the first delivery that succeeds again
            -- makes these rows due at once instead of after their back-off.
            ALTER TABLE outbox ADD COLUMN waiting_for_server INTEGER NOT NULL DEFAULT 0;
            CREATE INDEX outbox_claim ON outbox (claim_token) WHERE claim_token IS NOT NULL;
            CREATE INDEX outbox_waiting_for_server ON outbox (next_attempt_at) WHERE state = 'pending' AND waiting_for_server = 1;
            """),
        Migration(version: 11, name: "maintenance leases", sql: """
            -- Who runs a periodic job across the processes sharing the store (several nodes on
            -- one PostgreSQL, or serve and a CLI on one file), and until when: housekeeping
            -- takes the lease before purging, so one node purges per interval, not all of them.
            CREATE TABLE maintenance_leases (
                name TEXT PRIMARY KEY,
                holder TEXT NOT NULL,
                expires_at REAL NOT NULL
            );
            """),
        Migration(version: 12, name: "live tokens by user on PostgreSQL", sql: """
            -- PostgreSQL only: SQLite keeps the partial index of step 2.
            """, postgresSQL: """
            -- SERIALIZABLE locks what a transaction read by index page. The partial index of live
            -- tokens holds one row per waiting user, so it fits a page or two, and any two users'
            -- reset requests at once read and write the same page: one of them fails to serialize
            -- and runs again. Indexed by user over all tokens, each user's tokens sit on pages of
            -- their own, so requests for different users no longer conflict (the statements are
            -- unchanged: the planner takes this index for user_id and purpose).
            DROP INDEX reset_tokens_live;
            CREATE INDEX reset_tokens_user ON reset_tokens (user_id, purpose);
            """),
        Migration(version: 13, name: "live tokens found by index on PostgreSQL", sql: """
            -- PostgreSQL only: SQLite keeps the partial index of step 2.
            """, postgresSQL: """
            -- The index of step 12 finds all of a user's tokens, spent and superseded ones too,
            -- so superseding read the user's whole history from the table: slower with every
            -- request, and past a few dozen rows SERIALIZABLE locks the whole table for what it
            -- read, so any two reset requests at once conflict. With the two NULL-tested columns
            -- in the key, the supersede UPDATE reads only the live token's entries (IS NULL is
            -- an index condition), still on the user's own pages.
            CREATE INDEX reset_tokens_user_live ON reset_tokens (user_id, purpose, used_at, superseded_at);
            DROP INDEX reset_tokens_user;
            """),
    ]
}
