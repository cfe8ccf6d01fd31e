import fs from 'node:fs'
import path from 'node:path'
import ExcelJS from 'exceljs'
import { afterEach, describe, expect, it } from 'vitest'
import { ZONE } from './helpers'
process.env.TZ = ZONE

import { callLogColumns, type CallLogColumn, type CallLogRow } from '../../../shared/calllog'
import { AppError } from '../../../electron/core/app-error'
import { exportHeader, zoneLabel } from '../../../electron/services/calllog/columns'
import { fileErrorText } from '../../../electron/services/calllog/files'
import {
  readCallLogXlsx,
  SHEET_NAME,
  writeCallLogXlsx,
} from '../../../electron/services/calllog/xlsx'
import { awkwardRows, fileView, sampleRow, tempDir } from './helpers'

const dirs: string[] = []
function dir(): string {
  const d = tempDir('calllog-xlsx-')
  dirs.push(d)
  return d
}
afterEach(() => {
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true })
})

function compact(o: object): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(o).filter(([, v]) => v !== null && v !== '' && v !== undefined),
  )
}

/** rows as Excel users write them: line breaks are LF inside a cell */
function rowsForXlsx(): CallLogRow[] {
  return [
    ...awkwardRows().map((r) => ({ ...r, notes: r.notes.replace(/\r\n?/g, '\n') })),
    // the columns written once in the shared-string table, with text that table cannot carry
    // as it stands (goes inline): escapes, a line break, edge spaces
    sampleRow(90, { userName: 'A&B <组>', projectName: ' 前有空格', packageName: '两行\n名称' }),
    ...Array.from({ length: 300 }, (_, i) =>
      sampleRow(100 + i, {
        dialledAt: new Date(Date.parse('2026-11-22T15:59:59.000Z') + i * 61_000).toISOString(),
        durationS: i,
        notes: i % 7 ? `第 ${i} 条，"引号"` : '',
      }),
    ),
  ]
}

/** What a cell should hold, worked out without the app's helpers: China is UTC+8. */
function expectedCell(row: CallLogRow, c: CallLogColumn, masked: boolean): unknown {
  const wall = (iso: string | null) =>
    iso === null ? null : new Date(Date.parse(iso) + 8 * 3600_000)
  switch (c) {
    case 'phone':
      return masked ? `${row.phone.slice(0, 3)}****${row.phone.slice(-4)}` : row.phone
    case 'callTime':
    case 'dispensedAt':
    case 'dialledAt':
    case 'answeredAt':
    case 'endedAt':
      return wall(row[c] ?? null)
    case 'nextFollowDate':
      return row.nextFollowDate === null ? null : new Date(`${row.nextFollowDate}T00:00:00Z`)
    case 'durationS':
      return row.durationS
    case 'savedToCustomer':
    case 'dnc':
      return row[c] ? '是' : '否'
    case 'syncState':
      return {
        delivered: '已同步',
        imported: '外部导入',
        failed: '发送失败',
        pending: '等待同步',
      }[row.syncState as string]
    case 'intent':
      return row.intent
    default:
      return row[c] === '' ? null : row[c]
  }
}

async function readBack(file: string): Promise<ExcelJS.Worksheet> {
  const wb = new ExcelJS.Workbook()
  await wb.xlsx.readFile(file)
  expect(wb.worksheets).toHaveLength(1)
  const ws = wb.getWorksheet(SHEET_NAME)
  if (!ws) throw new Error('no sheet')
  return ws
}

