/** The Data Center commands the app uses: the ten of §4 it reports with, and the base-data reads. */
export const dataCenterCommands = [
  'cst_info_get',
  'cst_info_create',
  'cst_info_update',
  'cst_follow_update',
  's_lead_identify',
  's_lead_create',
  's_lead_query',
  's_opportunity_identify',
  'opportunity_info_create',
  'cst_identify',
] as const
export type DataCenterCommand = (typeof dataCenterCommands)[number]

/**
 * Base-data reads (§4.1) the app uses besides the ten: base_project_list maps a weixin project
 * to its projGUID by name. Kept apart from `dataCenterCommands` so the ten's tables stay as they
 * are; every command the client and the sandbox accept is `AnyDataCenterCommand`.
 */
export const baseDataCommands = ['base_project_list'] as const
export type BaseDataCommand = (typeof baseDataCommands)[number]
export const allDataCenterCommands = [...dataCenterCommands, ...baseDataCommands] as const
export type AnyDataCenterCommand = DataCenterCommand | BaseDataCommand

export function isAnyDataCenterCommand(cmd: string): cmd is AnyDataCenterCommand {
  return (allDataCenterCommands as readonly string[]).includes(cmd)
}
