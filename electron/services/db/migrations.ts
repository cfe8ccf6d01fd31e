import type { DatabaseSync } from 'node:sqlite'
import { zoneModifier } from '../calllog/local-time'
import { installStatsSummary, zoneKey } from '../calllog/stats-summary'

/**
 * Every schema version of the app's one database, in order: the outbox, the reference cache, the
 * 勿扰 list and the call log. A new version is appended here and nowhere else.
 */

export interface Migration {
  version: number
  /** what the version adds, for the log */
  name: string
  up(db: DatabaseSync): void
}

const OUTBOX_STATES = `'pending','sending','delivered','uncertain','failed','discarded'`

/** The FTS5 table behind search; absent when this SQLite build has no FTS5 (LIKE is used then). */
export const CALL_LOG_FTS = 'call_log_fts'

/**
 * Call log v2: what the history view, supervisor mode and exports need.
 *
 * - Every filter index ends in (created_at, id), the view's order and the export cursor, so a
 *   filtered first page is read from an index without sorting; v1's single-column indexes are
 *   prefixes of these and go.
 * - sync_state: the outbox purges delivered items after a while; a trigger keeps the state the
 *   row's savecallback had when it went. Imported rows say 'imported'.
 * - Search by part of a phone number or name: a trigram FTS5 index finds the rows of a term of 3
 *   characters or more in about a millisecond over 100,000 rows, where LIKE '%…%' has to read
 *   every row. It keys on call_log.id (the rowid of a table without an INTEGER PRIMARY KEY may
 *   change on VACUUM). Shorter terms, and terms most rows match, use LIKE: counted over the
 *   narrow (phone, owner_name) index rather than the table (see CallLogStore.searchOf).
 */
const callLogV2: Migration = {
  version: 2,
  name: 'call log: filter indexes, sync state, import source, search index',
  up(db) {
    db.exec(`
      ALTER TABLE call_log ADD COLUMN sync_state TEXT;
      ALTER TABLE call_log ADD COLUMN imported_from TEXT;
      ALTER TABLE call_log ADD COLUMN imported_at TEXT;

      DROP INDEX IF EXISTS call_log_created;
      DROP INDEX IF EXISTS call_log_user;
      DROP INDEX IF EXISTS call_log_project;
      DROP INDEX IF EXISTS call_log_phone;
      CREATE INDEX call_log_time ON call_log (created_at, id);
      CREATE INDEX call_log_user_time ON call_log (user_num, created_at, id);
      CREATE INDEX call_log_project_time ON call_log (project_id, created_at, id);
      CREATE INDEX call_log_package_time ON call_log (package_id, created_at, id);
      CREATE INDEX call_log_result_time ON call_log (callback_item, created_at, id);
      CREATE INDEX call_log_search ON call_log (phone, owner_name);

      -- BEFORE: the foreign key's ON DELETE SET NULL has not cleared outbox_id yet
      CREATE TRIGGER call_log_outbox_gone BEFORE DELETE ON outbox
      BEGIN
        UPDATE call_log SET sync_state = OLD.state WHERE outbox_id = OLD.id;
      END;
    `)
    let fts = true
    try {
      db.exec(
        `CREATE VIRTUAL TABLE ${CALL_LOG_FTS} USING fts5(
           phone, owner_name, row_id UNINDEXED, tokenize = 'trigram', detail = 'none')`,
      )
    } catch {
      // no FTS5 in this SQLite build: search falls back to scanning call_log_search
      fts = false
    }
    if (!fts) return
    db.exec(`
      INSERT INTO ${CALL_LOG_FTS} (phone, owner_name, row_id)
        SELECT phone, COALESCE(owner_name, ''), id FROM call_log;
      CREATE TRIGGER call_log_fts_insert AFTER INSERT ON call_log
      BEGIN
        INSERT INTO ${CALL_LOG_FTS} (phone, owner_name, row_id)
          VALUES (NEW.phone, COALESCE(NEW.owner_name, ''), NEW.id);
      END;
      CREATE TRIGGER call_log_fts_update AFTER UPDATE OF phone, owner_name ON call_log
      BEGIN
        UPDATE ${CALL_LOG_FTS} SET phone = NEW.phone, owner_name = COALESCE(NEW.owner_name, '')
          WHERE row_id = OLD.id;
      END;
      CREATE TRIGGER call_log_fts_delete AFTER DELETE ON call_log
      BEGIN
        DELETE FROM ${CALL_LOG_FTS} WHERE row_id = OLD.id;
      END;
    `)
  },
}

