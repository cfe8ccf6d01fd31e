import fs from 'node:fs'
import path from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { ZONE } from './helpers'
process.env.TZ = ZONE

import { callLogColumns, type CallLogRow } from '../../../shared/calllog'
import { AppError } from '../../../electron/core/app-error'
import {
  csvField,
  decodeCsv,
  parseCsv,
  readCallLogCsv,
  writeCallLogCsv,
} from '../../../electron/services/calllog/csv'
import { exportHeader, zoneLabel } from '../../../electron/services/calllog/columns'
import { fileErrorText } from '../../../electron/services/calllog/files'
import { parseLocalDateTime } from '../../../electron/services/calllog/local-time'
import { awkwardRows, fileView, sampleRow, tempDir } from './helpers'

const dirs: string[] = []
function dir(): string {
  const d = tempDir('calllog-csv-')
  dirs.push(d)
  return d
}
afterEach(() => {
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true })
})

/** a row without its empty cells (a file cannot tell '' from absent) */
function compact(o: object): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(o).filter(([, v]) => v !== null && v !== '' && v !== undefined),
  )
}

function* inBatches(rows: readonly CallLogRow[], size: number): Generator<CallLogRow[]> {
  for (let i = 0; i < rows.length; i += size) yield rows.slice(i, i + size)
}

describe('CSV format', () => {
  it('quotes fields with quotes, commas, CR or LF (RFC 4180), and nothing else', () => {
    expect(csvField('plain 中文')).toBe('plain 中文')
    expect(csvField('a,b')).toBe('"a,b"')
    expect(csvField('say "hi"')).toBe('"say ""hi"""')
    expect(csvField('line1\r\nline2')).toBe('"line1\r\nline2"')
    expect(csvField('cr\ronly')).toBe('"cr\ronly"')
    expect(csvField('')).toBe('')
  })

  it('parses quoted fields, doubled quotes, embedded line breaks and every line ending', () => {
    const text = '\uFEFFa,"b,1","c ""q"""\r\n"multi\r\nline",,end\nx,y,z\rlast,"",' + '\n\n'
    expect([...parseCsv(text)]).toEqual([
      ['a', 'b,1', 'c "q"'],
      ['multi\r\nline', '', 'end'],
      ['x', 'y', 'z'],
      ['last', '', ''],
      [''],
    ])
    expect([...parseCsv('no,newline')]).toEqual([['no', 'newline']])
    expect(() => [...parseCsv('a,"never closed\r\n')]).toThrow(/没有结束/)
  })

  it('reads UTF-8 with or without a BOM, and GB18030 as Excel saves it on Chinese Windows', () => {
    const utf8 = Buffer.from('记录编号,工号\r\n', 'utf8')
    expect(decodeCsv(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), utf8]))).toBe(
      '记录编号,工号\r\n',
    )
    expect(decodeCsv(utf8)).toBe('记录编号,工号\r\n')
    const gbk = Buffer.from(
      'bcc7c2bcb1e0bac52cb9a4bac52cbfcdbba70d0a612d312c30303030362cc0eecfc8c9fa0d0a',
      'hex',
    )
    expect(decodeCsv(gbk)).toBe('记录编号,工号,客户\r\na-1,00006,李先生\r\n')
  })

  it('local times: written as yyyy-MM-dd HH:mm:ss, read back to the same moment', () => {
    expect(parseLocalDateTime('2026-11-22 10:00:05')).toBe('2026-11-22T02:00:05.000Z')
    expect(parseLocalDateTime('2026/11/22 8:05')).toBe('2026-11-22T00:05:00.000Z')
    expect(parseLocalDateTime('2026-11-22T02:00:05.000Z')).toBe('2026-11-22T02:00:05.000Z')
    expect(parseLocalDateTime('2026-02-30 10:00:00')).toBeNull()
    expect(parseLocalDateTime('昨天')).toBeNull()
  })
})

