-- News posts and announcements, their cover images, full-text search, and the counters that tell in-memory caches
-- (compliance summaries, public pages) that what they hold is stale.

-- Cover images live in the database, not on disk: one backup holds everything, and nothing under public/ can be
-- overwritten by an upload. Each upload is decoded, checked and re-encoded into a few widths (post_image_variants).
CREATE TABLE post_images (
  id          INTEGER PRIMARY KEY,
  sha256      TEXT    NOT NULL CHECK (length(sha256) = 64),  -- of the uploaded file
  width       INTEGER NOT NULL CHECK (width > 0),
  height      INTEGER NOT NULL CHECK (height > 0),
  created_by  INTEGER REFERENCES users(id),
  created_at  TEXT    NOT NULL
);

CREATE TABLE post_image_variants (
  image_id  INTEGER NOT NULL REFERENCES post_images(id) ON DELETE CASCADE,
  kind      TEXT    NOT NULL CHECK (kind IN ('webp', 'share')),  -- share: the JPEG for link previews and the feed
  width     INTEGER NOT NULL CHECK (width > 0),
  height    INTEGER NOT NULL CHECK (height > 0),
  mime      TEXT    NOT NULL CHECK (mime IN ('image/webp', 'image/jpeg')),
  bytes     BLOB    NOT NULL,
  PRIMARY KEY (image_id, kind, width)
) WITHOUT ROWID;

CREATE TABLE posts (
  id            INTEGER PRIMARY KEY,
  slug          TEXT    NOT NULL UNIQUE CHECK (length(slug) BETWEEN 1 AND 80 AND slug NOT GLOB '*[^a-z0-9-]*'),
  title         TEXT    NOT NULL CHECK (length(title) BETWEEN 1 AND 200),
  category      TEXT    NOT NULL CHECK (category IN ('berita', 'pengumuman')),
  excerpt       TEXT    NOT NULL DEFAULT '',
  body          TEXT    NOT NULL,             -- Markdown, as written
  body_html     TEXT    NOT NULL,             -- rendered and sanitised when saved, so a page view never renders
  body_text     TEXT    NOT NULL,             -- the rendered text without markup, for search
  status        TEXT    NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'published')),
  published_at  TEXT,                         -- in the future: scheduled
  pinned        INTEGER NOT NULL DEFAULT 0 CHECK (pinned IN (0, 1)),
  cover_id      INTEGER REFERENCES post_images(id),
  cover_alt     TEXT    NOT NULL DEFAULT '',
  author_id     INTEGER REFERENCES users(id),
  unit_id       INTEGER REFERENCES units(id), -- the publishing unit shown on the post
  view_count    INTEGER NOT NULL DEFAULT 0 CHECK (view_count >= 0),
  created_at    TEXT    NOT NULL,
  updated_at    TEXT    NOT NULL,
  CHECK (status = 'draft' OR published_at IS NOT NULL)
);
-- The public lists: published posts newest first, and the same per category.
CREATE INDEX posts_public ON posts(status, published_at DESC, id DESC);
CREATE INDEX posts_public_category ON posts(status, category, published_at DESC, id DESC);
CREATE INDEX posts_cover ON posts(cover_id) WHERE cover_id IS NOT NULL;
-- The home page's pinned announcements: a handful of rows, found without walking every published post.
CREATE INDEX posts_pinned ON posts(published_at DESC, id DESC) WHERE pinned = 1 AND status = 'published';

-- Full-text search over title, excerpt and text. An external-content table: the text is stored once (in posts),
-- and the triggers below keep the index in step with every insert, update and delete.
CREATE VIRTUAL TABLE posts_fts USING fts5(
  title, excerpt, body_text,
  content = 'posts', content_rowid = 'id',
  tokenize = 'unicode61 remove_diacritics 2'
);
CREATE TRIGGER posts_fts_insert AFTER INSERT ON posts BEGIN
  INSERT INTO posts_fts(rowid, title, excerpt, body_text) VALUES (NEW.id, NEW.title, NEW.excerpt, NEW.body_text);
END;
CREATE TRIGGER posts_fts_delete AFTER DELETE ON posts BEGIN
  INSERT INTO posts_fts(posts_fts, rowid, title, excerpt, body_text)
  VALUES ('delete', OLD.id, OLD.title, OLD.excerpt, OLD.body_text);
