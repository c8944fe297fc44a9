-- Foundation: units, users, audit events, settings and sessions.
-- Timestamps are UTC ISO 8601 strings (YYYY-MM-DDTHH:MM:SS.sssZ), which sort and compare as text.

CREATE TABLE units (
  id            INTEGER PRIMARY KEY,
  code          TEXT    NOT NULL UNIQUE COLLATE NOCASE,
  name          TEXT    NOT NULL,
  kind          TEXT    NOT NULL,
  parent_id     INTEGER REFERENCES units(id),
  head_user_id  INTEGER REFERENCES users(id),
  active        INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
  created_at    TEXT    NOT NULL,
  updated_at    TEXT    NOT NULL,
  CHECK (parent_id IS NULL OR parent_id <> id)
);
CREATE INDEX units_parent ON units(parent_id);

CREATE TABLE users (
  id                    INTEGER PRIMARY KEY,
  nip                   TEXT    UNIQUE CHECK (nip IS NULL OR (length(nip) = 18 AND nip NOT GLOB '*[^0-9]*')),
  employee_type         TEXT    NOT NULL DEFAULT 'PNS' CHECK (employee_type IN ('PNS', 'PPPK')),
  email                 TEXT    UNIQUE COLLATE NOCASE,
  full_name             TEXT    NOT NULL,
  position              TEXT    NOT NULL DEFAULT '',
  unit_id               INTEGER REFERENCES units(id),
  role                  TEXT    NOT NULL DEFAULT 'signer' CHECK (role IN ('admin', 'operator', 'signer')),
  password_hash         TEXT,
  status                TEXT    NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'disabled')),
  failed_logins         INTEGER NOT NULL DEFAULT 0,
  locked_until          TEXT,
  must_change_password  INTEGER NOT NULL DEFAULT 0 CHECK (must_change_password IN (0, 1)),
  password_changed_at   TEXT,
  last_login_at         TEXT,
  created_at            TEXT    NOT NULL,
  updated_at            TEXT    NOT NULL,
  -- Only technical admin accounts may lack a NIP; every account needs some way to log in.
  CHECK (nip IS NOT NULL OR role = 'admin'),
  CHECK (nip IS NOT NULL OR email IS NOT NULL)
);
CREATE INDEX users_unit ON users(unit_id);
CREATE INDEX users_role ON users(role);

CREATE TABLE audit_events (
  id             INTEGER PRIMARY KEY,
  at             TEXT    NOT NULL,
  actor_user_id  INTEGER REFERENCES users(id),
  ip             TEXT,
  user_agent     TEXT,
  action         TEXT    NOT NULL,
  target_type    TEXT,
  target_id      TEXT,
  details        TEXT    NOT NULL DEFAULT '{}' CHECK (json_valid(details))
);
CREATE INDEX audit_events_at ON audit_events(at);
CREATE INDEX audit_events_actor ON audit_events(actor_user_id, at);
CREATE INDEX audit_events_target ON audit_events(target_type, target_id, at);

CREATE TABLE settings (
  key         TEXT PRIMARY KEY,
  value       TEXT NOT NULL,
  updated_at  TEXT NOT NULL
);

CREATE TABLE sessions (
  sid         TEXT    PRIMARY KEY,
  sess        TEXT    NOT NULL CHECK (json_valid(sess)),
  expires_at  INTEGER NOT NULL, -- epoch milliseconds, compared with Date.now()
  user_id     INTEGER REFERENCES users(id) ON DELETE CASCADE
);
CREATE INDEX sessions_expires ON sessions(expires_at);
CREATE INDEX sessions_user ON sessions(user_id);