describe('CSV export and import', () => {
  it('round-trips quotes, commas, line breaks, Chinese, formula-like text and leading zeros', async () => {
    const file = path.join(dir(), '通话记录.csv')
    const rows = awkwardRows()
    const progress: number[] = []
    const n = await writeCallLogCsv({
      file,
      columns: callLogColumns,
      maskPhones: false,
      batches: inBatches(rows, 3),
      onProgress: (d) => progress.push(d),
    })
    expect(n).toBe(rows.length)
    expect(progress).toEqual([3, 6, 8])
    const bytes = fs.readFileSync(file)
    // the BOM Excel needs to read UTF-8
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf])
    const text = bytes.subarray(3).toString('utf8')
    // time columns state the zone their times are in
    expect(text.split('\r\n')[0]).toBe(
      callLogColumns.map((c) => exportHeader(c, zoneLabel())).join(','),
    )
    expect(text).toContain(`时间 (${zoneLabel()})`)
    expect(zoneLabel()).toBe('UTC+08:00')
    // what Excel would see
    expect(text).toContain(`"'=HYPERLINK(""http://evil"")"`)
    expect(text).not.toMatch(/(^|,)=HYPERLINK/m)
    expect(text).toContain(`"=""00012"""`)
    expect(text).toContain(',2026-11-22 10:00:05,')
    expect(text).toContain(',15920447901,')
    const back = await readCallLogCsv(file)
    expect(back.map(compact)).toEqual(rows.map((r) => compact(fileView(r))))
  })

  it('masks phones by default (138****1234) and writes only the chosen columns', async () => {
    const file = path.join(dir(), 'masked.csv')
    const rows = [sampleRow(1), sampleRow(2)]
    await writeCallLogCsv({
      file,
      columns: ['id', 'phone', 'ownerName', 'savedToCustomer'],
      maskPhones: true,
      batches: [rows],
    })
    const lines = fs.readFileSync(file, 'utf8').slice(1).split('\r\n')
    expect(lines).toEqual([
      '记录编号,电话,客户,已存电子客',
      `${rows[0]!.id},159****7901,李先生,否`,
      `${rows[1]!.id},159****7902,王女士,否`,
      '',
    ])
    expect(fs.readFileSync(file, 'utf8')).not.toContain('15920447901')
    const back = await readCallLogCsv(file)
    expect(back).toEqual([
      { id: rows[0]!.id, phone: '159****7901', ownerName: '李先生', savedToCustomer: false },
      { id: rows[1]!.id, phone: '159****7902', ownerName: '王女士', savedToCustomer: false },
    ])
  })

  it('import needs the id column, and says so in Chinese', async () => {
    const file = path.join(dir(), 'no-id.csv')
    await writeCallLogCsv({
      file,
      columns: ['phone', 'ownerName'],
      maskPhones: true,
      batches: [[sampleRow(1)]],
    })
    const e = await readCallLogCsv(file).catch((x: unknown) => x)
    expect(e).toBeInstanceOf(AppError)
    expect(e).toMatchObject({ kind: 'invalid-args', field: 'file', code: 'missing-id-column' })
    expect((e as AppError).message).toContain('缺少「记录编号」列')
    const blank = path.join(dir(), 'blank-id.csv')
    fs.writeFileSync(blank, '记录编号,电话\r\nx-1,13800000000\r\n,13900000000\r\n')
    await expect(readCallLogCsv(blank)).rejects.toThrow('第 3 行的「记录编号」为空')
    const other = path.join(dir(), 'other.csv')
    fs.writeFileSync(other, 'name,age\r\nTom,3\r\n')
    await expect(readCallLogCsv(other)).rejects.toThrow(/不是通话记录的列名/)
  })

  it('a cancel leaves no file, and an existing file as it was', async () => {
    const d = dir()
    const file = path.join(d, 'cancel.csv')
    fs.writeFileSync(file, 'the old export')
    const ctl = new AbortController()
    const rows = Array.from({ length: 50 }, (_, i) => sampleRow(i))
    const err = await writeCallLogCsv({
      file,
      columns: callLogColumns,
      maskPhones: true,
      batches: inBatches(rows, 10),
      signal: ctl.signal,
      onProgress: (n) => {
        if (n >= 20) ctl.abort()
      },
    }).catch((e: unknown) => e)
    expect((err as Error).name).toBe('AbortError')
    expect(fs.readdirSync(d)).toEqual(['cancel.csv'])
    expect(fs.readFileSync(file, 'utf8')).toBe('the old export')
    const fresh = path.join(d, 'fresh.csv')
    const ctl2 = new AbortController()
    ctl2.abort()
    await expect(
      writeCallLogCsv({
        file: fresh,
        columns: ['id'],
        maskPhones: true,
        batches: [rows],
        signal: ctl2.signal,
      }),
    ).rejects.toThrow()
    expect(fs.readdirSync(d)).toEqual(['cancel.csv'])
  })

  it('a failure midway leaves no file: the rows fail, or the folder disappears', async () => {
    const d = dir()
    const file = path.join(d, 'fail.csv')
    function* failing(): Generator<CallLogRow[]> {
      yield [sampleRow(1)]
      throw new Error('database is locked')
    }
    await expect(
      writeCallLogCsv({ file, columns: callLogColumns, maskPhones: true, batches: failing() }),
    ).rejects.toThrow('database is locked')
    expect(fs.readdirSync(d)).toEqual([])

    const gone = path.join(d, 'gone')
    fs.mkdirSync(gone)
    const err = await writeCallLogCsv({
      file: path.join(gone, 'x.csv'),
      columns: callLogColumns,
      maskPhones: true,
      batches: inBatches(
        Array.from({ length: 30 }, (_, i) => sampleRow(i)),
        10,
      ),
      onProgress: () => fs.rmSync(gone, { recursive: true, force: true }),
    }).catch((e: unknown) => e)
    expect(fileErrorText(err)).toBe('所选文件夹不存在或已被移走')
    expect(fs.readdirSync(d)).toEqual([])

    const missing = await writeCallLogCsv({
      file: path.join(d, 'no-such-folder', 'x.csv'),
      columns: ['id'],
      maskPhones: true,
      batches: [[sampleRow(1)]],
    }).catch((e: unknown) => e)
    expect((missing as NodeJS.ErrnoException).code).toBe('ENOENT')
    expect(fs.readdirSync(d)).toEqual([])
  })

  it.skipIf(process.getuid?.() === 0)('a read-only folder: refused, nothing written', async () => {
    const d = dir()
    fs.chmodSync(d, 0o555)
    try {
      const e = await writeCallLogCsv({
        file: path.join(d, 'x.csv'),
        columns: ['id'],
        maskPhones: true,
        batches: [[sampleRow(1)]],
      }).catch((x: unknown) => x)
      expect(fileErrorText(e)).toContain('没有权限')
      expect(fs.readdirSync(d)).toEqual([])
    } finally {
      fs.chmodSync(d, 0o755)
    }
  })
})