END;
CREATE TRIGGER posts_fts_update AFTER UPDATE OF title, excerpt, body_text ON posts BEGIN
  INSERT INTO posts_fts(posts_fts, rowid, title, excerpt, body_text)
  VALUES ('delete', OLD.id, OLD.title, OLD.excerpt, OLD.body_text);
  INSERT INTO posts_fts(rowid, title, excerpt, body_text) VALUES (NEW.id, NEW.title, NEW.excerpt, NEW.body_text);
END;

-- Caches in memory (every process its own) compare one of these counters instead of recomputing: each change that
-- can alter what they hold bumps its counter in the same transaction, by trigger, so no write path (and no other
-- process on the same file) can forget to.
--   compliance: signings and voids, a user's status, unit or name, a unit's head, parent, state or name, a pact
--               or its scope — anything the compliance numbers and lists are computed from;
--   news:       a post written, changed (its view count aside), published or deleted;
--   settings:   the instance settings shown on every page.
CREATE TABLE cache_epochs (
  name  TEXT    PRIMARY KEY,
  n     INTEGER NOT NULL
) WITHOUT ROWID;
INSERT INTO cache_epochs (name, n) VALUES ('compliance', 0), ('news', 0), ('settings', 0);

CREATE TRIGGER compliance_signature_insert AFTER INSERT ON signatures BEGIN
  UPDATE cache_epochs SET n = n + 1 WHERE name = 'compliance';
END;
CREATE TRIGGER compliance_signature_update AFTER UPDATE OF status ON signatures BEGIN
  UPDATE cache_epochs SET n = n + 1 WHERE name = 'compliance';
END;
CREATE TRIGGER compliance_user_insert AFTER INSERT ON users BEGIN
  UPDATE cache_epochs SET n = n + 1 WHERE name = 'compliance';
END;
CREATE TRIGGER compliance_user_update AFTER UPDATE OF status, unit_id, full_name, position, nip ON users BEGIN
  UPDATE cache_epochs SET n = n + 1 WHERE name = 'compliance';
END;
CREATE TRIGGER compliance_unit_insert AFTER INSERT ON units BEGIN
  UPDATE cache_epochs SET n = n + 1 WHERE name = 'compliance';
END;
CREATE TRIGGER compliance_unit_update AFTER UPDATE OF head_user_id, parent_id, active, name, kind, code ON units BEGIN
  UPDATE cache_epochs SET n = n + 1 WHERE name = 'compliance';
END;
CREATE TRIGGER compliance_pact_insert AFTER INSERT ON pacts BEGIN
  UPDATE cache_epochs SET n = n + 1 WHERE name = 'compliance';
END;
CREATE TRIGGER compliance_pact_update AFTER UPDATE ON pacts BEGIN
  UPDATE cache_epochs SET n = n + 1 WHERE name = 'compliance';
END;
CREATE TRIGGER compliance_pact_units_insert AFTER INSERT ON pact_units BEGIN
  UPDATE cache_epochs SET n = n + 1 WHERE name = 'compliance';
END;
CREATE TRIGGER compliance_pact_units_delete AFTER DELETE ON pact_units BEGIN
  UPDATE cache_epochs SET n = n + 1 WHERE name = 'compliance';
END;
CREATE TRIGGER news_post_insert AFTER INSERT ON posts BEGIN
  UPDATE cache_epochs SET n = n + 1 WHERE name = 'news';
END;
CREATE TRIGGER news_post_update AFTER UPDATE OF slug, title, category, excerpt, body_html, status, published_at, pinned, cover_id, cover_alt, unit_id ON posts BEGIN
  UPDATE cache_epochs SET n = n + 1 WHERE name = 'news';
END;
CREATE TRIGGER news_post_delete AFTER DELETE ON posts BEGIN
  UPDATE cache_epochs SET n = n + 1 WHERE name = 'news';
END;
CREATE TRIGGER settings_insert AFTER INSERT ON settings BEGIN
  UPDATE cache_epochs SET n = n + 1 WHERE name = 'settings';
END;
CREATE TRIGGER settings_update AFTER UPDATE ON settings BEGIN
  UPDATE cache_epochs SET n = n + 1 WHERE name = 'settings';
END;
CREATE TRIGGER settings_delete AFTER DELETE ON settings BEGIN
  UPDATE cache_epochs SET n = n + 1 WHERE name = 'settings';
END;