describe('XLSX export', () => {
  for (const masked of [false, true]) {
    it(`read back with exceljs equals the rows exported (${masked ? 'masked' : 'unmasked'})`, async () => {
      const file = path.join(dir(), '通话记录.xlsx')
      const rows = rowsForXlsx()
      const progress: number[] = []
      const n = await writeCallLogXlsx({
        file,
        columns: callLogColumns,
        maskPhones: masked,
        batches: [rows.slice(0, 100), rows.slice(100)],
        onProgress: (d) => progress.push(d),
      })
      expect(n).toBe(rows.length)
      expect(progress).toEqual([100, rows.length])
      // the repeated columns' values are in the shared-string table
      expect(fs.readFileSync(file).includes('xl/sharedStrings.xml')).toBe(true)
      const ws = await readBack(file)
      expect(ws.rowCount).toBe(rows.length + 1)
      const header = ws.getRow(1)
      expect(callLogColumns.map((_, i) => header.getCell(i + 1).value)).toEqual(
        callLogColumns.map((c) => exportHeader(c, zoneLabel())),
      )
      expect(header.getCell(1).font?.bold).toBe(true)
      rows.forEach((row, r) => {
        const xl = ws.getRow(r + 2)
        const got = callLogColumns.map((_, i) => xl.getCell(i + 1).value ?? null)
        expect(got).toEqual(callLogColumns.map((c) => expectedCell(row, c, masked)))
      })
      // typed cells: dates show as dates, the duration is a number
      const first = ws.getRow(2)
      expect(first.getCell(callLogColumns.indexOf('dialledAt') + 1).numFmt).toBe(
        'yyyy-mm-dd hh:mm:ss',
      )
      expect(first.getCell(callLogColumns.indexOf('nextFollowDate') + 1).numFmt).toBe('yyyy-mm-dd')
      expect(first.getCell(callLogColumns.indexOf('durationS') + 1).type).toBe(
        ExcelJS.ValueType.Number,
      )
      // and the app's own reader gives the rows back
      const back = await readCallLogXlsx(file)
      expect(back.map(compact)).toEqual(
        rows.map((r) =>
          compact({
            ...fileView(r),
            phone: masked ? `${r.phone.slice(0, 3)}****${r.phone.slice(-4)}` : r.phone,
          }),
        ),
      )
      if (masked) expect(fs.readFileSync(file).includes(Buffer.from(rows[0]!.phone))).toBe(false)
    })
  }

  it('many small batches read back the same: each batch’s bytes are copied before the next', async () => {
    const file = path.join(dir(), 'batches.xlsx')
    const rows = rowsForXlsx()
    const batches: CallLogRow[][] = []
    for (let i = 0; i < rows.length; i += 7) batches.push(rows.slice(i, i + 7))
    await writeCallLogXlsx({ file, columns: callLogColumns, maskPhones: false, batches })
    const back = await readCallLogXlsx(file)
    expect(back.map(compact)).toEqual(rows.map((r) => compact(fileView(r))))
  })

  it('writes only the chosen columns, in the order chosen', async () => {
    const file = path.join(dir(), 'cols.xlsx')
    const cols: CallLogColumn[] = ['ownerName', 'id', 'durationS']
    await writeCallLogXlsx({ file, columns: cols, maskPhones: true, batches: [[sampleRow(1)]] })
    const ws = await readBack(file)
    expect(ws.columnCount).toBe(3)
    expect(ws.getRow(1).values).toEqual([undefined, '客户', '记录编号', '通话时长(秒)'])
    expect(ws.getRow(2).values).toEqual([undefined, '李先生', sampleRow(1).id, 95])
  })

  it('CR LF in notes becomes the LF Excel uses; XML specials survive, control characters go', async () => {
    const file = path.join(dir(), 'crlf.xlsx')
    await writeCallLogXlsx({
      file,
      columns: ['id', 'notes'],
      maskPhones: true,
      batches: [[sampleRow(1, { notes: 'a\r\nb\rc\nd\u0007 & <e> "f" \'g\'' })]],
    })
    expect((await readBack(file)).getRow(2).getCell(2).value).toBe('a\nb\nc\nd & <e> "f" \'g\'')
  })

  it('a cancel leaves no file, and an existing one as it was', async () => {
    const d = dir()
    const file = path.join(d, 'cancel.xlsx')
    fs.writeFileSync(file, 'old')
    const ctl = new AbortController()
    const batches = Array.from({ length: 10 }, (_, b) =>
      Array.from({ length: 50 }, (_, i) => sampleRow(b * 50 + i)),
    )
    const e = await writeCallLogXlsx({
      file,
      columns: callLogColumns,
      maskPhones: true,
      batches,
      signal: ctl.signal,
      onProgress: (n) => n >= 150 && ctl.abort(),
    }).catch((x: unknown) => x)
    expect((e as Error).name).toBe('AbortError')
    // nothing keeps writing after the cancel
    await new Promise((r) => setTimeout(r, 50))
    expect(fs.readdirSync(d)).toEqual(['cancel.xlsx'])
    expect(fs.readFileSync(file, 'utf8')).toBe('old')
  })

  it('a failure midway leaves no file: the rows fail, or the folder disappears', async () => {
    const d = dir()
    async function* failing(): AsyncGenerator<CallLogRow[]> {
      yield [sampleRow(1)]
      throw new Error('disk I/O error')
    }
    await expect(
      writeCallLogXlsx({
        file: path.join(d, 'x.xlsx'),
        columns: callLogColumns,
        maskPhones: true,
        batches: failing(),
      }),
    ).rejects.toThrow('disk I/O error')
    expect(fs.readdirSync(d)).toEqual([])

    const gone = path.join(d, 'gone')
    fs.mkdirSync(gone)
    const e = await writeCallLogXlsx({
      file: path.join(gone, 'x.xlsx'),
      columns: callLogColumns,
      maskPhones: true,
      batches: [[sampleRow(1)], [sampleRow(2)]],
      onProgress: () => fs.rmSync(gone, { recursive: true, force: true }),
    }).catch((x: unknown) => x)
    expect(fileErrorText(e)).toBe('所选文件夹不存在或已被移走')
    expect(fs.readdirSync(d)).toEqual([])
  })
})

