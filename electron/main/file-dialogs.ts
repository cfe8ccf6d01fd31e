import { join } from 'node:path'
import { app, dialog } from 'electron'
import type { FileDialogs } from '../services/ports'

const formatNames = { csv: 'CSV（Excel 可打开）', xlsx: 'Excel 工作簿', json: '诊断信息' } as const

/** Native save/open dialogs for exports and call-log imports. */
export class ElectronFileDialogs implements FileDialogs {
  async chooseSavePath(
    defaultName: string,
    format: 'csv' | 'xlsx' | 'json',
  ): Promise<string | null> {
    const r = await dialog.showSaveDialog({
      title: format === 'json' ? '导出诊断信息' : '导出通话记录',
      defaultPath: join(app.getPath('documents'), defaultName),
      filters: [{ name: formatNames[format], extensions: [format] }],
    })
    return r.canceled || !r.filePath ? null : r.filePath
  }

  async chooseOpenPath(formats: ('csv' | 'xlsx')[]): Promise<string | null> {
    const r = await dialog.showOpenDialog({
      title: '导入其他机器导出的通话记录',
      properties: ['openFile'],
      filters: [{ name: '通话记录', extensions: formats }],
    })
    return r.canceled ? null : (r.filePaths[0] ?? null)
  }

  async chooseOpenPaths(formats: ('csv' | 'xlsx')[], pick: 'files' | 'folder'): Promise<string[]> {
    const r = await dialog.showOpenDialog({
      title:
        pick === 'folder'
          ? '选择存放团队通话记录的文件夹（读取其中所有 CSV / Excel 文件）'
          : '导入团队的通话记录（可多选）',
      properties:
        pick === 'folder' ? ['openDirectory', 'multiSelections'] : ['openFile', 'multiSelections'],
      ...(pick === 'files' ? { filters: [{ name: '通话记录', extensions: formats }] } : {}),
    })
    return r.canceled ? [] : r.filePaths
  }
}
