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
 * The other commands the app uses, kept apart from `dataCenterCommands` so the ten's tables stay
 * as they are: base-data reads (§4.1) — base_project_list maps a weixin project to its projGUID
 * by name, base_consultant_list / base_consultantProj_list map the agent's 工号 to a Data Center
 * consultant — and the opportunity's query and update (§4.3.8, §4.3.9), so a report updates the
 * customer's opportunity instead of adding one. Every command the client and the sandbox accept
 * is `AnyDataCenterCommand`.
 */
export const baseDataCommands = [
  'base_project_list',
  'base_consultant_list',
  'base_consultantProj_list',
] as const
export type BaseDataCommand = (typeof baseDataCommands)[number]
export const opportunityCommands = ['opportunity_info_query', 'opportunity_info_update'] as const
export type OpportunityCommand = (typeof opportunityCommands)[number]
export const allDataCenterCommands = [
  ...dataCenterCommands,
  ...baseDataCommands,
  ...opportunityCommands,
] as const
export type AnyDataCenterCommand = DataCenterCommand | BaseDataCommand | OpportunityCommand

export function isAnyDataCenterCommand(cmd: string): cmd is AnyDataCenterCommand {
  return (allDataCenterCommands as readonly string[]).includes(cmd)
}
