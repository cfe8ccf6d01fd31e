import type { DatabaseSync, StatementSync } from 'node:sqlite'
import { COLUMNS } from './rows'

/**
 * The outbox store's fixed statements (outbox-store.ts says what each row state means). Those
 * about "the current profile" take it as ?1: `?1 IS NULL` (no profile in use yet) means all.
 */

const mine = '(?1 IS NULL OR profile = ?1)'

export function prepareStatements(c: DatabaseSync) {
  return {
    insert: c.prepare(
      `INSERT INTO outbox (id, seq, kind, phone, title, payload, state, created_at, next_attempt_at,
       profile)
     VALUES (?, (SELECT IFNULL(MAX(seq), 0) + 1 FROM outbox), ?, ?, ?, ?, 'pending', ?, ?, ?)
     RETURNING ${COLUMNS}`,
    ),
    get: c.prepare(`SELECT ${COLUMNS} FROM outbox WHERE id = ?`),
    setSending: c.prepare(
      `UPDATE outbox SET state = 'sending', attempts = attempts + 1, last_attempt_at = ?,
       steps = COALESCE(?, steps)
     WHERE id = ? AND state IN ('pending', 'uncertain')`,
    ),
    outcome: c.prepare(
      `UPDATE outbox SET state = ?, uncertain = ?, next_attempt_at = ?, last_error = ?,
       result = COALESCE(?, result), steps = COALESCE(?, steps), delivered_at = ?
     WHERE id = ? AND state = 'sending'
     RETURNING ${COLUMNS}`,
    ),
    saveSteps: c.prepare(`UPDATE outbox SET steps = ? WHERE id = ?`),
    release: c.prepare(
      `UPDATE outbox SET state = CASE WHEN uncertain = 1 THEN 'uncertain' ELSE 'pending' END,
       attempts = MAX(attempts - 1, 0), next_attempt_at = ?
     WHERE id = ? AND state = 'sending'`,
    ),
    counts: c.prepare(
      `SELECT state, COUNT(*) AS n FROM outbox
     WHERE state IN ('pending', 'sending', 'uncertain', 'failed') AND ${mine} GROUP BY state`,
    ),
    nextDue: c.prepare(
      `SELECT MIN(next_attempt_at) AS t FROM outbox
     WHERE state IN ('pending', 'uncertain') AND next_attempt_at > ?2 AND ${mine}`,
    ),
    interrupted: c.prepare(`SELECT ${COLUMNS} FROM outbox WHERE state = 'sending'`),
    recover: c.prepare(
      `UPDATE outbox SET state = ?, uncertain = ?, next_attempt_at = ?, last_error = ?
     WHERE id = ? AND state = 'sending'`,
    ),
    skipBackoff: c.prepare(
      `UPDATE outbox SET next_attempt_at = ?2
     WHERE state IN ('pending', 'uncertain') AND next_attempt_at > ?2 AND ${mine}`,
    ),
    lastDelivered: c.prepare(`SELECT MAX(delivered_at) AS t FROM outbox WHERE state = 'delivered'`),
    update: c.prepare(
      `UPDATE outbox SET state = ?, uncertain = ?, attempts = ?, payload = ?, steps = ?,
       last_error = ?, next_attempt_at = ?
     WHERE id = ? RETURNING ${COLUMNS}`,
    ),
    purge: c.prepare(
      `DELETE FROM outbox WHERE state IN ('delivered', 'discarded')
       AND COALESCE(delivered_at, last_attempt_at, created_at) < ?`,
    ),
    openCount: c.prepare(
      `SELECT COUNT(*) AS n FROM outbox
     WHERE (state = 'sending' OR (state IN ('pending', 'uncertain') AND next_attempt_at IS NOT NULL))
       AND ${mine}`,
    ),
    savedSince: c.prepare(
      `SELECT 1 AS x FROM outbox INDEXED BY outbox_phone
       WHERE phone = ?2 AND kind = 'weixin.savecallback' AND ${mine}
         AND json_extract(payload, '$.package_id') = ?3 AND created_at >= ?4
       LIMIT 1`,
    ),
    otherCounts: c.prepare(
      `SELECT profile = 'training' AS training, COUNT(*) AS n FROM outbox
     WHERE state IN ('pending', 'sending', 'uncertain', 'failed') AND profile != ?
     GROUP BY profile = 'training'`,
    ),
  } satisfies Record<string, StatementSync>
}

export type OutboxStatements = ReturnType<typeof prepareStatements>
