/**
 * Numbered schema migrations. Each runs once, in a transaction, in order; `PRAGMA user_version` records the
 * last one applied. Never edit a released migration: add the next number.
 *
 * The one exception, with migration 8: migration 5 no longer fills the trigram index nor creates the four
 * sort indexes of the users table (O(users) work that made the first open of a large database take seconds).
 * Both are now built after start-up (users/search-index.ts); migration 8 records whether the index is
 * complete, so a database migrated by the released form of 5 (index full, sort indexes present) and one
 * migrated by this form end in the same schema.
 */
export interface Migration {
  version: number;
  name: string;
  sql: string;
}

export const migrations: readonly Migration[] = [
  {
    version: 1,
    name: 'users, roles, policy, secret metadata, challenges, audit',
    sql: `
      CREATE TABLE roles (
        name        TEXT PRIMARY KEY,
        description TEXT NOT NULL
      ) STRICT;
      INSERT INTO roles (name, description) VALUES
        ('administrator', 'Manages the authentication policy, secrets, users and the audit log'),
        ('read-only',     'Sees the administration screens without changing anything');

      CREATE TABLE users (
        id                       INTEGER PRIMARY KEY,
        username                 TEXT    NOT NULL COLLATE NOCASE UNIQUE,
        display_name             TEXT    NOT NULL,
        email                    TEXT,
        mobile                   TEXT,
        active                   INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
        must_change_password     INTEGER NOT NULL DEFAULT 0 CHECK (must_change_password IN (0, 1)),
        password_hash            TEXT,
        failed_code_attempts     INTEGER NOT NULL DEFAULT 0 CHECK (failed_code_attempts >= 0),
        sc_locked_until          INTEGER,
        failed_password_attempts INTEGER NOT NULL DEFAULT 0 CHECK (failed_password_attempts >= 0),
        password_locked_until    INTEGER,
        created_at               INTEGER NOT NULL,
        updated_at               INTEGER NOT NULL
      ) STRICT;

      CREATE TABLE user_roles (
        user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
        role    TEXT    NOT NULL REFERENCES roles (name),
        PRIMARY KEY (user_id, role)
      ) STRICT, WITHOUT ROWID;

      CREATE TABLE policy_two_factor (
        id             INTEGER PRIMARY KEY CHECK (id = 1),
        enabled        INTEGER NOT NULL CHECK (enabled IN (0, 1)),
        primary_method TEXT    NOT NULL CHECK (primary_method IN ('sms', 'email')),
        fallback_method TEXT   NOT NULL CHECK (fallback_method IN ('none', 'sms', 'email')),
        valid_minutes  INTEGER NOT NULL CHECK (valid_minutes BETWEEN 1 AND 60),
        max_attempts   INTEGER NOT NULL CHECK (max_attempts BETWEEN 1 AND 10),
        lock_minutes   INTEGER NOT NULL CHECK (lock_minutes BETWEEN 1 AND 1440),
        updated_at     INTEGER NOT NULL,
        updated_by     TEXT    NOT NULL,
        CHECK (fallback_method <> primary_method)
      ) STRICT;
      INSERT INTO policy_two_factor VALUES (1, 0, 'sms', 'none', 5, 3, 30, 0, 'installer');

      CREATE TABLE policy_sinch (
        id                   INTEGER PRIMARY KEY CHECK (id = 1),
        endpoint             TEXT NOT NULL,
        auth_method          TEXT NOT NULL CHECK (auth_method IN ('basic', 'signed')),
        email_sender_address TEXT NOT NULL,
        email_sender_name    TEXT NOT NULL,
        updated_at           INTEGER NOT NULL,
        updated_by           TEXT    NOT NULL
      ) STRICT;
      INSERT INTO policy_sinch VALUES (1, 'https://verification.api.sinch.com', 'signed', '', '', 0, 'installer');

      CREATE TABLE secret_metadata (
        name       TEXT    PRIMARY KEY,
        auth_id    TEXT    NOT NULL,
        is_default INTEGER NOT NULL CHECK (is_default IN (0, 1)),
        set_by     TEXT    NOT NULL,
        updated_at INTEGER NOT NULL
      ) STRICT;

      CREATE TABLE challenges (
        id               TEXT    PRIMARY KEY,
        user_id          INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
        login_attempt_id TEXT    NOT NULL,
        method           TEXT    NOT NULL CHECK (method IN ('sms', 'email')),
        provider_id      TEXT    NOT NULL,
        created_at       INTEGER NOT NULL,
        expires_at       INTEGER NOT NULL,
        state            TEXT    NOT NULL CHECK (state IN ('pending', 'consumed', 'superseded', 'failed'))
      ) STRICT;
      CREATE INDEX challenges_by_attempt ON challenges (login_attempt_id, state);
      CREATE INDEX challenges_by_user ON challenges (user_id, state);

      CREATE TABLE audit (
        id      INTEGER PRIMARY KEY,
        at      INTEGER NOT NULL,
        actor   TEXT    NOT NULL,
        action  TEXT    NOT NULL,
        target  TEXT,
        outcome TEXT    NOT NULL CHECK (outcome IN ('success', 'failure', 'denied', 'error')),
        details TEXT
      ) STRICT;
      CREATE INDEX audit_by_time ON audit (at);
      CREATE INDEX audit_by_actor ON audit (actor COLLATE NOCASE, at);
      CREATE INDEX audit_by_target ON audit (target COLLATE NOCASE, at);
      CREATE INDEX audit_by_action ON audit (action, at);

      -- Append-only: the application never updates or deletes audit rows, and the database refuses it too.
      CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit BEGIN SELECT RAISE(ABORT, 'audit log is append-only'); END;
      CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit BEGIN SELECT RAISE(ABORT, 'audit log is append-only'); END;
    `,
  },
  {
    version: 2,
    name: 'policy: the SSO block',
    sql: `
      CREATE TABLE policy_sso (
        id             INTEGER PRIMARY KEY CHECK (id = 1),
        enabled        INTEGER NOT NULL CHECK (enabled IN (0, 1)),
        issuer         TEXT    NOT NULL,
        client_id      TEXT    NOT NULL,
        scopes         TEXT    NOT NULL,
        username_claim TEXT    NOT NULL CHECK (username_claim IN ('preferred_username', 'email', 'sub')),
        unknown_users  TEXT    NOT NULL CHECK (unknown_users IN ('refuse', 'admin-link')),
        updated_at     INTEGER NOT NULL,
        updated_by     TEXT    NOT NULL,
        CHECK (enabled = 0 OR (issuer <> '' AND client_id <> ''))
      ) STRICT;
      INSERT INTO policy_sso VALUES (1, 0, '', '', 'openid profile email', 'preferred_username', 'refuse', 0, 'installer');
    `,
  },
  {
    version: 3,
    name: 'log-on: the throttle of unknown usernames, keyed by a keyed hash of the name',
    sql: `
      -- Random keys made on this machine for keyed hashes (never secrets that leave it).
      CREATE TABLE local_keys (
        name  TEXT PRIMARY KEY,
        value BLOB NOT NULL CHECK (length(value) = 32)
      ) STRICT;

      -- Failed passwords for usernames no account has, so throttling answers for them as for accounts.
      -- name_key is HMAC-SHA256 (key in local_keys) of the normalised typed name: the names are not kept.
      CREATE TABLE unknown_user_throttle (
        name_key     BLOB    PRIMARY KEY,
        failures     INTEGER NOT NULL CHECK (failures >= 0),
        locked_until INTEGER,
        updated_at   INTEGER NOT NULL
      ) STRICT, WITHOUT ROWID;
      CREATE INDEX unknown_user_throttle_by_age ON unknown_user_throttle (updated_at);
    `,
  },
  {
    version: 4,
    name: 'security: the Sinch secret bound to its endpoint origin',
    sql: `
      -- NULL: set before this version; bound to the endpoint in force until the endpoint's origin changes.
      ALTER TABLE secret_metadata ADD COLUMN bound_origin TEXT;
    `,
  },
  {
    version: 5,
    name: 'users at scale: substring search (FTS5 trigram), indexes for every sort and filter of the Users screen',
    sql: `
      -- Search by any part of a username, display name or e-mail address without reading every row. An
      -- external-content index: the text lives once, in users; the triggers keep the index in step.
      -- (Filled after start-up since migration 8: see the note at the top.)
      CREATE VIRTUAL TABLE users_search USING fts5(
        username, display_name, email, content = 'users', content_rowid = 'id', tokenize = 'trigram'
      );
      CREATE TRIGGER users_search_insert AFTER INSERT ON users BEGIN
        INSERT INTO users_search (rowid, username, display_name, email)
        VALUES (new.id, new.username, new.display_name, new.email);
      END;
      CREATE TRIGGER users_search_delete AFTER DELETE ON users BEGIN
        INSERT INTO users_search (users_search, rowid, username, display_name, email)
        VALUES ('delete', old.id, old.username, old.display_name, old.email);
      END;
      -- Only the searched columns: attempt counters and locks change often and must not rewrite the index.
      CREATE TRIGGER users_search_update AFTER UPDATE OF username, display_name, email ON users BEGIN
        INSERT INTO users_search (users_search, rowid, username, display_name, email)
        VALUES ('delete', old.id, old.username, old.display_name, old.email);
        INSERT INTO users_search (rowid, username, display_name, email)
        VALUES (new.id, new.username, new.display_name, new.email);
      END;

      -- Sorts (username has its UNIQUE index) and filters. The four indexes of users are created after
      -- start-up since migration 8 (SORT_INDEXES in users/search-index.ts).
      CREATE INDEX user_roles_by_role ON user_roles (role, user_id);
    `,
  },
  {
    version: 6,
    name: 'SSO: users linked to the identity provider by issuer and subject; identities waiting for an administrator',
    sql: `
      -- An SSO identity is its issuer and subject (OpenID Connect: unique and never reassigned), not a claim
      -- its owner may be able to change. One SC user has at most one link per issuer.
      CREATE TABLE sso_links (
        issuer    TEXT    NOT NULL CHECK (length(issuer) BETWEEN 1 AND 512),
        subject   TEXT    NOT NULL CHECK (length(subject) BETWEEN 1 AND 255),
        user_id   INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
        linked_at INTEGER NOT NULL,
        linked_by TEXT    NOT NULL,
        PRIMARY KEY (issuer, subject),
        UNIQUE (user_id, issuer)
      ) STRICT, WITHOUT ROWID;

      -- Identities an administrator must link (or not): unmatched, or presenting a linked user's claim.
      -- claims is JSON of a few bounded, escaped claims, shown to the administrator; never a token.
      CREATE TABLE sso_pending (
        issuer     TEXT    NOT NULL CHECK (length(issuer) BETWEEN 1 AND 512),
        subject    TEXT    NOT NULL CHECK (length(subject) BETWEEN 1 AND 255),
        reason     TEXT    NOT NULL CHECK (reason IN ('unmatched', 'claim-taken')),
        claims     TEXT    NOT NULL CHECK (length(claims) <= 4096),
        first_seen INTEGER NOT NULL,
        last_seen  INTEGER NOT NULL,
        PRIMARY KEY (issuer, subject)
      ) STRICT, WITHOUT ROWID;
      CREATE INDEX sso_pending_by_last_seen ON sso_pending (last_seen);
    `,
  },
  {
    version: 7,
    name: 'SSO: unlinked identities stay refused; administrators are linked only by an administrator',
    sql: `
      -- Without it, an unlinked identity's next log-on would be matched by its claim and linked again at
      -- once. Written only by administrators (not capped like sso_pending, which the provider's users fill).
      CREATE TABLE sso_unlinked (
        issuer      TEXT    NOT NULL CHECK (length(issuer) BETWEEN 1 AND 512),
        subject     TEXT    NOT NULL CHECK (length(subject) BETWEEN 1 AND 255),
        unlinked_at INTEGER NOT NULL,
        unlinked_by TEXT    NOT NULL,
        PRIMARY KEY (issuer, subject)
      ) STRICT, WITHOUT ROWID;

      -- A pending identity may also be one whose claim matches an administrator: an administrator account is
      -- never linked by a claim its provider's users may be able to set. SQLite changes a CHECK by rebuilding.
      CREATE TABLE sso_pending_7 (
        issuer     TEXT    NOT NULL CHECK (length(issuer) BETWEEN 1 AND 512),
        subject    TEXT    NOT NULL CHECK (length(subject) BETWEEN 1 AND 255),
        reason     TEXT    NOT NULL CHECK (reason IN ('unmatched', 'claim-taken', 'administrator')),
        claims     TEXT    NOT NULL CHECK (length(claims) <= 4096),
        first_seen INTEGER NOT NULL,
        last_seen  INTEGER NOT NULL,
        PRIMARY KEY (issuer, subject)
      ) STRICT, WITHOUT ROWID;
      INSERT INTO sso_pending_7 SELECT issuer, subject, reason, claims, first_seen, last_seen FROM sso_pending;
      DROP TABLE sso_pending;
      ALTER TABLE sso_pending_7 RENAME TO sso_pending;
      CREATE INDEX sso_pending_by_last_seen ON sso_pending (last_seen);
    `,
  },
  {
    version: 8,
    name: 'users at scale: the search index and the sort indexes built after start-up, in batches',
    sql: `
      -- Whether the trigram index holds every user. While it does not, it holds exactly the users whose id is
      -- at most indexed_through (the batches go in id order), search reads the users table instead, and
      -- the triggers keep only those users' entries in step: the build adds the others as they are then.
      -- A database whose index is full (migrated by the released migration 5, or with no users) is complete.
      CREATE TABLE users_search_state (
        id              INTEGER PRIMARY KEY CHECK (id = 1),
        complete        INTEGER NOT NULL CHECK (complete IN (0, 1)),
        indexed_through INTEGER NOT NULL CHECK (indexed_through >= 0)
      ) STRICT;
      INSERT INTO users_search_state (id, complete, indexed_through)
        SELECT 1, indexed = total, CASE WHEN indexed = total THEN last ELSE 0 END
        FROM (SELECT (SELECT count(*) FROM users_search_docsize) AS indexed,
                     (SELECT count(*) FROM users) AS total,
                     (SELECT coalesce(max(id), 0) FROM users) AS last);
      -- Not complete: start from empty (it is, unless a test stopped at schema 5–7 and added users there).
      INSERT INTO users_search (users_search) SELECT 'delete-all' FROM users_search_state WHERE complete = 0;

      DROP TRIGGER users_search_insert;
      DROP TRIGGER users_search_delete;
      DROP TRIGGER users_search_update;
      CREATE TRIGGER users_search_insert AFTER INSERT ON users BEGIN
        INSERT INTO users_search (rowid, username, display_name, email)
        SELECT new.id, new.username, new.display_name, new.email FROM users_search_state
        WHERE complete = 1 OR new.id <= indexed_through;
      END;
      CREATE TRIGGER users_search_delete AFTER DELETE ON users BEGIN
        INSERT INTO users_search (users_search, rowid, username, display_name, email)
        SELECT 'delete', old.id, old.username, old.display_name, old.email FROM users_search_state
        WHERE complete = 1 OR old.id <= indexed_through;
      END;
      -- Only the searched columns: attempt counters and locks change often and must not rewrite the index.
      CREATE TRIGGER users_search_update AFTER UPDATE OF username, display_name, email ON users BEGIN
        INSERT INTO users_search (users_search, rowid, username, display_name, email)
        SELECT 'delete', old.id, old.username, old.display_name, old.email FROM users_search_state
        WHERE complete = 1 OR old.id <= indexed_through;
        INSERT INTO users_search (rowid, username, display_name, email)
        SELECT new.id, new.username, new.display_name, new.email FROM users_search_state
        WHERE complete = 1 OR new.id <= indexed_through;
      END;
    `,
  },
  {
    version: 9,
    name: 'users at scale: search folds case and compatibility forms of all of Unicode, the same with and without the index',
    sql: `
      -- The folded form of each user's searched fields (users/search-fold.ts: NFKC and case folding), which
      -- search compares and the trigram index indexes, so the index and a scan of the table give the same
      -- answer for any text ("ä" finds "Ä", "strasse" finds "Straße"). It holds exactly the users the index
      -- holds (users_search_state: all, or those up to indexed_through): the build fills both in batches
      -- after start-up (no pass over every user at open), and search folds the other users as it reads them.
      CREATE TABLE users_fold (
        id           INTEGER PRIMARY KEY,
        username     TEXT NOT NULL,
        display_name TEXT NOT NULL,
        email        TEXT
      ) STRICT;

      DROP TRIGGER users_search_insert;
      DROP TRIGGER users_search_delete;
      DROP TRIGGER users_search_update;
      -- The index of the unfolded text is dropped by the build's first step (search-index.ts): dropping it
      -- frees every page of it (tens of MB at 100k users), a renaming only renames.
      ALTER TABLE users_search RENAME TO users_search_unfolded;
      -- Already folded: the tokenizer keeps the text as it is.
      CREATE VIRTUAL TABLE users_search USING fts5(
        username, display_name, email, content = 'users_fold', content_rowid = 'id',
        tokenize = 'trigram case_sensitive 1'
      );
      UPDATE users_search_state SET complete = 0, indexed_through = 0 WHERE EXISTS (SELECT 1 FROM users);

      -- sc_fold is users/search-fold.ts's foldForSearch, registered on every connection by openDatabase.
      CREATE TRIGGER users_search_insert AFTER INSERT ON users BEGIN
        INSERT INTO users_fold (id, username, display_name, email)
        SELECT new.id, sc_fold(new.username), sc_fold(new.display_name), sc_fold(new.email)
        FROM users_search_state WHERE complete = 1 OR new.id <= indexed_through;
        INSERT INTO users_search (rowid, username, display_name, email)
        SELECT id, username, display_name, email FROM users_fold WHERE id = new.id;
      END;
      CREATE TRIGGER users_search_delete AFTER DELETE ON users BEGIN
        INSERT INTO users_search (users_search, rowid, username, display_name, email)
        SELECT 'delete', id, username, display_name, email FROM users_fold WHERE id = old.id;
        DELETE FROM users_fold WHERE id = old.id;
      END;
      -- Only the searched columns: attempt counters and locks change often and must not rewrite the index.
      CREATE TRIGGER users_search_update AFTER UPDATE OF username, display_name, email ON users BEGIN
        INSERT INTO users_search (users_search, rowid, username, display_name, email)
        SELECT 'delete', id, username, display_name, email FROM users_fold WHERE id = old.id;
        UPDATE users_fold
        SET username = sc_fold(new.username), display_name = sc_fold(new.display_name), email = sc_fold(new.email)
        WHERE id = old.id;
        INSERT INTO users_search (rowid, username, display_name, email)
        SELECT id, username, display_name, email FROM users_fold WHERE id = old.id;
      END;
    `,
  },
];

export const LATEST_SCHEMA_VERSION = migrations.length;