describe('XLSX import', () => {
  it('keeps Chinese text whole where it straddles the zip’s chunks', async () => {
    const file = path.join(dir(), 'chinese.xlsx')
    const text = '客户关注学位和交楼时间，周末再联系，希望了解首付比例与贷款年限。'
    const rows = Array.from({ length: 3_000 }, (_, i) =>
      sampleRow(i, { notes: `${text.slice(i % 7)}${i}`, ownerName: `欧阳${i}` }),
    )
    await writeCallLogXlsx({
      file,
      columns: ['id', 'ownerName', 'notes'],
      maskPhones: true,
      batches: [rows],
    })
    const back = await readCallLogXlsx(file)
    expect(back.filter((r) => /\uFFFD/.test(`${r.notes}${r.ownerName}`))).toEqual([])
    expect(back).toEqual(rows.map((r) => ({ id: r.id, ownerName: r.ownerName, notes: r.notes })))
  })

  it('needs the id column; a damaged file is refused in Chinese', async () => {
    const d = dir()
    const noId = path.join(d, 'no-id.xlsx')
    await writeCallLogXlsx({
      file: noId,
      columns: ['phone', 'callbackItem'],
      maskPhones: true,
      batches: [[sampleRow(1)]],
    })
    const e = await readCallLogXlsx(noId).catch((x: unknown) => x)
    expect(e).toBeInstanceOf(AppError)
    expect(e).toMatchObject({ code: 'missing-id-column', field: 'file' })
    expect((e as AppError).message).toContain('「记录编号」')
    const bad = path.join(d, 'bad.xlsx')
    fs.writeFileSync(bad, Buffer.concat([Buffer.from('PK\x03\x04'), Buffer.alloc(200, 7)]))
    await expect(readCallLogXlsx(bad)).rejects.toThrow(/Excel 文件无法读取/)
  })

  it('reads a sheet someone typed into Excel: text times and numbers', async () => {
    const file = path.join(dir(), 'typed.xlsx')
    const wb = new ExcelJS.Workbook()
    const ws = wb.addWorksheet('Sheet1')
    ws.addRow(['记录编号', '工号', '拨号时间', '通话时长(秒)', '已存电子客', '电话'])
    ws.addRow(['m-1', '00031', '2026-11-22 10:00:00', 61, '是', 13800001111])
    ws.addRow([])
    ws.addRow([
      { richText: [{ text: 'm-' }, { text: '2' }] },
      '00032',
      null,
      '7',
      '否',
      '13800002222',
    ])
    await wb.xlsx.writeFile(file)
    expect(await readCallLogXlsx(file)).toEqual([
      {
        id: 'm-1',
        userNum: '00031',
        dialledAt: '2026-11-22T02:00:00.000Z',
        durationS: 61,
        savedToCustomer: true,
        phone: '13800001111',
      },
      { id: 'm-2', userNum: '00032', durationS: 7, savedToCustomer: false, phone: '13800002222' },
    ])
  })
})
