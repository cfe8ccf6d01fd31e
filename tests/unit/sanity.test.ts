import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { DatabaseSync } from 'node:sqlite'
import { describe, expect, it } from 'vitest'

/**
 * The tests run on the Node line Electron embeds, pinned by the `node` devDependency (README,
 * "Node version"): a machine's older `node` would pass most tests and then miss node:sqlite.
 */

const pkg = JSON.parse(readFileSync(join(import.meta.dirname, '../../package.json'), 'utf8')) as {
  devDependencies: Record<string, string>
}

describe('the test runtime', () => {
  it('is the major version the `node` devDependency pins', () => {
    const pinned = /^[\^~]?(\d+)\./.exec(pkg.devDependencies.node ?? '')?.[1]
    expect(pinned, 'package.json devDependencies.node').toBeDefined()
    expect(process.versions.node.split('.')[0]).toBe(pinned)
  })

  it('has node:sqlite, which the outbox and the call log are stored in', () => {
    const db = new DatabaseSync(':memory:')
    try {
      db.exec('CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT)')
      db.prepare('INSERT INTO t (v) VALUES (?)').run('一')
      expect(db.prepare('SELECT v FROM t').get()).toEqual({ v: '一' })
    } finally {
      db.close()
    }
  })
})