export const migrations: readonly Migration[] = [
  {
    version: 1,
    name: 'outbox, reference cache, do-not-call list, call log',
    up(db) {
      db.exec(`
        CREATE TABLE outbox (
          id TEXT PRIMARY KEY,
          seq INTEGER NOT NULL UNIQUE,
          kind TEXT NOT NULL,
          phone TEXT NOT NULL,
          title TEXT NOT NULL,
          payload TEXT NOT NULL,
          state TEXT NOT NULL CHECK (state IN (${OUTBOX_STATES})),
          uncertain INTEGER NOT NULL DEFAULT 0,
          attempts INTEGER NOT NULL DEFAULT 0,
          steps TEXT,
          result TEXT,
          last_error TEXT,
          created_at INTEGER NOT NULL,
          last_attempt_at INTEGER,
          next_attempt_at INTEGER,
          delivered_at INTEGER
        ) STRICT;
        CREATE INDEX outbox_due ON outbox (state, next_attempt_at);
        CREATE INDEX outbox_phone ON outbox (phone, seq);
        -- the claim scan walks open items in enqueue order and stops at its limit
        CREATE INDEX outbox_open ON outbox (seq) WHERE state IN ('pending', 'uncertain');

        CREATE TABLE ref_cache (
          key TEXT PRIMARY KEY,
          json TEXT NOT NULL,
          updated_at TEXT NOT NULL
        ) STRICT;

        CREATE TABLE dnc (
          phone TEXT PRIMARY KEY,
          reason TEXT NOT NULL,
          created_at TEXT NOT NULL,
          user_num TEXT
        ) STRICT;

        CREATE TABLE call_log (
          id TEXT PRIMARY KEY,
          user_num TEXT NOT NULL,
          user_name TEXT NOT NULL DEFAULT '',
          machine_no TEXT NOT NULL DEFAULT '',
          project_id INTEGER,
          project_name TEXT,
          package_id INTEGER,
          package_name TEXT,
          phone TEXT NOT NULL,
          owner_name TEXT,
          dispensed_at TEXT,
          dialled_at TEXT,
          ended_at TEXT,
          duration_s INTEGER,
          callback_item TEXT,
          notes TEXT,
          next_follow_date TEXT,
          next_follow_content TEXT,
          saved_to_customer INTEGER NOT NULL DEFAULT 0,
          dnc INTEGER NOT NULL DEFAULT 0,
          outbox_id TEXT REFERENCES outbox (id) ON DELETE SET NULL,
          created_at TEXT NOT NULL
        ) STRICT;
        CREATE INDEX call_log_created ON call_log (created_at);
        -- (user_num, created_at): an agent's newest rows without sorting the whole log
        CREATE INDEX call_log_user ON call_log (user_num, created_at);
        CREATE INDEX call_log_project ON call_log (project_id);
        CREATE INDEX call_log_phone ON call_log (phone);
        CREATE INDEX call_log_outbox ON call_log (outbox_id);
      `)
    },
  },
  callLogV2,
  {
    version: 3,
    name: 'call log intent, pause periods, follow-up and per-number indexes',
    up(db) {
      db.exec(`
        -- 客户意向 A–E as saved with the callback; NULL for rows from before it was kept
        ALTER TABLE call_log ADD COLUMN intent TEXT;
        -- "a later call to that number" (overdue follow-ups) without reading the whole log
        CREATE INDEX call_log_phone_time ON call_log (phone, created_at);
        CREATE INDEX call_log_follow ON call_log (next_follow_date)
          WHERE next_follow_date IS NOT NULL;
        -- an agent's pauses (置忙): ended_at NULL while the pause lasts
        CREATE TABLE agent_pause (
          id TEXT PRIMARY KEY,
          user_num TEXT NOT NULL,
          user_name TEXT NOT NULL DEFAULT '',
          machine_no TEXT NOT NULL DEFAULT '',
          reason TEXT NOT NULL,
          started_at TEXT NOT NULL,
          ended_at TEXT
        ) STRICT;
        CREATE INDEX agent_pause_time ON agent_pause (started_at);
        CREATE INDEX agent_pause_open ON agent_pause (user_num) WHERE ended_at IS NULL;
      `)
    },
  },
  {
    version: 4,
    name: 'connection profile of each outbox item and call-log row',
    up(db) {
      // '' = written before profiles were kept: adopted by the profile whose database it was
      // (see db/profile-data.ts); 'training' or 'p-<hash of the servers and appid>' otherwise
      db.exec(`
        ALTER TABLE outbox ADD COLUMN profile TEXT NOT NULL DEFAULT '';
        ALTER TABLE call_log ADD COLUMN profile TEXT NOT NULL DEFAULT '';
        -- per-phone order holds within one profile: a training item never holds back a real one
        CREATE INDEX outbox_profile_phone ON outbox (profile, phone, seq);
      `)
    },
  },
  {
    version: 5,
    name: 'softphone: dial attempts per number and local call recordings',
    up(db) {
      db.exec(`
        -- every dial this desktop made (softphone or URI handoff), for the 24-hour attempt cap
        CREATE TABLE dial_attempt (
          phone TEXT NOT NULL,
          at TEXT NOT NULL,
          via TEXT NOT NULL
        ) STRICT;
        CREATE INDEX dial_attempt_phone ON dial_attempt (phone, at);
        -- a call's local recording (Opus in WebM under the data dir), kept for the retention
        CREATE TABLE call_recording (
          id TEXT PRIMARY KEY,
          phone TEXT NOT NULL,
          file TEXT NOT NULL,
          started_at TEXT NOT NULL,
          ended_at TEXT,
          bytes INTEGER NOT NULL DEFAULT 0
        ) STRICT;
        CREATE INDEX call_recording_phone ON call_recording (phone, started_at);
        CREATE INDEX call_recording_time ON call_recording (started_at);
      `)
    },
  },
  {
    version: 6,
    name: 'call log: when the softphone call was answered',
    up(db) {
      // NULL when the call was not answered or not dialled by the built-in phone
      db.exec(`ALTER TABLE call_log ADD COLUMN answered_at TEXT;`)
    },
  },
  {
    version: 7,
    name: 'call log: statistics summary per agent and day, and per agent and hour',
    up(db) {
      // the days in the machine's zone now; a request in another zone rebuilds them
      const modifier = zoneModifier()
      installStatsSummary(db, modifier, zoneKey(modifier))
    },
  },
]

export const SCHEMA_VERSION = migrations[migrations.length - 1]?.version ?? 0
